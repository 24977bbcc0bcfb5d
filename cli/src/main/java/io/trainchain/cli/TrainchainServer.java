package io.trainchain.cli;

import io.trainchain.engine.server.ChainExecutor;
import io.trainchain.engine.server.Checkouts;
import io.trainchain.engine.server.GroupCommit;
import io.trainchain.engine.server.Schedules;
import io.trainchain.engine.server.ServerConfig;
import io.trainchain.engine.server.Signatures;
import io.trainchain.engine.server.Webhooks;
import io.trainchain.engine.store.RunStore;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One running server: Jetty in front, the run store's queue, the workers and the schedule clock. Started by
 * {@code trainchain server}, and in-process by the tests (with a recording executor).
 */
final class TrainchainServer implements AutoCloseable {
    private final Server jetty;
    private final ServerConnector connector;
    private final io.trainchain.engine.server.Workers workers;
    private final ScheduledExecutorService ticker;
    private final Schedules schedules;
    private final GroupCommit commits;

    /**
     * @param signatures null for an insecure local test server
     * @param tickSeconds how often the schedules are checked; 0: only when a test calls {@link #tickSchedules}
     * @param checkout    check each chain's commit out before the executor runs (false only with --no-chain)
     */
    TrainchainServer(ServerConfig config, RunStore store, Signatures signatures, ChainExecutor executor, Clock clock,
                     Path workDir, long tickSeconds, boolean checkout, Consumer<String> log) throws Exception {
        Path jobs = workDir.resolve("jobs");
        Checkouts checkouts = new Checkouts(workDir.resolve("git"), System::getenv);
        workers = new io.trainchain.engine.server.Workers(config, store, checkout ? checkouts : null, executor, jobs,
                log);
        schedules = new Schedules(config, store, checkouts, clock, workers::wake, log);
        commits = new GroupCommit(store, config.supersede());
        Webhooks webhooks = new Webhooks(config, signatures, commits, workers::wake);

        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("trainchain-http");
        jetty = new Server(threads);
        jetty.setStopTimeout(5_000);
        connector = new ServerConnector(jetty);
        connector.setHost(config.host());
        connector.setPort(config.port());
        jetty.addConnector(connector);
        jetty.setHandler(new HttpFront(webhooks, store, jobs, config.maxBodyBytes(), clock));

        workers.start(); // re-queues what a stopped server left running, before anything new is accepted
        try {
            jetty.start();
        } catch (Exception e) {
            commits.close();
            workers.close();
            if (e.getCause() instanceof java.net.BindException || e instanceof java.io.IOException) {
                throw io.trainchain.engine.TrainchainException.badInput("cannot listen on " + config.host() + ":"
                        + config.port() + ": " + e.getMessage() + "; is another server there? choose another "
                        + "listen: or --listen");
            }
            throw e;
        }
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "trainchain-schedules");
            t.setDaemon(true);
            return t;
        });
        if (tickSeconds > 0) {
            ticker.scheduleWithFixedDelay(() -> {
                try {
                    schedules.tick();
                } catch (RuntimeException e) {
                    log.accept("schedules: " + e.getMessage());
                }
            }, 0, tickSeconds, TimeUnit.SECONDS);
        }
    }

    int port() {
        return connector.getLocalPort();
    }

    java.util.List<Schedules.Fire> tickSchedules() {
        return schedules.tick();
    }

    void join() throws InterruptedException {
        jetty.join();
    }

    /** Stops accepting (Jetty first), then stops the running chains; the queue stays as it is in the store. */
    @Override
    public void close() throws Exception {
        ticker.shutdownNow();
        try {
            jetty.stop();
        } finally {
            commits.close();
            workers.close();
        }
    }
}

package io.trainchain.engine.server;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.chain.ChainException;
import io.trainchain.engine.store.QueuedChain;
import io.trainchain.engine.store.RunStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Threads that take queued chains in order (at most {@code per_branch} at once per repository and branch), check
 * the commit out and run the chain. A chain interrupted by the server stopping stays RUNNING in the store, so the
 * next start re-queues it and it resumes ({@link #start} does that first).
 */
public final class Workers implements AutoCloseable {
    private final ServerConfig config;
    private final RunStore store;
    private final Checkouts checkouts;
    private final ChainExecutor executor;
    private final Path jobsDir;
    private final Consumer<String> log;
    private final List<Thread> threads = new ArrayList<>();
    private final Object signal = new Object();
    private volatile boolean stopping;

    /**
     * @param checkouts null: the executor needs no checkout (a server started with --no-chain; the job's checkout
     *                  is null)
     * @param jobsDir   each queued chain gets {@code <jobsDir>/<seq>/} with its checkout and its run folder
     */
    public Workers(ServerConfig config, RunStore store, Checkouts checkouts, ChainExecutor executor, Path jobsDir,
                   Consumer<String> log) {
        this.config = config;
        this.store = store;
        this.checkouts = checkouts;
        this.executor = executor;
        this.jobsDir = jobsDir;
        this.log = log;
    }

    /** Re-queues what a stopped server left running, then starts the workers; returns the re-queued chains. */
    public List<QueuedChain> start() {
        List<QueuedChain> requeued = store.requeueInterrupted("the server stopped while it ran");
        for (QueuedChain q : requeued) {
            log.accept("queued chain " + q.seq() + " (" + q.repository() + " " + q.branch() + " " + q.commitId()
                    + ") was interrupted by the server stopping: re-queued, it resumes from its checkpoint");
        }
        for (int i = 0; i < config.workers(); i++) {
            Thread t = new Thread(this::loop, "trainchain-worker-" + (i + 1));
            threads.add(t);
            t.start();
        }
        return requeued;
    }

    /** A chain was queued: a waiting worker looks now instead of at its next poll. */
    public void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void loop() {
        while (!stopping) {
            Optional<QueuedChain> next;
            try {
                next = store.claimNextQueued(config.perBranch());
            } catch (TrainchainException e) {
                log.accept("cannot read the queue: " + e.getMessage() + "; retrying");
                next = Optional.empty();
            }
            if (next.isEmpty()) {
                synchronized (signal) {
                    try {
                        signal.wait(500); // woken by wake(); the poll also covers a branch that became free
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                continue;
            }
            run(next.get());
        }
    }

    private void run(QueuedChain chain) {
        Path dir = jobsDir.resolve(Long.toString(chain.seq()));
        String what = "queued chain " + chain.seq() + " (" + chain.repository() + " " + chain.branch() + " "
                + chain.commitId() + ", " + chain.trigger() + ")";
        try {
            ServerConfig.Repository repo = config.repository(chain.repository()).orElseThrow(() ->
                    TrainchainException.badInput("repository " + chain.repository() + " is no longer configured"));
            Path checkout = checkouts == null ? null
                    : checkouts.checkout(repo, chain.branch(), chain.commitId(), dir.resolve("repo"));
            boolean resume = chain.interruptions() > 0;
            log.accept((resume ? "resuming " : "running ") + what);
            ChainExecutor.Result r = executor.execute(new ChainExecutor.Job(chain, repo, checkout, dir.resolve("run"),
                    resume));
            if (r.runId() != null) {
                store.attachQueuedRun(chain.seq(), r.runId());
            }
            store.finishQueued(chain.seq(), QueuedChain.State.DONE, r.summary());
            log.accept(what + ": " + r.summary());
        } catch (RuntimeException e) {
            if (stopping) {
                // left RUNNING on purpose: the next start re-queues it and it resumes from its checkpoint
                log.accept(what + " stopped with the server; it resumes on the next start");
                return;
            }
            if (e instanceof ChainException c && c.runId() != null) {
                store.attachQueuedRun(chain.seq(), c.runId());
            }
            store.finishQueued(chain.seq(), QueuedChain.State.FAILED, String.valueOf(e.getMessage()));
            log.accept(what + " failed: " + e.getMessage());
        }
    }

    /** Stops taking chains and interrupts the running ones (their containers are stopped and removed). */
    @Override
    public void close() {
        stopping = true;
        for (Thread t : threads) {
            t.interrupt();
        }
        for (Thread t : threads) {
            try {
                t.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

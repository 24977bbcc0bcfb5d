package io.trainchain.cli;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.docker.DockerConnector;
import io.trainchain.engine.server.ChainExecutor;
import io.trainchain.engine.server.ChainRunnerExecutor;
import io.trainchain.engine.server.ServerConfig;
import io.trainchain.engine.server.ServerConfigParser;
import io.trainchain.engine.server.Signatures;
import io.trainchain.engine.store.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code trainchain server}: webhooks and schedules start the chain; the queue lives in the run store. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Serve signed push webhooks (GitHub, GitLab, Gitea/Forgejo) and cron schedules: each starts "
                + "the chain on the pushed commit. The queue lives in the run store, so nothing is lost on restart.",
                "The secret comes from $" + ServerCommand.SECRET_ENV + " or --secret-file; it is never printed.",
                "SIGTERM: stop accepting, stop the running chain's container, leave the queue; the next start "
                        + "resumes it."})
final class ServerCommand implements Callable<Integer> {
    static final String SECRET_ENV = "TRAINCHAIN_WEBHOOK_SECRET";

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The server's YAML file.")
    Path config;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Overrides the file's listen.")
    String listen;

    @Option(names = "--secret-file", paramLabel = "FILE",
            description = "File holding the webhook secret (else $" + SECRET_ENV + ").")
    Path secretFile;

    @Option(names = "--insecure-no-secret", description = "Accept unsigned deliveries: ONLY for a local test.")
    boolean insecure;

    @Option(names = "--no-chain", description = "Queue and take chains but neither check out nor run them "
            + "(measures the front: bench/webhook).")
    boolean noChain;

    @Option(names = "--schedule-tick", paramLabel = "SECONDS", defaultValue = "30",
            description = "How often schedules are checked (0: never). Default: ${DEFAULT-VALUE}.")
    long tickSeconds;

    @Option(names = "--trainer-dist", paramLabel = "DIR", description = "Folder with trainchain-trainer.jar and lib/.")
    Path trainerDist;

    @Option(names = "--dockerfiles", paramLabel = "DIR", description = "Image recipes.")
    Path dockerfiles;

    @Mixin
    StoreOption store = new StoreOption();

    @Override
    public Integer call() {
        try {
            ServerConfig cfg = withListen(ServerConfigParser.parse(config));
            Signatures signatures = signatures();
            Path db = store.resolve();
            try (RunStore runs = RunStore.open(db)) {
                Path work = cfg.workDir() != null ? cfg.workDir() : runs.path().toAbsolutePath().resolveSibling("server");
                ChainExecutor executor = noChain ? job -> new ChainExecutor.Result(null, "no chain run (--no-chain)")
                        : new ChainRunnerExecutor(() -> DockerConnector.fromEnvironment().connect(), runs,
                        trainerDist != null ? trainerDist : Locations.trainerDist(),
                        dockerfiles != null ? dockerfiles : Locations.dockerfiles(),
                        (step, line) -> System.out.println("  [" + step + "] " + line));
                TrainchainServer server = new TrainchainServer(cfg, runs, signatures, executor, Clock.systemUTC(),
                        work, tickSeconds, !noChain, ServerCommand::log);
                CountDownLatch stopped = new CountDownLatch(1);
                Thread hook = new Thread(() -> {
                    log("stopping: no new deliveries; the running chain is stopped and resumes on the next start");
                    try {
                        server.close();
                    } catch (Exception e) {
                        log("stopping failed: " + e);
                    }
                    stopped.countDown();
                }, "trainchain-server-stop");
                Runtime.getRuntime().addShutdownHook(hook);
                log("listening on http://" + cfg.host() + ":" + server.port() + " (store " + runs.path() + ", work "
                        + work + (signatures == null ? ", INSECURE: deliveries are not verified" : "") + ")");
                server.join();
                stopped.await();
                return 0;
            }
        } catch (TrainchainException e) {
            System.err.println("error: " + e.getMessage());
            return ExitCodes.of(e.kind());
        } catch (Exception e) {
            System.err.println("error: the server failed: " + e);
            return ExitCodes.INFRASTRUCTURE;
        }
    }

    private ServerConfig withListen(ServerConfig c) {
        if (listen == null) {
            return c;
        }
        int colon = listen.lastIndexOf(':');
        if (colon < 0 || !listen.substring(colon + 1).matches("\\d{1,5}")) {
            throw TrainchainException.badInput("--listen is '" + listen + "'; use HOST:PORT such as 127.0.0.1:8080");
        }
        return new ServerConfig(colon == 0 ? "0.0.0.0" : listen.substring(0, colon),
                Integer.parseInt(listen.substring(colon + 1)), c.maxBodyBytes(), c.workers(), c.perBranch(),
                c.supersede(), c.workDir(), c.repositories());
    }

    /** The secret from the file or the environment; none only with the insecure flag. Never echoed. */
    private Signatures signatures() {
        String secret;
        if (secretFile != null) {
            try {
                secret = Files.readString(secretFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw TrainchainException.badInput("cannot read the secret file " + secretFile + ": "
                        + e.getClass().getSimpleName() + "; check the path and its permissions");
            }
        } else {
            secret = System.getenv(SECRET_ENV);
        }
        if (secret == null || secret.isEmpty()) {
            if (insecure) {
                return null;
            }
            throw TrainchainException.badInput("no webhook secret: set $" + SECRET_ENV + " or pass --secret-file "
                    + "FILE (the same secret as the forge's webhook); --insecure-no-secret only for a local test");
        }
        return new Signatures(secret);
    }

    static void log(String line) {
        System.out.println(Instant.now() + " " + line);
        System.out.flush();
    }
}

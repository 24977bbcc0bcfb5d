package io.trainchain.cli;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.chain.ChainException;
import io.trainchain.engine.chain.ChainRequest;
import io.trainchain.engine.chain.ChainResult;
import io.trainchain.engine.chain.ChainRunner;
import io.trainchain.engine.chain.ChainTimeouts;
import io.trainchain.engine.chain.GateOverride;
import io.trainchain.engine.config.Limits;
import io.trainchain.engine.docker.DockerConnector;
import io.trainchain.engine.gate.Direction;
import io.trainchain.engine.notify.MailSettings;
import io.trainchain.engine.notify.Mailer;
import io.trainchain.engine.store.RunStatus;
import io.trainchain.engine.store.RunStore;
import io.trainchain.engine.tune.OwnerMail;
import io.trainchain.engine.tune.SearchResult;
import io.trainchain.engine.tune.TuneHyperparameters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;

/** {@code trainchain run [REPO]}: the whole chain on a repository, recorded in the run store. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Detect the framework, build the training image, train in a locked-down container and check "
                + "the accuracy gate; every run is recorded in the run store.",
                "Options win over the repository's trainchain.yaml, which wins over the defaults.",
                "Exit codes: 0 gate passed, 1 gate failed (below threshold or no metric), 2 bad input, "
                        + "3 infrastructure (Docker, build, out of memory, trainer crash)."})
class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", defaultValue = ".", paramLabel = "REPO",
            description = "The repository folder. Default: the current folder.")
    Path repository;

    @Option(names = "--data", paramLabel = "DIR", description = "Dataset folder (overrides 'dataset:').")
    Path data;

    @Option(names = "--params", paramLabel = "FILE", description = "params.json (overrides 'params:').")
    Path params;

    @Option(names = "--metric", description = "Gate metric, a key of evaluation.json. Default: accuracy.")
    String metric;

    @Option(names = "--threshold", description = "Gate threshold. Default: 0.80.")
    Double threshold;

    @Option(names = "--direction", description = "at_least (scores, default) or at_most (losses).")
    String direction;

    @Option(names = "--memory", description = "Container memory limit, e.g. 2g (default 2g; no swap on top).")
    String memory;

    @Option(names = "--cpus", description = "Container CPU limit, e.g. 2 or 1.5 (default 2).")
    Double cpus;

    @Option(names = "--pids", description = "Container process/thread limit (default 512).")
    Integer pids;

    @Option(names = "--limit", paramLabel = "N", description = "At most N training and N test images.")
    Integer limit;

    @Option(names = "--epochs", paramLabel = "N", description = "Training epochs (overrides params and 'epochs:').")
    Integer epochs;

    @Option(names = "--base-image", paramLabel = "IMAGE",
            description = "Base of the training image: any local JRE 17 image. Default: trainchain/base-jre17:bookworm "
                    + "(built from Debian packages when missing).")
    String baseImage;

    @Option(names = "--keep-container", description = "Keep the training container for inspection.")
    boolean keepContainer;

    @Option(names = "--train-timeout", paramLabel = "MINUTES", defaultValue = "720",
            description = "Kill the training container after this many minutes. Default: ${DEFAULT-VALUE}.")
    long trainTimeoutMinutes;

    @Mixin
    StoreOption store = new StoreOption();

    @Mixin
    WatchMixin watch = new WatchMixin();

    @Mixin
    TuneMixin tune = new TuneMixin();

    @Option(names = "--tune", negatable = true, paramLabel = "", description = "Below the gate, search "
            + "hyperparameters and retrain (tuneHyperparameters). Default: when trainchain.yaml has a tune: section "
            + "or a search option is given.")
    Boolean tuneBelowGate;

    @Option(names = "--checkpoint-every-epochs", paramLabel = "N",
            description = "Checkpoint after every N-th epoch (overrides 'checkpoint: every_epochs'). Default: 1.")
    Integer checkpointEveryEpochs;

    @Option(names = "--checkpoint-every-minutes", paramLabel = "M",
            description = "Also checkpoint mid-epoch every M minutes, e.g. 10 or 0.5. Default: off.")
    Double checkpointEveryMinutes;

    @Option(names = "--hot-standby", negatable = true, paramLabel = "", description = "Keep the next training "
            + "container started and waiting, so a restart skips the container and JVM start (the built-in trainer; "
            + "costs a second container's memory while it waits). Default: off.")
    Boolean hotStandby;

    @Option(names = "--out", paramLabel = "DIR",
            description = "This run's folder. Default: runs/<run id>/ next to the run database.")
    Path out;

    @Option(names = "--trainer-dist", paramLabel = "DIR", description = "Folder with trainchain-trainer.jar and lib/.")
    Path trainerDist;

    @Option(names = "--dockerfiles", paramLabel = "DIR", description = "Image recipes. Default: <trainchain home>/dockerfiles.")
    Path dockerfiles;

    @Override
    public Integer call() {
        PrintStream o = System.out;
        PrintStream e = System.err;
        Path storePath = store.resolve();
        try (ShutdownInterrupt ignored = ShutdownInterrupt.install()) {
            ChainRequest request = request();
            try (RunStore runs = RunStore.open(storePath)) {
                TunePrinter printer = new TunePrinter(o);
                ChainResult result = new ChainRunner(() -> DockerConnector.fromEnvironment().connect())
                        .run(request, runs, printer);
                o.print(RunSummary.render(result, runs.path()));
                o.flush();
                if (result.status() != RunStatus.BELOW_THRESHOLD || !tuneBelowGate(request)) {
                    return ExitCodes.of(result);
                }
                o.println("\nbelow the gate: searching hyperparameters (tuneHyperparameters)");
                SearchResult search = search(request, runs, result.runId(), true, null, printer);
                o.print(TuneSummary.render(search, runs.path()));
                o.flush();
                return search.passed() ? ExitCodes.GATE_PASSED : ExitCodes.GATE_FAILED;
            }
        } catch (TrainchainException | CancellationException x) {
            return failed(x, o, e, storePath);
        }
    }

    /** Prints why a run or a search failed (and where it is recorded) and returns the exit code. */
    static int failed(RuntimeException x, PrintStream o, PrintStream e, Path storePath) {
        o.flush();
        if (x instanceof ChainException c) {
            e.println("error: " + (c.step() == null ? "" : c.step() + " failed: ") + c.getMessage());
            if (c.runId() != null) {
                e.println("run " + c.runId() + " recorded as FAILED in " + storePath);
            }
            return ExitCodes.of(c.kind());
        }
        if (x instanceof TrainchainException t) {
            e.println("error: " + t.getMessage());
            return ExitCodes.of(t.kind());
        }
        e.println("interrupted: " + x.getMessage());
        return ExitCodes.INFRASTRUCTURE;
    }

    private boolean tuneBelowGate(ChainRequest request) {
        if (tuneBelowGate != null) {
            return tuneBelowGate;
        }
        return tune.toOptions().present() || TuneHyperparameters.configured(request.repository());
    }

    /** Runs (or resumes) a search; the owner's e-mail goes through TRAINCHAIN_SMTP_*, else to the outbox. */
    SearchResult search(ChainRequest request, RunStore runs, String parentRunId, boolean resume, String resumeId,
                        TunePrinter printer) {
        Path outbox = tune.outbox != null ? tune.outbox
                : MailSettings.outbox(System.getenv(), runs.path().toAbsolutePath().resolveSibling("outbox"));
        Mailer mailer = new Mailer(MailSettings.fromEnvironment(System.getenv(), outbox).withOutbox(outbox));
        return new TuneHyperparameters(() -> DockerConnector.fromEnvironment().connect(), new OwnerMail(mailer))
                .run(new TuneHyperparameters.Request(request, tune.toOptions(), parentRunId, resume, resumeId), runs,
                        printer);
    }

    /** The options as a request; what is not given stays null so trainchain.yaml decides. */
    ChainRequest request() {
        if (trainTimeoutMinutes <= 0) {
            throw TrainchainException.badInput("--train-timeout is " + trainTimeoutMinutes + "; use 1 or more minutes");
        }
        if (cpus != null && !(cpus > 0)) {
            throw TrainchainException.badInput("--cpus is " + cpus + "; use a positive number such as 2");
        }
        if (pids != null && pids <= 0) {
            throw TrainchainException.badInput("--pids is " + pids + "; use a positive number such as 512");
        }
        Limits limits = new Limits(memory, memory == null ? null : Limits.parseMemory(memory, "--memory"), cpus, pids);
        GateOverride gate = new GateOverride(metric, threshold, direction == null ? null : Direction.parse(direction));
        ChainTimeouts timeouts = new ChainTimeouts(ChainTimeouts.DEFAULT.baseImage(), ChainTimeouts.DEFAULT.build(),
                Duration.ofMinutes(trainTimeoutMinutes));
        return new ChainRequest(repository, data, params, gate, limits, limit, epochs, baseImage,
                trainerDist != null ? trainerDist : Locations.trainerDist(),
                dockerfiles != null ? dockerfiles : Locations.dockerfiles(), out, null, keepContainer, timeouts,
                watch.toOptions(checkpointEveryEpochs, checkpointEveryMinutes, hotStandby));
    }
}

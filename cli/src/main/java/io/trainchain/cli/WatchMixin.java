package io.trainchain.cli;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.config.Limits;
import io.trainchain.engine.config.WatchOptions;
import picocli.CommandLine.Option;

/** The watcher's options, shared by {@code trainchain run} and {@code trainchain watch}. */
final class WatchMixin {
    @Option(names = "--restarts", paramLabel = "N",
            description = "Restart a dead training container from its last checkpoint at most N times "
                    + "(0: no restart). Default: 3.")
    Integer restarts;

    @Option(names = "--restart-backoff", paramLabel = "DURATION",
            description = "Wait before the second restart in a row, e.g. 100ms, 2s (the first is immediate; doubles "
                    + "each time; reset after a container ran 10 s). Default: 100ms.")
    String backoff;

    @Option(names = "--restart-backoff-factor", paramLabel = "X", description = "Backoff growth. Default: 2.")
    Double backoffFactor;

    @Option(names = "--restart-backoff-max", paramLabel = "DURATION", description = "Longest wait. Default: 30s.")
    String maxBackoff;

    @Option(names = "--oom-memory-factor", paramLabel = "X",
            description = "After an OOM kill, restart with the memory limit × X (e.g. 1.5). Default: off.")
    Double oomMemoryFactor;

    @Option(names = "--oom-memory-cap", paramLabel = "SIZE",
            description = "Highest memory limit an OOM restart may set, e.g. 8g. Default: 4× the first limit.")
    String oomMemoryCap;

    @Option(names = "--daemon-deadline", paramLabel = "DURATION",
            description = "How long to wait for a Docker engine that went away. Default: 5m.")
    String daemonDeadline;

    /** The options given, as overrides; the checkpoint interval comes from the caller (only `run` has it). */
    WatchOptions toOptions(Integer checkpointEveryEpochs, Double checkpointEveryMinutes, Boolean hotStandby) {
        if (restarts != null && (restarts < 0 || restarts > 100)) {
            throw TrainchainException.badInput("--restarts is " + restarts + "; use 0 (no restart) to 100");
        }
        if (backoffFactor != null && !(backoffFactor >= 1)) {
            throw TrainchainException.badInput("--restart-backoff-factor is " + backoffFactor + "; use 1 or more");
        }
        if (checkpointEveryEpochs != null && checkpointEveryEpochs < 1) {
            throw TrainchainException.badInput("--checkpoint-every-epochs is " + checkpointEveryEpochs
                    + "; use 1 or more");
        }
        if (checkpointEveryMinutes != null && !(checkpointEveryMinutes > 0)) {
            throw TrainchainException.badInput("--checkpoint-every-minutes is " + checkpointEveryMinutes
                    + "; use a positive number of minutes, e.g. 10 or 0.5");
        }
        return new WatchOptions(restarts,
                backoff == null ? null : WatchOptions.parseDuration(backoff, "--restart-backoff"), backoffFactor,
                maxBackoff == null ? null : WatchOptions.parseDuration(maxBackoff, "--restart-backoff-max"),
                oomMemoryFactor, oomMemoryCap == null ? null : Limits.parseMemory(oomMemoryCap, "--oom-memory-cap"),
                daemonDeadline == null ? null : WatchOptions.parseDuration(daemonDeadline, "--daemon-deadline"),
                checkpointEveryEpochs, checkpointEveryMinutes, hotStandby);
    }
}

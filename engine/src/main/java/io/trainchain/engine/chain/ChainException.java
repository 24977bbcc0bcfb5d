package io.trainchain.engine.chain;

import io.trainchain.engine.TrainchainException;

import java.nio.file.Path;

/**
 * A chain run that failed; the run is already recorded as FAILED with this message.
 *
 * @see #runId() null only when the run store itself could not record it
 */
public final class ChainException extends TrainchainException {
    private final String runId;
    private final String step;
    private final Path outputDir;

    public ChainException(Kind kind, String message, Throwable cause, String runId, String step, Path outputDir) {
        super(kind, message, cause);
        this.runId = runId;
        this.step = step;
        this.outputDir = outputDir;
    }

    public String runId() {
        return runId;
    }

    /** The step that failed, or null when it failed between steps. */
    public String step() {
        return step;
    }

    /** The run's folder, or null when the run failed before it was created. */
    public Path outputDir() {
        return outputDir;
    }
}

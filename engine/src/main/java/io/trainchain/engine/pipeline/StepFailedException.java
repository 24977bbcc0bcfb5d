package io.trainchain.engine.pipeline;

/**
 * A step that could not do its work, as its caller shows it: whose fault (BAD_INPUT, INFRASTRUCTURE, INTERNAL or
 * INTERRUPTED), the message that says what to do, and the run it was recorded in. Only strings, so it crosses the
 * Jenkins agent channel intact (the engine's own exceptions hold paths, which do not serialize).
 */
public final class StepFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String kind;
    private final String step;
    private final String runId;

    public StepFailedException(String kind, String step, String message, String runId) {
        super(message);
        this.kind = kind;
        this.step = step;
        this.runId = runId;
    }

    public String kind() {
        return kind;
    }

    public String step() {
        return step;
    }

    /** The run the failure is recorded in, or null. */
    public String runId() {
        return runId;
    }

    /** "trainInContainer failed (INFRASTRUCTURE): ...; run 42 recorded as FAILED". */
    public String describe() {
        return step + " failed (" + kind + "): " + getMessage() + (runId == null ? "" : "; run " + runId
                + " recorded as FAILED in the run store");
    }
}

package io.trainchain.trainer;

/** The trainer's documented exit codes (README, "Trainer output contract"). The engine maps them to step results. */
public final class ExitCode {
    public static final int DONE = 0;
    /** Anything unexpected: a bug or an environment failure other than memory. */
    public static final int INTERNAL = 1;
    /** Bad data, parameters or arguments: the message names the file or field and what to do. */
    public static final int BAD_INPUT = 2;
    /** The JVM heap or ND4J's off-heap memory ran out. */
    public static final int OUT_OF_MEMORY = 3;

    private ExitCode() {
    }
}

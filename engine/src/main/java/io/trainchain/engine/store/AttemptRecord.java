package io.trainchain.engine.store;

import java.time.Instant;

/**
 * One try at training a run: the watcher restarts a dead container from its last checkpoint, and each container
 * it started is one attempt.
 *
 * @param attempt     1 for the first container, then 2, 3...
 * @param startedAt   when the container started; the store keeps it to the millisecond
 * @param seconds     how long the container ran
 * @param cause       how the attempt ended, as the watcher names it ("COMPLETED", "KILLED", "OOM_KILLED"...);
 *                    a plain string so the store does not depend on the watcher's types
 * @param exitCode    the container's exit code, or null when it never reported one
 * @param containerId null when no container was created
 * @param memoryBytes the memory the container used (or was limited to), or null when not measured
 * @param resumedFrom the checkpoint this attempt started from, or null for a fresh start
 * @param lostSeconds training time thrown away since the last checkpoint, or null when none or unknown
 * @param message     one human sentence, or null
 */
public record AttemptRecord(int attempt, Instant startedAt, double seconds, String cause, Integer exitCode,
                            boolean oomKilled, String containerId, Long memoryBytes, String resumedFrom,
                            Double lostSeconds, String message) {

    public AttemptRecord {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be 1 or more, got " + attempt);
        }
        if (startedAt == null) {
            throw new IllegalArgumentException("startedAt must not be null");
        }
        if (!Double.isFinite(seconds) || seconds < 0) {
            throw new IllegalArgumentException("seconds must be a finite number >= 0, got " + seconds);
        }
        if (cause == null || cause.isBlank()) {
            throw new IllegalArgumentException("cause must not be blank, got " + (cause == null ? "null" : "'" + cause + "'"));
        }
        if (lostSeconds != null && (!Double.isFinite(lostSeconds) || lostSeconds < 0)) {
            throw new IllegalArgumentException("lostSeconds must be null or a finite number >= 0, got " + lostSeconds);
        }
    }
}

package io.trainchain.engine.watch;

import java.time.Instant;

/**
 * One container of a watched training and how it ended.
 *
 * @param number      1 for the first container, 2 for the first restart...
 * @param exitCode    null when unknown (engine lost, container removed)
 * @param memoryBytes the container's memory limit (0 for none)
 * @param resumedFrom the checkpoint file it was started to resume from (null for a fresh start)
 * @param lostSeconds seconds of training done after the newest checkpoint, lost with this container (null when it
 *                    completed)
 * @param timings     where the seconds of a restart went, for bench/watch
 */
public record Attempt(int number, ExitCause cause, Integer exitCode, boolean oomKilled, String containerId,
                      String containerName, long memoryBytes, String resumedFrom, Instant startedAt, double seconds,
                      Double lostSeconds, String message, Timings timings) {

    /**
     * @param detectionSeconds   from Docker's end of the container to the watcher knowing it (null: unknown)
     * @param createStartSeconds the create and start requests of this container
     * @param firstStepSeconds   from the start request to the trainer's first training step (null: never reached)
     * @param restoreSeconds     the trainer's own time to restore the checkpoint (null: fresh start or not said)
     */
    public record Timings(Double detectionSeconds, double createStartSeconds, Double firstStepSeconds,
                          Double restoreSeconds) {
    }

    /** One line for logs and failure messages. */
    public String describe() {
        StringBuilder b = new StringBuilder("attempt ").append(number).append(": ").append(cause);
        if (exitCode != null) {
            b.append(" (exit ").append(exitCode).append(oomKilled ? ", OOMKilled" : "").append(')');
        }
        b.append(String.format(" after %.1f s", seconds));
        if (resumedFrom != null) {
            b.append(", resumed from ").append(resumedFrom);
        }
        if (lostSeconds != null) {
            b.append(String.format(", %.1f s of training lost", lostSeconds));
        }
        if (memoryBytes > 0) {
            b.append(", memory ").append(memoryBytes >> 20).append(" MiB");
        }
        if (message != null && !message.isBlank()) {
            b.append(" — ").append(message);
        }
        return b.toString();
    }
}

package io.trainchain.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the steps of a chain report while they run. Minimal on purpose: the CLI prints it, the Jenkins adapter writes
 * it to the build log. Implementations must be thread-safe: container logs and metrics arrive on different threads.
 */
public interface ChainListener {

    /** One line of output of a step (build output, container log). Never contains secrets by contract of callers. */
    void log(String step, String line);

    /** One epoch's metrics as the trainer wrote them (one line of metrics.jsonl). */
    default void epoch(String step, JsonNode metrics) {
        log(step, "epoch " + metrics);
    }

    default void stepStarted(String step) {
    }

    default void stepFinished(String step, boolean success, String summary) {
    }

    /** A listener that drops everything. */
    ChainListener NONE = (step, line) -> { };
}

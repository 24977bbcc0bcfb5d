package io.trainchain.engine.store;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a run ended.
 *
 * @param imageId   the training image used, or null
 * @param artifacts paths of what the run produced (model, evaluation.json...)
 * @param gate      null when the run failed before the gate
 * @param metrics   numeric evaluation metrics (accuracy, macro_f1...) used by {@link RunStore#bestRun}
 * @param message   one human sentence, e.g. the gate message or the failure
 */
public record RunOutcome(RunStatus status, String imageId, List<String> artifacts, GateRecord gate,
                         Map<String, Double> metrics, String message) {

    public RunOutcome {
        if (status == null || status == RunStatus.RUNNING) {
            throw new IllegalArgumentException("a finished run needs a final status (PASSED, BELOW_THRESHOLD, FAILED), got "
                    + status);
        }
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
        metrics = metrics == null ? Map.of() : new LinkedHashMap<>(metrics);
    }
}

package io.trainchain.engine.gate;

/**
 * What checkAccuracy found.
 *
 * @param value   the metric's value, or null when status is NO_METRIC
 * @param message one human sentence, e.g. "accuracy 0.8123 ≥ 0.80: passed"
 */
public record GateResult(GateStatus status, String metric, Double value, double threshold,
                         Direction direction, String message) {

    public boolean passed() {
        return status == GateStatus.PASSED;
    }
}

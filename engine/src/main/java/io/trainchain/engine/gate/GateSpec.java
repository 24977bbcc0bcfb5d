package io.trainchain.engine.gate;

import io.trainchain.engine.TrainchainException;

/**
 * What the checkAccuracy step requires of a model.
 *
 * @param metric    a top-level key of evaluation.json (e.g. "accuracy", "macro_f1") or a dotted path ("dataset.x")
 * @param threshold the value to reach; must be finite
 * @param direction AT_LEAST for scores, AT_MOST for losses
 */
public record GateSpec(String metric, double threshold, Direction direction) {

    public static final String DEFAULT_METRIC = "accuracy";
    public static final double DEFAULT_THRESHOLD = 0.80;

    public GateSpec {
        if (metric == null || metric.isBlank()) {
            throw TrainchainException.badInput("gate metric is blank; set it to a key of evaluation.json such as '"
                    + DEFAULT_METRIC + "' or 'macro_f1'");
        }
        metric = metric.trim();
        if (!Double.isFinite(threshold)) {
            throw TrainchainException.badInput("gate threshold for '" + metric + "' is " + threshold
                    + "; it must be a finite number such as " + DEFAULT_THRESHOLD);
        }
        if (direction == null) {
            direction = Direction.AT_LEAST;
        }
    }

    /** accuracy ≥ 0.80. */
    public static GateSpec defaults() {
        return new GateSpec(DEFAULT_METRIC, DEFAULT_THRESHOLD, Direction.AT_LEAST);
    }

    public GateSpec withMetric(String newMetric) {
        return new GateSpec(newMetric, threshold, direction);
    }

    public GateSpec withThreshold(double newThreshold) {
        return new GateSpec(metric, newThreshold, direction);
    }

    public GateSpec withDirection(Direction newDirection) {
        return new GateSpec(metric, threshold, newDirection);
    }
}

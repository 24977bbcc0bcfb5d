package io.trainchain.engine.chain;

import io.trainchain.engine.gate.Direction;
import io.trainchain.engine.gate.GateSpec;

/**
 * Gate fields given on the command line; each null field falls back to trainchain.yaml, then to the default, so
 * {@code --threshold 0.9} keeps a metric chosen in the file.
 */
public record GateOverride(String metric, Double threshold, Direction direction) {

    public static final GateOverride NONE = new GateOverride(null, null, null);

    public GateSpec applyTo(GateSpec base) {
        GateSpec g = base == null ? GateSpec.defaults() : base;
        if (metric != null) {
            g = g.withMetric(metric);
        }
        if (threshold != null) {
            g = g.withThreshold(threshold);
        }
        if (direction != null) {
            g = g.withDirection(direction);
        }
        return g;
    }

    public static GateOverride of(GateSpec spec) {
        return new GateOverride(spec.metric(), spec.threshold(), spec.direction());
    }
}

package io.trainchain.engine.tune;

import com.fasterxml.jackson.databind.JsonNode;
import io.trainchain.engine.gate.GateSpec;
import io.trainchain.engine.store.EpochMetrics;

import java.util.List;

/**
 * The gate metric as a search reads it per epoch (its rung value): live from a metrics.jsonl line, or from the epochs
 * a resumed search finds in the store; and whether a final value passes the gate.
 */
final class RungMetric {
    private final GateSpec gate;

    RungMetric(GateSpec gate) {
        this.gate = gate;
    }

    /** From a metrics.jsonl line: the gate metric's own field, else its validation form (accuracy → val_accuracy). */
    Double of(JsonNode epoch) {
        for (String k : List.of(gate.metric(), "val_" + gate.metric())) {
            JsonNode v = epoch.get(k);
            if (v != null && v.isNumber() && Double.isFinite(v.asDouble())) {
                return v.asDouble();
            }
        }
        return null;
    }

    /** From a stored epoch (the store keeps the validation metrics only). */
    Double of(EpochMetrics e) {
        return switch (gate.metric()) {
            case "accuracy", "val_accuracy" -> e.valAccuracy();
            case "macro_f1", "val_macro_f1" -> e.valMacroF1();
            case "loss", "test_loss", "val_loss" -> e.valLoss();
            default -> null;
        };
    }

    boolean passes(Double value) {
        if (value == null) {
            return false;
        }
        return gate.direction() == io.trainchain.engine.gate.Direction.AT_LEAST ? value >= gate.threshold()
                : value <= gate.threshold();
    }
}

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

    /**
     * The metrics.jsonl field that tracks the gate metric during training: the validation form of a test metric
     * (accuracy → val_accuracy, macro_f1 → val_macro_f1, test_loss or loss → val_loss), else the metric's own name.
     */
    String epochField() {
        return switch (gate.metric()) {
            case "accuracy" -> "val_accuracy";
            case "macro_f1" -> "val_macro_f1";
            case "loss", "test_loss" -> "val_loss";
            default -> gate.metric().startsWith("val_") ? gate.metric() : "val_" + gate.metric();
        };
    }

    /** From a metrics.jsonl line: the metric's own field (a script read by rules logs it per epoch), else its field. */
    Double of(JsonNode epoch) {
        for (String k : List.of(gate.metric(), epochField())) {
            JsonNode v = epoch.get(k);
            if (v != null && v.isNumber() && Double.isFinite(v.asDouble())) {
                return v.asDouble();
            }
        }
        return null;
    }

    /** From a stored epoch: the same field, where the store keeps it (it keeps the validation metrics only). */
    Double of(EpochMetrics e) {
        return switch (epochField()) {
            case "val_accuracy" -> e.valAccuracy();
            case "val_macro_f1" -> e.valMacroF1();
            case "val_loss" -> e.valLoss();
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

package io.trainchain.engine.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.trainchain.engine.store.EpochMetrics;
import io.trainchain.engine.store.SearchRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * What the report needs from a search's stored spec: the gate and ASHA's settings. The spec is the tuner's JSON,
 * read here rather than through the tune package so that the report stays below it.
 *
 * @param threshold       null when the spec has no gate
 * @param trialEpochs     0 when unknown
 * @param reductionFactor ASHA's η, 0 when the search is not ASHA
 */
record SearchSpec(String strategy, String metric, Double threshold, String direction, int trialEpochs, int minEpochs,
                  int reductionFactor) {

    static SearchSpec of(SearchRecord s) {
        JsonNode n = RunSections.parse(s.specJson());
        if (n == null) {
            n = MissingNode.getInstance();
        }
        JsonNode gate = n.path("gate");
        String strategy = n.path("strategy").asText(s.strategy() == null ? "" : s.strategy());
        return new SearchSpec(strategy, gate.path("metric").asText("accuracy"),
                gate.path("threshold").isNumber() ? gate.get("threshold").asDouble() : null,
                gate.path("direction").asText("AT_LEAST"), n.path("trial_epochs").asInt(0),
                n.path("min_epochs").asInt(0), "asha".equalsIgnoreCase(strategy) ? n.path("reduction_factor").asInt(0) : 0);
    }

    /** ASHA's rungs: minEpochs·η^k epochs below a trial's full epochs, as its stopping rule places them. */
    List<Integer> rungs() {
        List<Integer> rungs = new ArrayList<>();
        if (reductionFactor >= 2 && minEpochs >= 1) {
            for (long r = minEpochs; r < trialEpochs; r *= reductionFactor) {
                rungs.add((int) r);
            }
        }
        return rungs;
    }

    boolean higherIsBetter() {
        return !direction.toUpperCase(Locale.ROOT).contains("MOST");
    }

    String gateText() {
        return threshold == null ? "-" : metric + " " + (higherIsBetter() ? "≥" : "≤") + " "
                + RunSections.threshold(threshold);
    }

    /** The per-epoch form of the gate metric that trials are compared by at a rung (accuracy: val_accuracy). */
    String curveName() {
        return switch (base()) {
            case "macro_f1" -> "val_macro_f1";
            case "loss", "test_loss" -> "val_loss";
            case "train_loss" -> "train_loss";
            default -> "val_accuracy";
        };
    }

    /** The gate's threshold where it can be drawn on the curves (their metric is the gate's), else null. */
    Double thresholdOnCurves() {
        return curveName().equals("val_accuracy") && !base().equals("accuracy") ? null : threshold;
    }

    Function<EpochMetrics, Double> curveMetric() {
        return switch (curveName()) {
            case "val_macro_f1" -> EpochMetrics::valMacroF1;
            case "val_loss" -> EpochMetrics::valLoss;
            case "train_loss" -> EpochMetrics::trainLoss;
            default -> EpochMetrics::valAccuracy;
        };
    }

    private String base() {
        String m = metric.toLowerCase(Locale.ROOT);
        return m.startsWith("val_") ? m.substring(4) : m;
    }
}

package io.trainchain.engine.gate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The checkAccuracy step: reads evaluation.json and compares one metric with the gate.
 * A model below the gate, or a missing metric, is a result (the chain reports it), never an exception.
 */
public final class CheckAccuracy {

    private static final ObjectMapper JSON = new ObjectMapper();

    public GateResult check(Path evaluationJson, GateSpec spec) {
        if (spec == null) {
            spec = GateSpec.defaults();
        }
        if (evaluationJson == null || !Files.isRegularFile(evaluationJson)) {
            return noMetric(spec, "no evaluation file at " + evaluationJson
                    + ": the evaluate step should have written it; check that evaluation ran and wrote evaluation.json");
        }
        JsonNode root;
        try {
            root = JSON.readTree(evaluationJson.toFile());
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : ":" + e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr();
            return noMetric(spec, "evaluation file " + evaluationJson + where + " is not valid JSON ("
                    + e.getOriginalMessage() + "); re-run the evaluate step");
        } catch (IOException e) {
            return noMetric(spec, "evaluation file " + evaluationJson + " could not be read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            return noMetric(spec, "evaluation file " + evaluationJson + " must hold a JSON object such as "
                    + "{\"accuracy\": 0.89}, but holds " + describe(root));
        }
        JsonNode node = find(root, spec.metric());
        if (node == null) {
            return noMetric(spec, "no metric '" + spec.metric() + "' in " + evaluationJson + "; numeric keys there: "
                    + numericKeys(root) + " (all keys: " + allKeys(root) + "); set the gate metric to one of them");
        }
        if (!node.isNumber() || !Double.isFinite(node.asDouble())) {
            return noMetric(spec, "metric '" + spec.metric() + "' in " + evaluationJson + " is " + describe(node)
                    + ", not a finite number; numeric keys there: " + numericKeys(root)
                    + " (all keys: " + allKeys(root) + ")");
        }
        double value = node.asDouble();
        boolean passed = spec.direction().passes(value, spec.threshold());
        String threshold = formatThreshold(spec.threshold());
        String message = spec.metric() + " " + formatValue(value, spec.threshold()) + " "
                + (passed ? spec.direction().passSymbol() : spec.direction().failSymbol()) + " " + threshold
                + (passed ? ": passed" : ": below threshold");
        return new GateResult(passed ? GateStatus.PASSED : GateStatus.BELOW_THRESHOLD,
                spec.metric(), value, spec.threshold(), spec.direction(), message);
    }

    private static GateResult noMetric(GateSpec spec, String message) {
        return new GateResult(GateStatus.NO_METRIC, spec.metric(), null, spec.threshold(), spec.direction(), message);
    }

    /** Exact top-level key first (a key may itself contain dots), then a dotted path through objects/arrays. */
    static JsonNode find(JsonNode root, String metric) {
        if (root.has(metric)) {
            return root.get(metric);
        }
        JsonNode current = root;
        for (String part : metric.split("\\.", -1)) {
            if (current.isObject() && current.has(part)) {
                current = current.get(part);
            } else if (current.isArray() && part.matches("\\d{1,9}") && Integer.parseInt(part) < current.size()) {
                current = current.get(Integer.parseInt(part));
            } else {
                return null;
            }
        }
        return current;
    }

    private static List<String> numericKeys(JsonNode root) {
        List<String> keys = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNumber()) {
                keys.add(e.getKey());
            }
        }
        return keys;
    }

    private static List<String> allKeys(JsonNode root) {
        List<String> keys = new ArrayList<>();
        root.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        String text = node.toString();
        if (text.length() > 60) {
            text = text.substring(0, 57) + "...";
        }
        String type = node.isTextual() ? "a string" : node.isArray() ? "an array" : node.isObject() ? "an object"
                : node.isBoolean() ? "a boolean" : node.isNull() ? "null" : "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
        return node.isNull() ? "null" : type + " (" + text + ")";
    }

    /** At least two decimals: 0.8 → "0.80", 0.855 → "0.855". */
    static String formatThreshold(double threshold) {
        BigDecimal d = new BigDecimal(Double.toString(threshold)).stripTrailingZeros();
        if (d.scale() < 2) {
            d = d.setScale(2);
        }
        return d.toPlainString();
    }

    /** Four decimals, unless rounding would make a failing value look equal to the threshold. */
    static String formatValue(double value, double threshold) {
        String s = String.format(Locale.ROOT, "%.4f", value);
        if (value != threshold && Double.parseDouble(s) == threshold) {
            return new BigDecimal(Double.toString(value)).toPlainString();
        }
        return s;
    }
}

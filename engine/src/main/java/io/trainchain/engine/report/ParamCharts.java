package io.trainchain.engine.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.trainchain.engine.store.EpochMetrics;
import io.trainchain.engine.store.SearchRecord.Trial;
import io.trainchain.engine.store.SearchRecord.TrialStatus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One chart per searched hyperparameter: the gate metric of each completed trial against the value it tried, and
 * the last validation value of each trial stopped early (ASHA) in a series of its own, since that one is measured on
 * fewer epochs and on the validation split.
 */
final class ParamCharts {

    private ParamCharts() {
    }

    static String html(List<Trial> trials, Map<Trial, List<EpochMetrics>> epochs,
                       Function<EpochMetrics, Double> curve, SearchSpec spec) {
        Map<Trial, Map<String, JsonNode>> params = params(trials);
        StringBuilder charts = new StringBuilder();
        List<String> constant = new ArrayList<>();
        int i = 0;
        for (String key : keys(params)) {
            Set<String> distinct = new LinkedHashSet<>();
            params.values().stream().map(p -> p.get(key)).filter(v -> v != null).forEach(v -> distinct.add(text(v)));
            if (distinct.size() < 2) {
                constant.add(key);
                continue;
            }
            boolean numeric = numeric(params, key);
            List<String> categories = numeric ? null : new ArrayList<>(distinct);
            List<double[]> completed = new ArrayList<>();
            List<double[]> stopped = new ArrayList<>();
            for (Trial t : trials) {
                JsonNode v = params.get(t).get(key);
                if (v == null) {
                    continue;
                }
                double x = numeric ? v.asDouble() : categories.indexOf(text(v));
                if (t.status() == TrialStatus.COMPLETED && t.value() != null) {
                    completed.add(new double[]{x, t.value()});
                } else {
                    Double last = last(epochs.get(t), curve);
                    if (last != null) {
                        stopped.add(new double[]{x, last});
                    }
                }
            }
            charts.append(Charts.scatter("chart-param-" + i++, key, key, spec.metric(), List.of(
                    new Charts.Series("completed: " + spec.metric(), completed),
                    new Charts.Series("stopped or failed: last " + spec.curveName(), stopped)), categories));
        }
        if (charts.isEmpty()) {
            charts.append("<p class=\"note\">No hyperparameter took two values or more.</p>");
        }
        return "<div class=\"charts\">" + charts + "</div>\n" + (constant.isEmpty() ? ""
                : "<p class=\"note\">The same in every trial: " + Html.esc(String.join(", ", constant)) + ".</p>\n");
    }

    /** Each trial's params by name (empty when its JSON is missing or not an object). */
    static Map<Trial, Map<String, JsonNode>> params(List<Trial> trials) {
        Map<Trial, Map<String, JsonNode>> all = new LinkedHashMap<>();
        for (Trial t : trials) {
            Map<String, JsonNode> p = new LinkedHashMap<>();
            JsonNode n = RunSections.parse(t.paramsJson());
            if (n != null && n.isObject()) {
                n.fields().forEachRemaining(e -> p.put(e.getKey(), e.getValue()));
            }
            all.put(t, p);
        }
        return all;
    }

    /** Every param name, in the order the trials first name them. */
    static List<String> keys(Map<Trial, Map<String, JsonNode>> params) {
        Set<String> keys = new LinkedHashSet<>();
        params.values().forEach(p -> keys.addAll(p.keySet()));
        return List.copyOf(keys);
    }

    static boolean numeric(Map<Trial, Map<String, JsonNode>> params, String key) {
        return params.values().stream().map(p -> p.get(key)).allMatch(v -> v == null || v.isNumber());
    }

    static Double last(List<EpochMetrics> epochs, Function<EpochMetrics, Double> curve) {
        for (int i = epochs == null ? -1 : epochs.size() - 1; i >= 0; i--) {
            Double v = curve.apply(epochs.get(i));
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static String text(JsonNode v) {
        return RunSections.text(v);
    }
}

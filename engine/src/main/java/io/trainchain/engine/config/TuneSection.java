package io.trainchain.engine.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * trainchain.yaml's {@code tune:}. Example:
 * <pre>
 * tune:
 *   strategy: asha                 # grid | random | asha
 *   seed: 7
 *   space:
 *     learning_rate: {log_uniform: [0.0005, 0.01]}
 *     batch_size: [64, 128]        # a list is a choice
 *     dropout: {uniform: [0, 0.5]}
 *     dense_units: {choice: [[256], [500]]}
 *   budget: {trials: 12, epochs: 30, minutes: 20}
 *   epochs: 3                      # per trial (ASHA's top rung)
 *   asha: {min_epochs: 1, reduction_factor: 3}
 *   stop: first_pass               # or budget
 *   notify: owner@example.com
 * </pre>
 */
final class TuneSection {
    static final List<String> KEYS = List.of("strategy", "seed", "space", "budget", "epochs", "asha", "grid_points",
            "stop", "concurrency", "max_failures", "keep_checkpoints", "notify");
    static final List<String> BUDGET_KEYS = List.of("trials", "epochs", "minutes");
    static final List<String> ASHA_KEYS = List.of("min_epochs", "reduction_factor");
    static final List<String> KINDS = List.of("choice", "uniform", "log_uniform", "int");

    private final YamlFields f;

    TuneSection(YamlFields f) {
        this.f = f;
    }

    TuneOptions read(Map<?, ?> root) {
        if (!root.containsKey("tune")) {
            return TuneOptions.NONE;
        }
        Map<?, ?> t = mapping(root.get("tune"), "tune", KEYS);
        String strategy = null;
        if (t.containsKey("strategy")) {
            strategy = f.string(t.get("strategy"), "tune.strategy", "one of " + TuneOptions.STRATEGIES);
            if (!TuneOptions.STRATEGIES.contains(strategy)) {
                throw f.wrongType("tune.strategy", strategy, "one of " + TuneOptions.STRATEGIES);
            }
        }
        Long seed = null;
        if (t.containsKey("seed")) {
            if (!(t.get("seed") instanceof Integer || t.get("seed") instanceof Long)) {
                throw f.wrongType("tune.seed", t.get("seed"), "a whole number, e.g. 42");
            }
            seed = ((Number) t.get("seed")).longValue();
        }
        SearchSpace space = t.containsKey("space") ? space(t.get("space")) : null;
        Integer trials = null;
        Integer epochBudget = null;
        Double minutes = null;
        if (t.containsKey("budget")) {
            Map<?, ?> b = mapping(t.get("budget"), "tune.budget", BUDGET_KEYS);
            if (b.isEmpty()) {
                throw f.bad(f.at("tune.budget") + ": tune.budget is empty; give trials, epochs and/or minutes, "
                        + "e.g. budget: {trials: 12, minutes: 30}: a search is never unbounded");
            }
            trials = b.containsKey("trials") ? f.positiveInt(b.get("trials"), "tune.budget.trials") : null;
            epochBudget = b.containsKey("epochs") ? f.positiveInt(b.get("epochs"), "tune.budget.epochs") : null;
            if (b.containsKey("minutes")) {
                minutes = f.number(b.get("minutes"), "tune.budget.minutes", "a positive number of minutes, e.g. 30");
                if (!(minutes > 0)) {
                    throw f.wrongType("tune.budget.minutes", b.get("minutes"), "a positive number of minutes, e.g. 30");
                }
            }
        }
        Integer trialEpochs = t.containsKey("epochs") ? f.positiveInt(t.get("epochs"), "tune.epochs") : null;
        Integer minEpochs = null;
        Integer eta = null;
        if (t.containsKey("asha")) {
            Map<?, ?> a = mapping(t.get("asha"), "tune.asha", ASHA_KEYS);
            minEpochs = a.containsKey("min_epochs") ? f.positiveInt(a.get("min_epochs"), "tune.asha.min_epochs") : null;
            if (a.containsKey("reduction_factor")) {
                eta = f.positiveInt(a.get("reduction_factor"), "tune.asha.reduction_factor");
                if (eta < 2) {
                    throw f.wrongType("tune.asha.reduction_factor", eta, "a whole number of at least 2, e.g. 3");
                }
            }
        }
        Integer gridPoints = t.containsKey("grid_points") ? f.positiveInt(t.get("grid_points"), "tune.grid_points")
                : null;
        Boolean firstPass = null;
        if (t.containsKey("stop")) {
            String s = f.string(t.get("stop"), "tune.stop", "first_pass or budget");
            if (!s.equals("first_pass") && !s.equals("budget")) {
                throw f.wrongType("tune.stop", s, "first_pass (end at the first trial that passes the gate) or "
                        + "budget (spend the budget to find the best)");
            }
            firstPass = s.equals("first_pass");
        }
        Integer concurrency = t.containsKey("concurrency") ? f.positiveInt(t.get("concurrency"), "tune.concurrency")
                : null;
        Integer maxFailures = t.containsKey("max_failures")
                ? f.positiveInt(t.get("max_failures"), "tune.max_failures") : null;
        Boolean keep = null;
        if (t.containsKey("keep_checkpoints")) {
            if (!(t.get("keep_checkpoints") instanceof Boolean b)) {
                throw f.wrongType("tune.keep_checkpoints", t.get("keep_checkpoints"), "true or false");
            }
            keep = b;
        }
        List<String> notify = t.containsKey("notify") ? addresses(t.get("notify")) : null;
        return new TuneOptions(strategy, space, seed, trials, epochBudget, minutes, trialEpochs, minEpochs, eta,
                gridPoints, firstPass, concurrency, maxFailures, keep, notify);
    }

    private SearchSpace space(Object v) {
        Map<?, ?> m = v instanceof Map<?, ?> map ? map : null;
        if (m == null || m.isEmpty()) {
            throw f.wrongType("tune.space", v, "a mapping of params to their values, e.g. "
                    + "{learning_rate: {log_uniform: [0.0005, 0.01]}, batch_size: [64, 128]}");
        }
        Map<String, SearchSpace.Dimension> dims = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String key = "tune.space." + e.getKey();
            String where = f.where(key);
            Object d = e.getValue();
            if (d instanceof List<?> list) {
                dims.put(String.valueOf(e.getKey()), SearchSpace.choice(new ArrayList<>(list), where));
                continue;
            }
            if (!(d instanceof Map<?, ?> dm) || dm.size() != 1 || !KINDS.contains(String.valueOf(
                    dm.keySet().iterator().next()))) {
                throw f.wrongType(key, d, "a list of values, or one of {choice: [..]}, {uniform: [LOW, HIGH]}, "
                        + "{log_uniform: [LOW, HIGH]}, {int: [LOW, HIGH]}");
            }
            String kind = String.valueOf(dm.keySet().iterator().next());
            Object arg = dm.values().iterator().next();
            if (!(arg instanceof List<?> values)) {
                throw f.wrongType(key + "." + kind, arg, "a list, e.g. [0.001, 0.01]");
            }
            dims.put(String.valueOf(e.getKey()), switch (kind) {
                case "choice" -> SearchSpace.choice(new ArrayList<>(values), where);
                case "int" -> SearchSpace.intRange(num(values, 0, key), num(values, 1, key), values.size(), where);
                default -> SearchSpace.range(num(values, 0, key), num(values, 1, key), kind.equals("log_uniform"),
                        values.size(), where);
            });
        }
        return new SearchSpace(dims);
    }

    private double num(List<?> values, int i, String key) {
        if (i >= values.size()) {
            throw f.bad(f.at(key) + ": '" + key + "' needs two numbers [LOW, HIGH]");
        }
        return f.number(values.get(i), key, "numbers [LOW, HIGH], e.g. [0.0001, 0.01]");
    }

    private List<String> addresses(Object v) {
        List<?> list = v instanceof List<?> l ? l : List.of(v);
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            String a = f.string(o, "tune.notify", "an e-mail address or a list of them");
            if (!a.matches("[^@\\s]+@[^@\\s]+")) {
                throw f.wrongType("tune.notify", o, "an e-mail address such as owner@example.com");
            }
            out.add(a);
        }
        return out;
    }

    private Map<?, ?> mapping(Object v, String key, List<String> keys) {
        if (!(v instanceof Map<?, ?> m)) {
            throw f.wrongType(key, v, "a mapping of " + String.join("/", keys));
        }
        f.checkKeys(m, keys, key + ".");
        return m;
    }
}

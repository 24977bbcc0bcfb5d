package io.trainchain.engine.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.trainchain.engine.store.EpochMetrics;
import io.trainchain.engine.store.RunRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs side by side: one row per property (lineage, each param, each metric), one value per run, and whether the
 * runs differ there. The CLI prints it as text, {@link CompareReport} as HTML; a champion comparison is the same
 * table with two runs.
 *
 * @param rows in the order run, params, metrics; a value is "-" where a run has none
 */
public record Comparison(List<RunRecord> runs, List<Row> rows) {

    /** @param group "run", "params" or "metrics" */
    public record Row(String group, String name, List<String> values, boolean differs) {
    }

    public Comparison {
        runs = List.copyOf(runs);
        rows = List.copyOf(rows);
    }

    public static Comparison of(List<RunRecord> runs) {
        List<Row> rows = new ArrayList<>();
        add(rows, "run", "status", runs, r -> String.valueOf(r.status()));
        add(rows, "run", "repository", runs, RunRecord::repository);
        add(rows, "run", "commit", runs, r -> r.git() == null ? null : r.git().commitId()
                + (r.git().dirty() ? " (uncommitted changes)" : ""));
        add(rows, "run", "branch", runs, r -> r.git() == null ? null : r.git().branch());
        add(rows, "run", "framework", runs, RunRecord::framework);
        add(rows, "run", "dataset", runs, r -> r.dataset() == null ? null : r.dataset().name());
        add(rows, "run", "training image", runs, RunRecord::imageId);
        add(rows, "run", "epochs trained", runs, r -> r.epochs().isEmpty() ? null
                : Integer.toString(r.epochs().get(r.epochs().size() - 1).epoch()));
        add(rows, "run", "training attempts", runs, r -> r.attempts().isEmpty() ? null
                : Integer.toString(r.attempts().size()));

        Map<String, List<String>> params = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            JsonNode p = RunSections.parse(runs.get(i).paramsJson());
            if (p != null && p.isObject()) {
                int run = i;
                p.fields().forEachRemaining(e -> params.computeIfAbsent(e.getKey(), k -> blank(runs.size()))
                        .set(run, RunSections.text(e.getValue())));
            }
        }
        params.forEach((k, v) -> rows.add(row("params", k, v)));

        add(rows, "metrics", "gate", runs, r -> r.gate() == null ? null : r.gate().metric() + " "
                + r.gate().direction().passSymbol() + " " + RunSections.threshold(r.gate().threshold()));
        add(rows, "metrics", "gate verdict", runs, r -> r.gate() == null ? null : r.gate().status().name());
        Set<String> metrics = new LinkedHashSet<>();
        runs.forEach(r -> metrics.addAll(r.metrics().keySet()));
        for (String m : metrics) {
            add(rows, "metrics", m, runs, r -> number(r.metrics().get(m)));
        }
        add(rows, "metrics", "last val_accuracy", runs, r -> last(r, EpochMetrics::valAccuracy));
        add(rows, "metrics", "last val_loss", runs, r -> last(r, EpochMetrics::valLoss));
        return new Comparison(runs, rows);
    }

    /** The rows where the runs differ. */
    public List<Row> differences() {
        return rows.stream().filter(Row::differs).toList();
    }

    private static void add(List<Row> rows, String group, String name, List<RunRecord> runs,
                            Function<RunRecord, String> value) {
        List<String> values = new ArrayList<>();
        runs.forEach(r -> values.add(value.apply(r)));
        if (values.stream().anyMatch(Objects::nonNull)) { // a row of dashes says nothing
            rows.add(row(group, name, values));
        }
    }

    private static Row row(String group, String name, List<String> values) {
        List<String> shown = values.stream().map(v -> v == null || v.isBlank() ? "-" : v).toList();
        return new Row(group, name, shown, new LinkedHashSet<>(shown).size() > 1);
    }

    private static List<String> blank(int n) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(null);
        }
        return l;
    }

    private static String last(RunRecord r, Function<EpochMetrics, Double> metric) {
        Optional<EpochMetrics> e = r.epochs().isEmpty() ? Optional.empty()
                : Optional.of(r.epochs().get(r.epochs().size() - 1));
        return e.map(metric).map(Comparison::number).orElse(null);
    }

    private static String number(Double v) {
        return v == null ? null : Html.num(v);
    }
}

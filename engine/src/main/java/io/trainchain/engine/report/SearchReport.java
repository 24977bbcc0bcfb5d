package io.trainchain.engine.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.trainchain.engine.store.EpochMetrics;
import io.trainchain.engine.store.RunRecord;
import io.trainchain.engine.store.RunStore;
import io.trainchain.engine.store.SearchRecord;
import io.trainchain.engine.store.SearchRecord.Trial;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static io.trainchain.engine.report.Html.esc;
import static io.trainchain.engine.report.Html.td;
import static io.trainchain.engine.report.Html.tdInt;
import static io.trainchain.engine.report.Html.tdNum;

/**
 * A hyperparameter search's self-contained HTML report: the verdict and why it stopped, every trial's validation
 * curve with ASHA's rungs as vertical lines, the trials table (sortable by any column), and one chart per
 * hyperparameter of the metric against its values.
 */
public final class SearchReport {

    private SearchReport() {
    }

    /** Writes the report, reading the trials' runs (their epochs) from the store; returns {@code out}. */
    public static Path write(SearchRecord search, RunStore store, Path out) {
        return write(search, trialRuns(search, store), out);
    }

    /** @param trialRuns the trials' runs by run id; a trial whose run is missing has no curve */
    public static Path write(SearchRecord search, Map<String, RunRecord> trialRuns, Path out) {
        return Html.write(html(search, trialRuns), out);
    }

    public static Map<String, RunRecord> trialRuns(SearchRecord search, RunStore store) {
        Map<String, RunRecord> runs = new LinkedHashMap<>();
        for (Trial t : search.trials()) {
            if (t.runId() != null) {
                store.getRun(t.runId()).ifPresent(r -> runs.put(r.id(), r));
            }
        }
        return runs;
    }

    /** {@value RunReport#FILE_NAME} in the search's folder (the parent of its trial-NNN folders), if a trial has one. */
    public static Optional<Path> defaultFile(SearchRecord search) {
        return search.trials().stream().map(Trial::runDir).filter(d -> d != null && !d.isBlank())
                .map(d -> Path.of(d).toAbsolutePath().getParent()).filter(d -> d != null).findFirst()
                .map(d -> d.resolve(RunReport.FILE_NAME));
    }

    public static String html(SearchRecord s, Map<String, RunRecord> trialRuns) {
        SearchSpec spec = SearchSpec.of(s);
        Function<EpochMetrics, Double> curve = spec.curveMetric();
        Map<Trial, List<EpochMetrics>> epochs = new LinkedHashMap<>();
        for (Trial t : s.trials()) {
            RunRecord run = t.runId() == null ? null : trialRuns.get(t.runId());
            epochs.put(t, run == null ? List.of() : Evaluation.epochs(run));
        }
        StringBuilder body = new StringBuilder();
        body.append(summary(s, spec));

        List<Charts.Series> series = new ArrayList<>();
        epochs.forEach((t, e) -> {
            if (!e.isEmpty()) {
                series.add(RunSections.series("trial " + t.number(), e, curve));
            }
        });
        List<Charts.Marker> markers = new ArrayList<>();
        List<Integer> rungs = spec.rungs();
        for (int k = 0; k < rungs.size(); k++) {
            markers.add(new Charts.Marker(rungs.get(k), "rung " + k));
        }
        String curves = series.isEmpty() ? "<p class=\"note\">No trial has recorded an epoch yet.</p>"
                : Charts.lines("chart-trials", "Every trial's " + spec.curveName() + " by epoch", "epoch",
                spec.curveName(), series, markers, spec.thresholdOnCurves(), "gate: " + spec.gateText());
        String rungNote = rungs.isEmpty() ? "" : "<p class=\"note\" id=\"rungs\" data-rungs=\"" + join(rungs)
                + "\">ASHA's rungs (vertical lines) at epochs " + join(rungs)
                + ": there a trial goes on only while it is among the best 1/" + spec.reductionFactor()
                + " of the trials that reached the rung.</p>\n";
        body.append(Html.section("curves", "Learning curves", curves + rungNote));
        body.append(Html.section("trials", "Trials", trialsTable(s, spec, epochs, curve)));
        body.append(Html.section("params", "Hyperparameters against " + spec.metric(),
                ParamCharts.html(s.trials(), epochs, curve, spec)));
        body.append(Html.section("spec", "Search settings",
                "<pre id=\"spec\">" + esc(RunSections.pretty(s.specJson())) + "</pre>"));
        String subtitle = s.strategy() + " search " + s.id() + " of " + s.repository() + ", started "
                + Html.time(s.startedAt()) + ", " + s.status();
        return Html.page("Trainchain search " + s.id(), subtitle, body.toString());
    }

    private static String summary(SearchRecord s, SearchSpec spec) {
        Optional<Trial> best = s.trials().stream().filter(t -> t.runId() != null && t.runId().equals(s.bestRunId()))
                .findFirst();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"verdict", Html.verdict(s.status())});
        rows.add(new String[]{"gate", esc(spec.gateText())});
        rows.add(new String[]{"best trial", best.map(t -> "trial " + t.number() + ": " + esc(spec.metric()) + " "
                + Html.num(t.value()) + ", run " + esc(t.runId())).orElse("-")});
        rows.add(new String[]{"stopped because", esc(RunSections.orDash(s.stopReason()))});
        rows.add(new String[]{"trials", s.trials().size() + " (" + count(s, SearchRecord.TrialStatus.COMPLETED)
                + " completed, " + count(s, SearchRecord.TrialStatus.STOPPED) + " stopped early, "
                + count(s, SearchRecord.TrialStatus.FAILED) + " failed, " + count(s, SearchRecord.TrialStatus.RUNNING)
                + " running)"});
        rows.add(new String[]{"epochs trained", Integer.toString(s.trials().stream().mapToInt(Trial::epochs).sum())});
        rows.add(new String[]{"strategy", esc(s.strategy())});
        rows.add(new String[]{"parent run", esc(RunSections.orDash(s.parentRunId()))});
        rows.add(new String[]{"started", Html.time(s.startedAt())});
        rows.add(new String[]{"finished", Html.time(s.finishedAt())});
        if (s.message() != null) {
            rows.add(new String[]{"message", esc(s.message())});
        }
        return Html.section("summary", "Verdict", Html.keyValues("search-summary", rows));
    }

    private static long count(SearchRecord s, SearchRecord.TrialStatus status) {
        return s.trials().stream().filter(t -> t.status() == status).count();
    }

    private static String trialsTable(SearchRecord s, SearchSpec spec, Map<Trial, List<EpochMetrics>> epochs,
                                      Function<EpochMetrics, Double> curve) {
        Map<Trial, Map<String, JsonNode>> params = ParamCharts.params(s.trials());
        List<String> keys = ParamCharts.keys(params);
        List<String> headers = new ArrayList<>(List.of("trial", "status", spec.metric(), "epochs", "stopped at rung",
                "last " + spec.curveName()));
        List<Boolean> numeric = new ArrayList<>(List.of(true, false, true, true, true, true));
        for (String k : keys) {
            headers.add(k);
            numeric.add(ParamCharts.numeric(params, k));
        }
        headers.addAll(List.of("run", "message"));
        numeric.addAll(List.of(false, false));
        Html.Table table = new Html.Table("trials-table", true, headers, numeric);
        for (Trial t : s.trials()) {
            List<String> cells = new ArrayList<>(List.of(tdInt(t.number()), td(t.status()), tdNum(t.value()),
                    tdInt(t.epochs()), rungCell(t.rung(), spec.rungs()), tdNum(ParamCharts.last(epochs.get(t), curve))));
            for (String k : keys) {
                JsonNode v = params.get(t).get(k);
                cells.add(v != null && v.isNumber() ? "<td class=\"n\" data-v=\"" + esc(v.asText()) + "\">"
                        + esc(RunSections.text(v)) + "</td>" : td(RunSections.text(v)));
            }
            cells.add(td(RunSections.orDash(t.runId())));
            cells.add(td(RunSections.orDash(t.message())));
            boolean best = t.runId() != null && t.runId().equals(s.bestRunId());
            table.row(best ? "best" : null, cells);
        }
        return "<p class=\"note\">Click a column's header to sort by it; the best trial is shaded.</p>\n"
                + "<div class=\"wide\">" + table.html() + "</div>";
    }

    private static String rungCell(Integer rung, List<Integer> rungs) {
        if (rung == null) {
            return "<td class=\"n\" data-v=\"\">-</td>";
        }
        int at = rung >= 0 && rung < rungs.size() ? rungs.get(rung) : 0;
        String epochs = at == 0 ? "" : " (" + at + (at == 1 ? " epoch)" : " epochs)");
        return "<td class=\"n\" data-v=\"" + rung + "\">" + rung + esc(epochs) + "</td>";
    }

    private static String join(List<Integer> l) {
        return String.join(",", l.stream().map(String::valueOf).toList());
    }
}

package io.trainchain.engine.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainchain.engine.store.AttemptRecord;
import io.trainchain.engine.store.EpochMetrics;
import io.trainchain.engine.store.GateRecord;
import io.trainchain.engine.store.RunEnvironment;
import io.trainchain.engine.store.RunRecord;
import io.trainchain.engine.store.StepTiming;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import static io.trainchain.engine.report.Html.esc;
import static io.trainchain.engine.report.Html.td;
import static io.trainchain.engine.report.Html.tdInt;
import static io.trainchain.engine.report.Html.tdNum;

/** The parts of a run's report, each an HTML section; the search and compare reports reuse some. */
final class RunSections {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunSections() {
    }

    /** Loss and validation quality by epoch, and the epochs as a table. */
    static String learningCurves(List<EpochMetrics> epochs) {
        if (epochs.isEmpty()) {
            return Html.section("curves", "Learning curves", "<p class=\"note\">No epoch was recorded.</p>");
        }
        String loss = Charts.lines("chart-loss", "Loss", "epoch", "loss", List.of(
                series("train loss", epochs, EpochMetrics::trainLoss),
                series("validation loss", epochs, EpochMetrics::valLoss)), List.of(), null, null);
        String quality = Charts.lines("chart-accuracy", "Validation accuracy and macro F1", "epoch", "value", List.of(
                series("validation accuracy", epochs, EpochMetrics::valAccuracy),
                series("validation macro F1", epochs, EpochMetrics::valMacroF1)), List.of(), null, null);
        Html.Table t = new Html.Table("epochs", true, List.of("epoch", "train loss", "val loss", "val accuracy",
                "val macro F1", "seconds", "images/s"), List.of(true, true, true, true, true, true, true));
        for (EpochMetrics e : epochs) {
            t.row(null, List.of(tdInt(e.epoch()), tdNum(e.trainLoss()), tdNum(e.valLoss()), tdNum(e.valAccuracy()),
                    tdNum(e.valMacroF1()), tdNum(e.seconds(), 2), tdNum(e.imagesPerSecond(), 1)));
        }
        return Html.section("curves", "Learning curves", "<div class=\"charts\">" + loss + quality + "</div>\n"
                + t.html());
    }

    static Charts.Series series(String name, List<EpochMetrics> epochs, Function<EpochMetrics, Double> metric) {
        List<double[]> points = new ArrayList<>();
        for (EpochMetrics e : epochs) {
            Double v = metric.apply(e);
            points.add(new double[]{e.epoch(), v == null ? Double.NaN : v});
        }
        return new Charts.Series(name, points);
    }

    /** Test metrics, the confusion matrix as a heat map and the per-class table. */
    static String evaluation(Evaluation ev) {
        StringBuilder b = new StringBuilder(Html.keyValues("test-metrics", List.of(
                new String[]{"accuracy", Html.num(ev.accuracy())},
                new String[]{"macro F1", Html.num(ev.macroF1())},
                new String[]{"test loss", Html.num(ev.testLoss())})));
        if (ev.confusion() != null) {
            b.append("<p class=\"note\">Confusion matrix on the test set: rows are the true class, columns the "
                    + "predicted one; each cell shows its count, shaded by its share of the row.</p>\n");
            b.append(Charts.heatMap("chart-confusion", "Confusion matrix", ev.labels(), ev.confusion()));
        }
        if (!ev.perClass().isEmpty()) {
            Html.Table t = new Html.Table("per-class", true, List.of("class", "precision", "recall", "F1", "support"),
                    List.of(false, true, true, true, true));
            for (Evaluation.ClassMetrics c : ev.perClass()) {
                t.row(null, List.of(td(c.name()), tdNum(c.precision()), tdNum(c.recall()), tdNum(c.f1()),
                        tdInt(c.support())));
            }
            b.append("<h3>Per class</h3>\n").append(t.html());
        }
        return Html.section("evaluation", "Evaluation (test set)", b.toString());
    }

    static String gate(GateRecord gate, Object status, String message) {
        if (gate == null) {
            return Html.section("gate", "Gate", "<p>" + Html.verdict(status) + " no gate verdict was recorded"
                    + (message == null ? "" : ": " + esc(message)) + "</p>");
        }
        String relation = gate.value() == null ? "" : " " + (gate.direction().passes(gate.value(), gate.threshold())
                ? gate.direction().passSymbol() : gate.direction().failSymbol()) + " ";
        return Html.section("gate", "Gate", "<p>" + Html.verdict(gate.status()) + " <span id=\"gate-line\">"
                + esc(gate.metric() + " " + (gate.value() == null ? "not measured" : Html.num(gate.value()))
                + relation + (gate.value() == null ? ", threshold " : "") + threshold(gate.threshold())
                + " (" + gate.direction().name().toLowerCase(Locale.ROOT) + ")") + "</span></p>"
                + (message == null ? "" : "<p>" + esc(message) + "</p>"));
    }

    static String threshold(double t) {
        return t == Math.rint(t) && Math.abs(t) < 1e9 ? Long.toString((long) t)
                : String.format(Locale.ROOT, "%s", t);
    }

    /**
     * What the run trained, as far as it is recorded today: code, data, image, params, attempts, steps. The model
     * registry will add where the model went; this section only shows what the store has.
     */
    static String lineage(RunRecord r, RunEnvironment env) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"run", esc(r.id())});
        rows.add(new String[]{"trigger", esc(r.trigger().toString())});
        rows.add(new String[]{"repository", esc(r.repository())});
        rows.add(new String[]{"commit", r.git() == null ? "- (not a Git checkout)" : esc(r.git().commitId())});
        rows.add(new String[]{"branch", r.git() == null ? "-" : esc(r.git().branch())});
        rows.add(new String[]{"uncommitted changes", r.git() == null ? "-"
                : r.git().dirty() ? "yes: the commit alone does not reproduce this run" : "no"});
        rows.add(new String[]{"framework", esc(orDash(r.framework()))});
        rows.add(new String[]{"dataset", r.dataset() == null ? "-" : esc(orDash(r.dataset().name()))});
        rows.add(new String[]{"training image", esc(orDash(r.imageId()))});
        if (env != null) {
            rows.add(new String[]{"image tag", esc(orDash(env.imageTag()))});
            rows.add(new String[]{"image content hash", esc(orDash(env.imageHash()))});
            rows.add(new String[]{"trainer", esc(env.trainer())});
            rows.add(new String[]{"threads and limits", esc(env.limits())});
        }
        rows.add(new String[]{"started", Html.time(r.startedAt())});
        rows.add(new String[]{"finished", Html.time(r.finishedAt())});
        StringBuilder b = new StringBuilder(Html.keyValues("lineage-table", rows));
        if (r.dataset() != null && r.dataset().json() != null) {
            b.append(datasetFiles(r.dataset().json()));
        }
        b.append("<h3>Params</h3>\n<pre id=\"params\">").append(esc(pretty(r.paramsJson()))).append("</pre>\n");
        if (!r.artifacts().isEmpty()) {
            b.append("<h3>Artifacts</h3>\n<ul>");
            r.artifacts().forEach(a -> b.append("<li><code>").append(esc(a)).append("</code></li>"));
            b.append("</ul>\n");
        }
        b.append(attempts(r.attempts())).append(steps(r.steps()));
        return Html.section("lineage", "Lineage", b.toString());
    }

    /** The dataset's files and checksums, as the trainer recorded them in evaluation.json. */
    private static String datasetFiles(String json) {
        JsonNode ds = parse(json);
        StringBuilder b = new StringBuilder();
        if (ds != null && ds.path("files").isArray() && !ds.get("files").isEmpty()) {
            Html.Table t = new Html.Table("dataset-files", false, List.of("file", "bytes", "SHA-256"),
                    List.of(false, true, false));
            for (JsonNode f : ds.get("files")) {
                t.row(null, List.of(td(f.path("file").asText("-")),
                        f.path("bytes").isNumber() ? tdInt(f.get("bytes").asLong()) : td("-"),
                        "<td><code>" + esc(f.path("sha256").asText("-")) + "</code></td>"));
            }
            b.append("<h3>Dataset files</h3>\n").append(t.html());
        }
        return b.append("<details><summary>Dataset identity (JSON)</summary><pre>").append(esc(pretty(json)))
                .append("</pre></details>\n").toString();
    }

    private static String attempts(List<AttemptRecord> attempts) {
        if (attempts.isEmpty()) {
            return "";
        }
        Html.Table t = new Html.Table("attempts", false, List.of("attempt", "started", "seconds", "ended", "exit code",
                "memory MiB", "resumed from", "lost seconds", "container", "message"),
                List.of(true, false, true, false, true, true, false, true, false, false));
        for (AttemptRecord a : attempts) {
            t.row(null, List.of(tdInt(a.attempt()), td(Html.time(a.startedAt())), tdNum(a.seconds(), 1),
                    td(a.cause() + (a.oomKilled() ? " (OOM-killed)" : "")), tdInt(a.exitCode()),
                    tdNum(a.memoryBytes() == null ? null : a.memoryBytes() / (1024.0 * 1024.0), 1),
                    td(orDash(a.resumedFrom())), tdNum(a.lostSeconds(), 1),
                    td(a.containerId() == null ? "-" : a.containerId().substring(0, Math.min(12, a.containerId().length()))),
                    td(orDash(a.message()))));
        }
        return "<h3>Training attempts (the watcher's containers)</h3>\n" + t.html();
    }

    private static String steps(List<StepTiming> steps) {
        if (steps.isEmpty()) {
            return "";
        }
        Html.Table t = new Html.Table("steps", false, List.of("step", "seconds", "outcome"), List.of(false, true, false));
        for (StepTiming s : steps) {
            t.row(null, List.of(td(s.step()), tdNum(s.duration().toMillis() / 1000.0, 2), td(orDash(s.outcome()))));
        }
        return "<h3>Steps</h3>\n" + t.html();
    }

    static String orDash(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }

    /** A JSON value as a person reads it: text unquoted, 0.0005 rather than Jackson's 5.0E-4. */
    static String text(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "-";
        }
        if (v.isNumber()) {
            return v.isIntegralNumber() ? v.asText() : v.decimalValue().stripTrailingZeros().toPlainString();
        }
        return v.isTextual() ? v.asText() : v.toString();
    }

    static JsonNode parse(String json) {
        try {
            return json == null ? null : JSON.readTree(json);
        } catch (IOException e) {
            return null;
        }
    }

    static String pretty(String json) {
        JsonNode n = parse(json);
        try {
            return n == null ? orDash(json) : JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n);
        } catch (IOException e) {
            return json;
        }
    }
}

package io.trainchain.engine.report;

import io.trainchain.engine.store.EpochMetrics;
import io.trainchain.engine.store.RunRecord;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.trainchain.engine.report.Html.esc;

/** {@code trainchain runs compare}: params and metrics side by side with the differences marked, and the runs' curves together. */
public final class CompareReport {

    private CompareReport() {
    }

    /** Writes the comparison of two or more runs; returns {@code out}. */
    public static Path write(List<RunRecord> runs, Path out) {
        return Html.write(html(runs), out);
    }

    public static String html(List<RunRecord> runs) {
        if (runs.size() < 2) {
            throw new IllegalArgumentException("a comparison needs two runs or more, got " + runs.size());
        }
        Comparison c = Comparison.of(runs);
        StringBuilder body = new StringBuilder();
        body.append(Html.section("comparison", "Side by side",
                "<p class=\"note\">" + c.differences().size() + " of " + c.rows().size()
                        + " rows differ; their cells are marked.</p>\n<div class=\"wide\">" + table(c) + "</div>"));
        List<Charts.Series> acc = new ArrayList<>();
        List<Charts.Series> valLoss = new ArrayList<>();
        List<Charts.Series> trainLoss = new ArrayList<>();
        for (RunRecord r : runs) {
            List<EpochMetrics> epochs = Evaluation.epochs(r);
            acc.add(RunSections.series(r.id(), epochs, EpochMetrics::valAccuracy));
            valLoss.add(RunSections.series(r.id(), epochs, EpochMetrics::valLoss));
            trainLoss.add(RunSections.series(r.id(), epochs, EpochMetrics::trainLoss));
        }
        body.append(Html.section("curves", "Learning curves", "<div class=\"charts\">"
                + chart("chart-compare-accuracy", "Validation accuracy", acc)
                + chart("chart-compare-val-loss", "Validation loss", valLoss)
                + chart("chart-compare-train-loss", "Training loss", trainLoss)
                + "</div>\n"));
        List<String> ids = runs.stream().map(RunRecord::id).toList();
        return Html.page("Trainchain: " + runs.size() + " runs compared", String.join(" vs ", ids), body.toString());
    }

    private static String chart(String id, String title, List<Charts.Series> series) {
        boolean any = series.stream().anyMatch(s -> s.points().stream().anyMatch(p -> Double.isFinite(p[1])));
        return any ? Charts.lines(id, title, "epoch", title.toLowerCase(java.util.Locale.ROOT), series, List.of(),
                null, null) : "";
    }

    /** The comparison as a table: one column per run, a cell marked "diff" where the row's values differ. */
    static String table(Comparison c) {
        StringBuilder b = new StringBuilder("<table id=\"compare\"><thead><tr><th></th><th></th>");
        for (RunRecord r : c.runs()) {
            b.append("<th>").append(esc(r.id())).append("</th>");
        }
        b.append("</tr></thead><tbody>\n");
        for (Comparison.Row row : c.rows()) {
            b.append("<tr").append(row.differs() ? " class=\"differs\"" : "").append("><th>").append(esc(row.group()))
                    .append("</th><th>").append(esc(row.name())).append("</th>");
            for (String v : row.values()) {
                b.append(row.differs() ? "<td class=\"diff\">" : "<td>").append(esc(v)).append("</td>");
            }
            b.append("</tr>\n");
        }
        return b.append("</tbody></table>\n").toString();
    }
}

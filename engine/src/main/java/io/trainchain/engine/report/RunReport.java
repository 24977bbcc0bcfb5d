package io.trainchain.engine.report;

import io.trainchain.engine.store.RunEnvironment;
import io.trainchain.engine.store.RunRecord;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One run's self-contained HTML report: gate verdict, learning curves, the test evaluation (confusion heat map,
 * per-class precision/recall/F1), the champion comparison when there is a champion, and the lineage.
 */
public final class RunReport {
    /** The report's file name in a run's folder. */
    public static final String FILE_NAME = "report.html";

    private RunReport() {
    }

    /** Writes the report of a run without a champion to compare with. */
    public static Path write(RunRecord run, Path out) {
        return write(run, null, out);
    }

    /**
     * Writes the report (through a temporary file, replacing an older one).
     *
     * @param champion the model the run competes with, or null: the section is left out, never filled with guesses
     * @return {@code out}
     */
    public static Path write(RunRecord run, RunRecord champion, Path out) {
        return write(run, champion, null, out);
    }

    /** As {@link #write(RunRecord, RunRecord, Path)}, with what the run trained with in its lineage (or null). */
    public static Path write(RunRecord run, RunRecord champion, RunEnvironment environment, Path out) {
        return Html.write(html(run, champion, environment), out);
    }

    /** The page itself, for a caller that embeds or serves it (the Jenkins build action). */
    public static String html(RunRecord run, RunRecord champion) {
        return html(run, champion, null);
    }

    /** As {@link #html(RunRecord, RunRecord)}, with the run's environment in its lineage (null: not recorded). */
    public static String html(RunRecord run, RunRecord champion, RunEnvironment environment) {
        StringBuilder body = new StringBuilder();
        body.append(RunSections.gate(run.gate(), run.status(), run.message()));
        body.append(RunSections.learningCurves(Evaluation.epochs(run)));
        Optional<Evaluation> ev = Evaluation.of(run);
        body.append(ev.map(RunSections::evaluation).orElseGet(() -> Html.section("evaluation", "Evaluation (test set)",
                "<p class=\"note\">No evaluation.json was recorded for this run"
                        + (run.metrics().isEmpty() ? "" : "; its stored metrics: " + Html.esc(run.metrics())) + ".</p>")));
        if (champion != null) {
            body.append(Html.section("champion", "Champion comparison",
                    "<p>This run against the champion " + Html.esc(champion.id()) + "; differing values are marked.</p>"
                            + CompareReport.table(Comparison.of(List.of(run, champion)))));
        }
        body.append(RunSections.lineage(run, environment));
        String subtitle = "Run " + run.id() + " of " + run.repository() + ", started " + Html.time(run.startedAt())
                + ", " + run.status();
        return Html.page("Trainchain run " + run.id(), subtitle, body.toString());
    }

    /**
     * Where a run's report goes by default: {@value #FILE_NAME} in the run's folder, the parent of the train/
     * folder its artifacts are in (the chain's layout: RUN_DIR/train/evaluation.json...); empty when no artifact
     * says where that is.
     */
    public static Optional<Path> defaultFile(RunRecord run) {
        return run.artifacts().stream().map(a -> Path.of(a).toAbsolutePath().getParent())
                .filter(d -> d != null && d.getFileName() != null && d.getFileName().toString().equals("train")
                        && d.getParent() != null)
                .findFirst().map(d -> d.getParent().resolve(FILE_NAME));
    }
}

package io.trainchain.jenkins;

import hudson.model.Run;
import hudson.model.TaskListener;
import jenkins.model.RunAction2;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * The run summary on the build page: best value, its hyperparameters, the trials table, the champion decision, and
 * the engine's HTML report embedded (in a sandboxed iframe's srcdoc: Jenkins' CSP blocks archived HTML files, and the
 * sandbox keeps the report's own styles and script away from Jenkins' page). The report is kept as a file in the
 * build's folder so build.xml stays small.
 */
public final class TrainchainAction implements RunAction2 {
    private final RunSummary summary;
    private final String reportFile;
    private final int index;
    private transient Run<?, ?> run;

    TrainchainAction(RunSummary summary, String reportFile, int index) {
        this.summary = summary;
        this.reportFile = reportFile;
        this.index = index;
    }

    /** Adds a summary to the build (a second training or a search gets its own page: trainchain-2, ...). */
    static void attach(Run<?, ?> run, RunSummary summary, String reportHtml, TaskListener listener) {
        // Parallel branches of one build attach at the same time: counting, writing the report and adding the action
        // under the build's lock keeps two of them off the same index (and so the same file and page).
        synchronized (run) {
            int index = run.getActions(TrainchainAction.class).size() + 1;
            String file = null;
            if (reportHtml != null) {
                file = "trainchain-report-" + index + ".html";
                try {
                    Files.writeString(new File(run.getRootDir(), file).toPath(), reportHtml, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    listener.getLogger().println("[trainchain] could not keep the HTML report with the build: "
                            + e.getMessage());
                    file = null;
                }
            }
            run.addAction(new TrainchainAction(summary, file, index));
        }
    }

    /** The build this summary belongs to (its side panel frames the page). */
    public Run<?, ?> getRun() {
        return run;
    }

    public RunSummary getSummary() {
        return summary;
    }

    /** The engine's report, or null when there is none. */
    public String getReportHtml() {
        if (reportFile == null || run == null) {
            return null;
        }
        try {
            return Files.readString(new File(run.getRootDir(), reportFile).toPath(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public String getIconFileName() {
        return "graph.png";
    }

    @Override
    public String getDisplayName() {
        return "Trainchain " + summary.getId();
    }

    @Override
    public String getUrlName() {
        return index == 1 ? "trainchain" : "trainchain-" + index;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        run = r;
    }
}

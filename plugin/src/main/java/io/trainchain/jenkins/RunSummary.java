package io.trainchain.jenkins;

import io.trainchain.engine.pipeline.StepResult;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the build page shows of a training or a search: the best value of the gate metric, its hyperparameters, the
 * trials table and the champion decision. Plain fields with getters (Jelly reads them; XStream stores them in
 * build.xml); the HTML report itself is kept beside the build, not here.
 */
public final class RunSummary implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One row of the trials table. */
    public static final class Trial implements Serializable {
        private static final long serialVersionUID = 1L;
        private final int number;
        private final String value;
        private final int epochs;
        private final String status;
        private final String params;

        Trial(int number, String value, int epochs, String status, String params) {
            this.number = number;
            this.value = value;
            this.epochs = epochs;
            this.status = status;
            this.params = params;
        }

        public int getNumber() {
            return number;
        }

        public String getValue() {
            return value;
        }

        public int getEpochs() {
            return epochs;
        }

        public String getStatus() {
            return status;
        }

        public String getParams() {
            return params;
        }
    }

    private final String step;
    private final String id;
    private final String status;
    private final String metric;
    private final String best;
    private final String params;
    private final String champion;
    private final List<Trial> trials;

    RunSummary(String step, String id, String status, String metric, String best, String params, String champion,
               List<Trial> trials) {
        this.step = step;
        this.id = id;
        this.status = status;
        this.metric = metric;
        this.best = best;
        this.params = params;
        this.champion = champion;
        this.trials = List.copyOf(trials);
    }

    /** The summary of a training or a search; empty for the other steps (they have no run to show). */
    public static Optional<RunSummary> of(StepResult result) {
        if (result instanceof StepResult.Trained t) {
            return Optional.of(new RunSummary("trainInContainer", "run " + t.runId(), t.status(), t.gate().metric(),
                    fmt(t.gate().value()), "", orNone(t.champion()), List.of()));
        } else if (result instanceof StepResult.Tuned t) {
            List<Trial> rows = new ArrayList<>();
            for (StepResult.TrialRow r : t.trials()) {
                rows.add(new Trial(r.number(), fmt(r.value()), r.epochs(), r.status(), params(r.params())));
            }
            return Optional.of(new RunSummary("tuneHyperparameters", "search " + t.searchId(), t.status(), t.metric(),
                    fmt(t.bestValue()), params(t.bestParams()), orNone(t.champion()), rows));
        }
        return Optional.empty();
    }

    static String fmt(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    static String params(Map<String, Object> p) {
        if (p == null || p.isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        p.forEach((k, v) -> s.append(s.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        return s.toString();
    }

    private static String orNone(String champion) {
        return champion == null ? "no registration (the model did not pass the gate)" : champion;
    }

    public String getStep() {
        return step;
    }

    public String getId() {
        return id;
    }

    public String getStatus() {
        return status;
    }

    public String getMetric() {
        return metric;
    }

    /** The best value of the gate metric, "-" when there is none. */
    public String getBest() {
        return best;
    }

    /** The best hyperparameters, "lr=0.01, batch=64"; empty for a single training. */
    public String getParams() {
        return params;
    }

    public String getChampion() {
        return champion;
    }

    public List<Trial> getTrials() {
        return trials;
    }
}

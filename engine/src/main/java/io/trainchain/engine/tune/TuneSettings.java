package io.trainchain.engine.tune;

import com.fasterxml.jackson.databind.ObjectMapper;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.config.SearchSpace;
import io.trainchain.engine.config.TuneOptions;
import io.trainchain.engine.gate.Direction;
import io.trainchain.engine.gate.GateSpec;

import java.util.List;
import java.util.Map;

/**
 * A search as it runs: the options merged (command line over trainchain.yaml) with the defaults and checked.
 * There is no unbounded mode: a search needs a budget of trials, epochs or minutes (any it lacks is unbounded
 * only where another bounds it), and ends at the first one spent.
 */
public record TuneSettings(String strategy, SearchSpace space, long seed, Integer maxTrials, Integer maxEpochs,
                           Double maxMinutes, int trialEpochs, int minEpochs, int reductionFactor, int gridPoints,
                           boolean stopAtFirstPass, int concurrency, int maxFailures, boolean keepCheckpoints,
                           List<String> owners, GateSpec gate, boolean epochsParam) {

    public static final long DEFAULT_SEED = 42;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** As {@link #resolve(TuneOptions, GateSpec, int, boolean)} for a trainer with an epochs param. */
    public static TuneSettings resolve(TuneOptions o, GateSpec gate, int trialEpochs) {
        return resolve(o, gate, trialEpochs, true);
    }

    /**
     * @param o           the merged options (command line over trainchain.yaml)
     * @param trialEpochs the run's epochs, when tune.epochs does not say
     * @param epochsParam whether a trial's epochs can be set (the built-in trainer, a script whose params have
     *                    'epochs', or tune.epochs given): without it a trial trains as its script decides, ASHA has
     *                    no rungs to stop at, and the default strategy is random
     */
    public static TuneSettings resolve(TuneOptions o, GateSpec gate, int trialEpochs, boolean epochsParam) {
        if (o.space() == null || o.space().isEmpty()) {
            throw TrainchainException.badInput("the search has no space: add 'tune: {space: {learning_rate: "
                    + "{log_uniform: [0.0005, 0.01]}}}' to trainchain.yaml or pass --param "
                    + "learning_rate=log_uniform:0.0005,0.01");
        }
        if (o.maxTrials() == null && o.maxEpochs() == null && o.maxMinutes() == null) {
            throw TrainchainException.badInput("the search has no budget: give tune.budget in trainchain.yaml "
                    + "(trials, epochs and/or minutes, e.g. budget: {trials: 12, minutes: 30}) or --max-trials, "
                    + "--max-epochs, --max-minutes; a search is never unbounded");
        }
        check(o.maxTrials(), "trials budget (tune.budget.trials, --max-trials)");
        check(o.maxEpochs(), "epochs budget (tune.budget.epochs, --max-epochs)");
        if (o.maxMinutes() != null && !(o.maxMinutes() > 0)) {
            throw TrainchainException.badInput("the time budget (tune.budget.minutes, --max-minutes) is "
                    + o.maxMinutes() + "; give a positive number of minutes");
        }
        boolean settable = epochsParam || o.trialEpochs() != null;
        String strategy = o.strategy() == null ? (settable ? "asha" : "random") : o.strategy();
        if (!TuneOptions.STRATEGIES.contains(strategy)) {
            throw TrainchainException.badInput("strategy '" + strategy + "' is not known; use one of "
                    + TuneOptions.STRATEGIES);
        }
        if (strategy.equals("asha") && !settable) {
            throw TrainchainException.badInput("ASHA stops trials at epochs, but this trainer's params have no "
                    + "'epochs' to set: give tune.epochs (and let the script take an epochs param), or use "
                    + "strategy random or grid");
        }
        int epochs = o.trialEpochs() != null ? o.trialEpochs() : settable ? trialEpochs : 1;
        check(epochs, "epochs per trial (tune.epochs)");
        int minEpochs = o.minEpochs() == null ? 1 : o.minEpochs();
        int eta = o.reductionFactor() == null ? 3 : o.reductionFactor();
        if (strategy.equals("asha") && minEpochs >= epochs) {
            throw TrainchainException.badInput("ASHA's first rung (tune.asha.min_epochs " + minEpochs + ") must be "
                    + "below the epochs of a trial (" + epochs + "); raise tune.epochs or lower min_epochs, or use "
                    + "strategy random");
        }
        if (eta < 2) {
            throw TrainchainException.badInput("ASHA's reduction factor is " + eta + "; use 2 or more (3 is usual)");
        }
        int concurrency = o.concurrency() == null ? 1 : o.concurrency();
        check(concurrency, "concurrency (tune.concurrency, --concurrency)");
        int maxFailures = o.maxFailures() == null ? 3 : o.maxFailures();
        check(maxFailures, "failure cap (tune.max_failures)");
        int gridPoints = o.gridPoints() == null ? 3 : o.gridPoints();
        check(gridPoints, "grid points (tune.grid_points)");
        return new TuneSettings(strategy, o.space(), o.seed() == null ? DEFAULT_SEED : o.seed(), o.maxTrials(),
                o.maxEpochs(), o.maxMinutes(), epochs, minEpochs, eta, gridPoints,
                o.stopAtFirstPass() == null || o.stopAtFirstPass(), concurrency, maxFailures,
                Boolean.TRUE.equals(o.keepCheckpoints()), o.owners() == null ? List.of() : o.owners(), gate, settable);
    }

    private static void check(Integer v, String what) {
        if (v != null && v <= 0) {
            throw TrainchainException.badInput("the " + what + " is " + v + "; give a positive whole number");
        }
    }

    public boolean higherIsBetter() {
        return gate.direction() == Direction.AT_LEAST;
    }

    /** The budget as one line: "12 trials, 30 epochs, 20 min". */
    public String budget() {
        StringBuilder b = new StringBuilder();
        if (maxTrials != null) {
            b.append(maxTrials).append(" trials");
        }
        if (maxEpochs != null) {
            b.append(b.isEmpty() ? "" : ", ").append(maxEpochs).append(" epochs");
        }
        if (maxMinutes != null) {
            b.append(b.isEmpty() ? "" : ", ").append(maxMinutes).append(" min");
        }
        return b.toString();
    }

    /**
     * Everything that decides which trials the search runs, as JSON: a resumed search must be the same search.
     *
     * @param baseParams the params every trial starts from
     * @param data       the dataset's name and the image limit
     */
    public String specJson(String baseParams, String data) {
        ObjectNode n = JSON.createObjectNode();
        n.put("strategy", strategy).put("seed", seed).put("trial_epochs", trialEpochs).put("min_epochs", minEpochs)
                .put("reduction_factor", reductionFactor).put("grid_points", gridPoints)
                .put("stop_at_first_pass", stopAtFirstPass);
        ObjectNode budget = n.putObject("budget");
        if (maxTrials != null) {
            budget.put("trials", maxTrials);
        }
        if (maxEpochs != null) {
            budget.put("epochs", maxEpochs);
        }
        if (maxMinutes != null) {
            budget.put("minutes", maxMinutes);
        }
        ObjectNode dims = n.putObject("space");
        for (Map.Entry<String, SearchSpace.Dimension> e : space.dimensions().entrySet()) {
            dims.put(e.getKey(), e.getValue().describe());
        }
        n.putObject("gate").put("metric", gate.metric()).put("threshold", gate.threshold())
                .put("direction", gate.direction().name());
        try {
            n.set("base_params", JSON.readTree(baseParams));
        } catch (java.io.IOException e) {
            n.put("base_params", baseParams);
        }
        n.put("data", data);
        return n.toString();
    }
}

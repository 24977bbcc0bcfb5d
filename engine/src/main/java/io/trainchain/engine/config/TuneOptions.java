package io.trainchain.engine.config;

import java.util.List;

/**
 * tuneHyperparameters as a user asks for it (trainchain.yaml's {@code tune:} or the command line); null fields mean
 * "the next source decides, else the default". The budget has no unbounded mode: see {@code TuneSettings}.
 *
 * @param strategy        grid, random or asha
 * @param space           the params searched
 * @param seed            seeds the sampled configurations
 * @param maxTrials       budget: trials started
 * @param maxEpochs       budget: epochs trained, all trials together
 * @param maxMinutes      budget: wall time of the search
 * @param trialEpochs     epochs of a trial that runs to the end (ASHA's top rung)
 * @param minEpochs       ASHA: epochs of the first rung
 * @param reductionFactor ASHA: keep the best 1/η at each rung
 * @param gridPoints      grid: points a continuous range is split into
 * @param stopAtFirstPass end at the first trial that passes the gate (else spend the budget for the best)
 * @param concurrency     trials at once, each with its share of CPUs and memory
 * @param maxFailures     failed trials before the search stops
 * @param keepCheckpoints keep every trial's checkpoints (else only the best trial's)
 * @param owners          e-mail addresses of the model's owner
 */
public record TuneOptions(String strategy, SearchSpace space, Long seed, Integer maxTrials, Integer maxEpochs,
                          Double maxMinutes, Integer trialEpochs, Integer minEpochs, Integer reductionFactor,
                          Integer gridPoints, Boolean stopAtFirstPass, Integer concurrency, Integer maxFailures,
                          Boolean keepCheckpoints, List<String> owners) {

    public static final TuneOptions NONE = new TuneOptions(null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null);

    public static final List<String> STRATEGIES = List.of("grid", "random", "asha");

    public TuneOptions {
        owners = owners == null ? null : List.copyOf(owners);
    }

    /** Whether anything at all was asked for (a tune: section, or a tuning option). */
    public boolean present() {
        return !equals(NONE);
    }

    /** Field by field: this one's value where it has one, else {@code lower}'s; spaces merge param by param. */
    public TuneOptions over(TuneOptions lower) {
        SearchSpace merged = space == null ? lower.space : lower.space == null ? space : lower.space.with(space);
        return new TuneOptions(pick(strategy, lower.strategy), merged, pick(seed, lower.seed),
                pick(maxTrials, lower.maxTrials), pick(maxEpochs, lower.maxEpochs), pick(maxMinutes, lower.maxMinutes),
                pick(trialEpochs, lower.trialEpochs), pick(minEpochs, lower.minEpochs),
                pick(reductionFactor, lower.reductionFactor), pick(gridPoints, lower.gridPoints),
                pick(stopAtFirstPass, lower.stopAtFirstPass), pick(concurrency, lower.concurrency),
                pick(maxFailures, lower.maxFailures), pick(keepCheckpoints, lower.keepCheckpoints),
                pick(owners, lower.owners));
    }

    private static <T> T pick(T mine, T theirs) {
        return mine != null ? mine : theirs;
    }
}

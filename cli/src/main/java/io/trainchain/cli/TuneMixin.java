package io.trainchain.cli;

import io.trainchain.engine.config.SearchSpace;
import io.trainchain.engine.config.TuneOptions;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/** The search's options, shared by {@code trainchain tune} and {@code trainchain run}; they win over tune: in trainchain.yaml. */
final class TuneMixin {
    @Option(names = "--strategy", paramLabel = "S", description = "grid, random or asha. Default: asha.")
    String strategy;

    @Option(names = "--param", paramLabel = "NAME=KIND:VALUES", description = "A searched param, repeatable: "
            + "NAME=choice:a,b,c, NAME=uniform:LOW,HIGH, NAME=log_uniform:LOW,HIGH or NAME=int:LOW,HIGH "
            + "(replaces tune.space's NAME).")
    List<String> params;

    @Option(names = "--seed", description = "Seeds the sampled configurations. Default: 42.")
    Long seed;

    @Option(names = "--max-trials", paramLabel = "N", description = "Budget: trials started.")
    Integer maxTrials;

    @Option(names = "--max-epochs", paramLabel = "N", description = "Budget: epochs trained by all trials.")
    Integer maxEpochs;

    @Option(names = "--max-minutes", paramLabel = "M", description = "Budget: wall time of the search.")
    Double maxMinutes;

    @Option(names = "--trial-epochs", paramLabel = "N", description = "Epochs of a trial that runs to the end "
            + "(ASHA's top rung). Default: tune.epochs, else the run's epochs.")
    Integer trialEpochs;

    @Option(names = "--concurrency", paramLabel = "N", description = "Trials at once, each with 1/N of the CPUs and "
            + "memory. Default: 1.")
    Integer concurrency;

    @Option(names = "--max-failures", paramLabel = "N", description = "Failed trials before the search stops. "
            + "Default: 3.")
    Integer maxFailures;

    @Option(names = "--stop-at-first-pass", negatable = true, paramLabel = "", description = "End at the first trial "
            + "that passes the gate (default); --no-stop-at-first-pass spends the budget to find the best.")
    Boolean stopAtFirstPass;

    @Option(names = "--keep-checkpoints", negatable = true, paramLabel = "",
            description = "Keep every trial's checkpoints (default: only the best trial's).")
    Boolean keepCheckpoints;

    @Option(names = "--notify", paramLabel = "EMAIL", description = "The owner's e-mail, repeatable (overrides "
            + "tune.notify; default: the commit's author). The SMTP server comes from TRAINCHAIN_SMTP_*; without one "
            + "the e-mail goes to the outbox.")
    List<String> notify;

    @Option(names = "--outbox", paramLabel = "DIR", description = "Where unsent e-mail waits. Default: "
            + "$TRAINCHAIN_OUTBOX, else outbox/ next to the run database.")
    Path outbox;

    TuneOptions toOptions() {
        SearchSpace space = null;
        if (params != null) {
            space = SearchSpace.EMPTY;
            for (String p : params) {
                space = space.with(SearchSpace.parseOption(p, "--param"));
            }
        }
        return new TuneOptions(strategy, space, seed, maxTrials, maxEpochs, maxMinutes, trialEpochs, null, null, null,
                stopAtFirstPass, concurrency, maxFailures, keepCheckpoints, notify);
    }
}

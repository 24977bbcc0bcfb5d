package io.trainchain.engine.pipeline;

import io.trainchain.engine.ChainListener;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.chain.ChainRequest;
import io.trainchain.engine.chain.ChainResult;
import io.trainchain.engine.chain.ChainRunner;
import io.trainchain.engine.chain.ChainTimeouts;
import io.trainchain.engine.chain.GateOverride;
import io.trainchain.engine.config.Limits;
import io.trainchain.engine.config.ProjectConfig;
import io.trainchain.engine.config.SearchSpace;
import io.trainchain.engine.config.TuneOptions;
import io.trainchain.engine.config.WatchOptions;
import io.trainchain.engine.gate.Direction;
import io.trainchain.engine.gate.GateSpec;
import io.trainchain.engine.notify.MailSettings;
import io.trainchain.engine.notify.Mailer;
import io.trainchain.engine.report.RunReport;
import io.trainchain.engine.store.RunStore;
import io.trainchain.engine.tune.ComposedOwnerMail;
import io.trainchain.engine.tune.OwnerMail;
import io.trainchain.engine.tune.SearchMailer;
import io.trainchain.engine.tune.SearchResult;
import io.trainchain.engine.tune.TrialSummary;
import io.trainchain.engine.tune.TuneHyperparameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** trainInContainer and tuneHyperparameters: the chain's runner and the tuner, recorded in the run store. */
final class TrainAndTune {
    private final EngineSetup setup;
    private final Path workspace;
    private final ChainListener out;

    TrainAndTune(EngineSetup setup, Path workspace, ChainListener out) {
        this.setup = setup;
        this.workspace = workspace;
        this.out = out;
    }

    StepResult run(StepRequest request) {
        if (request instanceof StepRequest.Train t) {
            return train(t);
        } else if (request instanceof StepRequest.Tune t) {
            return tune(t);
        }
        throw new IllegalArgumentException("not a step of the engine: " + request);
    }

    /** The request as the chain takes it: the same mapping as the CLI's {@code trainchain run} options. */
    ChainRequest chainRequest(StepRequest.Train t) {
        if (t.timeoutMinutes() <= 0) {
            throw TrainchainException.badInput("trainInContainer timeoutMinutes is " + t.timeoutMinutes()
                    + "; use 1 or more minutes");
        }
        if (t.cpus() != null && !(t.cpus() > 0)) {
            throw TrainchainException.badInput("trainInContainer cpus is " + t.cpus() + "; use a positive number such "
                    + "as 2");
        }
        if (t.restarts() != null && t.restarts() < 0) {
            throw TrainchainException.badInput("trainInContainer restarts is " + t.restarts() + "; use 0 (no watcher) "
                    + "or more");
        }
        String memory = PipelineSteps.blankToNull(t.memory());
        Limits limits = new Limits(memory, memory == null ? null : Limits.parseMemory(memory, "memory"), t.cpus(),
                null);
        Path repo = resolve(t.repository());
        StepRequest.Gate g = withFallback(t.gate(), t.fallback(), repo);
        GateOverride gate = new GateOverride(PipelineSteps.blankToNull(g.metric()), g.threshold(),
                g.direction() == null ? null : Direction.parse(g.direction()));
        ChainTimeouts timeouts = new ChainTimeouts(ChainTimeouts.DEFAULT.baseImage(), ChainTimeouts.DEFAULT.build(),
                Duration.ofMinutes(t.timeoutMinutes()));
        WatchOptions watch = new WatchOptions(t.restarts(), null, null, null, null, null, null, null, null, null);
        return new ChainRequest(repo, path(t.data()), path(t.params()), gate, limits, t.limit(),
                t.epochs(), null, setup.trainerDist(workspace), setup.dockerfiles(workspace), path(t.outputDir()),
                null, t.keepContainer(), timeouts, watch);
    }

    private StepResult.Trained train(StepRequest.Train t) {
        ChainRequest req = chainRequest(t);
        try (RunStore runs = RunStore.open(setup.store(workspace))) {
            ChainResult r = new ChainRunner(setup.docker()).run(req, runs, out);
            Map<String, String> artifacts = new LinkedHashMap<>();
            artifacts.put("outputDir", r.outputDir().toString());
            artifacts.put("trainOutputDir", r.trainOutputDir().toString());
            artifacts.put("evaluation", r.trainOutputDir().resolve("evaluation.json").toString());
            artifacts.put("metricsFile", r.trainOutputDir().resolve("metrics.jsonl").toString());
            if (r.model() != null) {
                artifacts.put("model", r.model().toString());
            }
            artifacts.put("report", r.outputDir().resolve(RunReport.FILE_NAME).toString());
            return new StepResult.Trained(r.runId(), r.status().name(), r.image().tag(), r.metrics(), artifacts,
                    PipelineSteps.gateResult(r.gate()), PipelineSteps.attempts(r.attempts()),
                    r.registration() == null ? null : r.registration().summary(),
                    readReport(r.outputDir().resolve(RunReport.FILE_NAME)));
        }
    }

    private StepResult.Tuned tune(StepRequest.Tune t) {
        StepRequest.Train asTrain = new StepRequest.Train(t.repository(), t.data(), null, null, t.limit(), null, null,
                null, StepRequest.Train.DEFAULT_TIMEOUT_MINUTES, false, t.gate(), null, t.fallback());
        ChainRequest chain = chainRequest(asTrain);
        TuneOptions options = new TuneOptions(PipelineSteps.blankToNull(t.strategy()), space(t.space()), null,
                t.maxTrials(),
                t.maxEpochs(), t.maxMinutes(), t.trialEpochs(), null, null, null, null, t.concurrency(), null, null,
                owners(t, chain.repository()));
        Path store = setup.store(workspace);
        ComposedOwnerMail deferred = new ComposedOwnerMail();
        SearchMailer mailer = t.mail().deferred() ? deferred : new OwnerMail(new Mailer(engineMail(t, store)));
        try (RunStore runs = RunStore.open(store)) {
            SearchResult r = new TuneHyperparameters(setup.docker(), mailer)
                    .run(new TuneHyperparameters.Request(chain, options, PipelineSteps.blankToNull(t.parentRunId()),
                            false, null), runs, out);
            StepResult.OutgoingMail outgoing = deferred.mail().map(m -> new StepResult.OutgoingMail(m.to(),
                    m.subject(), m.text(), m.html())).orElse(null);
            return tuned(r, outgoing);
        }
    }

    /**
     * Who gets the search's e-mail: the step's owners, else trainchain.yaml's tune.notify (null here: the search
     * reads the file itself), else the caller's default owners, else null (the commit's author).
     */
    static List<String> owners(StepRequest.Tune t, Path repo) {
        if (!t.owners().isEmpty()) {
            return t.owners();
        }
        if (t.fallbackOwners().isEmpty()) {
            return null;
        }
        List<String> notify = Files.isDirectory(repo) ? ProjectConfig.load(repo).tune().owners() : null;
        return notify != null && !notify.isEmpty() ? null : t.fallbackOwners();
    }

    /**
     * The step's gate fields, then trainchain.yaml's, then the caller's defaults: a default fills the metric or the
     * threshold only where the file does not set it (even to the engine's own default).
     */
    static StepRequest.Gate withFallback(StepRequest.Gate step, StepRequest.Gate fallback, Path repo) {
        if (fallback == null || (fallback.metric() == null && fallback.threshold() == null)) {
            return step;
        }
        Set<String> fileSets = Files.isDirectory(repo) ? ProjectConfig.load(repo).gateKeys() : Set.of();
        String metric = step.metric() != null ? step.metric() : fileSets.contains("metric") ? null : fallback.metric();
        Double threshold = step.threshold() != null ? step.threshold()
                : fileSets.contains("threshold") ? null : fallback.threshold();
        return new StepRequest.Gate(step.evaluation(), metric, threshold, step.direction());
    }

    /** The searched params, each as the CLI's --param; null (trainchain.yaml's space) when none is given. */
    static SearchSpace space(List<String> entries) {
        SearchSpace space = null;
        for (String entry : entries) {
            space = (space == null ? SearchSpace.EMPTY : space).with(SearchSpace.parseOption(entry.trim(), "space"));
        }
        return space;
    }

    /** The engine's SMTP: the caller's settings over the agent's TRAINCHAIN_SMTP_*; the outbox beside the store. */
    static MailSettings engineMail(StepRequest.Tune t, Path store) {
        Map<String, String> env = t.mail().smtp().over(System.getenv());
        Path outbox = MailSettings.outbox(env, store.toAbsolutePath().resolveSibling("outbox"));
        return MailSettings.fromEnvironment(env, outbox).withOutbox(outbox);
    }

    static StepResult.Tuned tuned(SearchResult r, StepResult.OutgoingMail outgoing) {
        List<StepResult.TrialRow> trials = r.ranked().stream().map(TrainAndTune::trial).toList();
        TrialSummary best = r.best().orElse(null);
        return new StepResult.Tuned(r.searchId(), r.status().name(), r.passed(), r.stopReason(),
                r.settings().gate().metric(), best == null ? null : best.value(),
                best == null ? Map.of() : new LinkedHashMap<>(best.params()),
                best == null || best.model() == null ? null : best.model().toString(),
                best == null ? null : best.runId(), trials, r.epochsSpent(), r.mail(), outgoing,
                r.registration() == null ? null : r.registration().summary(), readReport(r.report()));
    }

    private static StepResult.TrialRow trial(TrialSummary t) {
        return new StepResult.TrialRow(t.number(), new LinkedHashMap<>(t.params()), String.valueOf(t.status()),
                t.value(), t.epochs(), t.passed(), t.runId(), t.model() == null ? null : t.model().toString());
    }

    /** The report's HTML, or null when there is none (its absence was already logged by the engine). */
    static String readReport(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return null;
        }
    }

    private Path resolve(String p) {
        return workspace.resolve(p).toAbsolutePath().normalize();
    }

    private Path path(String p) {
        return p == null || p.isBlank() ? null : resolve(p.trim());
    }
}

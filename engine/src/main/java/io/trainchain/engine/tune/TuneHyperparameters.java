package io.trainchain.engine.tune;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainchain.engine.ChainListener;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.chain.ChainRequest;
import io.trainchain.engine.chain.Registration;
import io.trainchain.engine.chain.TrialRunner;
import io.trainchain.engine.config.TuneOptions;
import io.trainchain.engine.detect.Framework;
import io.trainchain.engine.docker.DockerConnection;
import io.trainchain.engine.gate.GateResult;
import io.trainchain.engine.gate.GateStatus;
import io.trainchain.engine.report.RunReport;
import io.trainchain.engine.store.RunStore;
import io.trainchain.engine.store.SearchRecord;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * tuneHyperparameters: a budgeted search that retrains. The chain's steps are prepared once (detect, image); each
 * trial is "train under the watcher, then gate" ({@link TrialRunner}), a run of its own linked to its search in the
 * run store. The search state lives in the store, so a search whose process was killed resumes where it was.
 */
public final class TuneHyperparameters {
    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param chain       the repository and the chain's options, as for a chain run
     * @param options     the command line's tuning options (over trainchain.yaml's tune:)
     * @param parentRunId the chain run whose result below the gate started the search, or null
     * @param resume      continue the newest unfinished search of this repository with the same settings
     * @param resumeId    continue this search (its settings must be the same); null for none
     */
    public record Request(ChainRequest chain, TuneOptions options, String parentRunId, boolean resume,
                          String resumeId) {
        public Request {
            Objects.requireNonNull(chain, "chain");
            options = options == null ? TuneOptions.NONE : options;
        }
    }

    private final Supplier<DockerConnection> docker;
    private final SearchMailer mailer;

    /**
     * @param docker connects to the engine (once for the search, again after the engine went away)
     * @param mailer sends the owner's e-mail at the end; {@link SearchMailer#NONE} to send none
     */
    public TuneHyperparameters(Supplier<DockerConnection> docker, SearchMailer mailer) {
        this.docker = Objects.requireNonNull(docker, "docker");
        this.mailer = mailer == null ? SearchMailer.NONE : mailer;
    }

    /** Whether the repository asks for a search below the gate (a tune: section in trainchain.yaml). */
    public static boolean configured(Path repository) {
        return io.trainchain.engine.config.ProjectConfig.load(repository.toAbsolutePath().normalize()).tune()
                .present();
    }

    public SearchResult run(Request req, RunStore store, ChainListener listener) {
        TuneListener out = TuneListener.of(listener);
        TuneSettings[] resolved = new TuneSettings[1];
        try (TrialRunner runner = TrialRunner.prepare(req.chain(), store, docker, out, plan -> resolved[0] =
                TuneSettings.resolve(req.options().over(plan.project().config().tune()), plan.settings().gate(),
                        plan.params().epochs(), plan.project().framework() == Framework.DL4J
                                || params(plan.params().json()).containsKey("epochs")))) {
            TuneSettings settings = resolved[0];
            String data = runner.settings().dataset().name() + (runner.settings().limit() == null ? ""
                    : ", " + runner.settings().limit() + " images");
            String spec = settings.specJson(runner.params().json(), data);
            String repo = runner.project().repo().toString();
            Optional<SearchRecord> found = findResumable(req, store, repo, spec, out);
            String searchId = found.map(SearchRecord::id).orElseGet(() ->
                    store.startSearch(req.parentRunId(), repo, settings.strategy(), spec));
            try (SearchLock lock = SearchLock.acquire(store, searchId)) {
                Optional<SearchRecord> resumed = found.map(s -> reread(store, s.id()));
                Path dir = searchDir(req.chain(), store, searchId);
                out.log(TuneListener.STEP, (resumed.isPresent() ? "resuming search " : "search ") + searchId + ": "
                        + settings.strategy() + " over " + settings.space().dimensions().size() + " params, budget "
                        + settings.budget() + ", " + settings.trialEpochs() + " epochs a trial, "
                        + (settings.stopAtFirstPass() ? "stop at the first pass" : "spend the budget") + "; in " + dir);
                Search search = new Search(searchId, settings, runner::run, store, out, dir);
                resumed.ifPresent(search::restore);
                SearchResult ended = search.run();
                Registration registration = ended.best().filter(TrialSummary::passed).map(b -> Registration.ifPassed(
                        store, runner.project(), b.runId(), new GateResult(GateStatus.PASSED, settings.gate().metric(),
                                b.value(), settings.gate().threshold(), settings.gate().direction(), "passed"),
                        b.model(), b.runDir().resolve("train"), runner.settings().dataset().name(),
                        runner.remeasure(dir, out), out)).orElse(null);
                Path report = Reports.search(store, searchId, dir.resolve(RunReport.FILE_NAME), out);
                SearchResult result = new SearchResult(ended.searchId(), ended.status(), ended.stopReason(), settings,
                        ended.trials(), ended.best(), ended.epochsSpent(), ended.seconds(), null, report, registration);
                String mail = mailer.send(result, runner.project(), out);
                return new SearchResult(result.searchId(), result.status(), result.stopReason(), settings,
                        result.trials(), result.best(), result.epochsSpent(), result.seconds(), mail, report,
                        registration);
            }
        }
    }

    private static Optional<SearchRecord> findResumable(Request req, RunStore store, String repo, String spec,
                                                        TuneListener out) {
        if (req.resumeId() != null) {
            SearchRecord s = store.getSearch(req.resumeId()).orElseThrow(() -> TrainchainException.badInput(
                    "no search " + req.resumeId() + " in " + store.path() + "; trainchain tune --list shows them"));
            if (s.finishedAt() != null) {
                throw TrainchainException.badInput("search " + s.id() + " has already ended (" + s.status() + ", "
                        + s.stopReason() + "); start a new one without --resume");
            }
            if (!sameSpec(s.specJson(), spec)) {
                throw TrainchainException.badInput("search " + s.id() + " was started with other settings ("
                        + s.specJson() + "); resume it with the same trainchain.yaml and options, or start a new "
                        + "search without --resume");
            }
            return Optional.of(s);
        }
        Optional<SearchRecord> same = store.listSearches(repo, true, 20).stream()
                .filter(s -> sameSpec(s.specJson(), spec)).findFirst();
        if (same.isPresent() && !req.resume()) {
            out.log(TuneListener.STEP, "search " + same.get().id() + " with these settings did not finish; "
                    + "--resume continues it; starting a new one");
            return Optional.empty();
        }
        return same;
    }

    /**
     * The search as it is now that this process holds its lock: another may have run it on, or to its end, between
     * {@link #findResumable} and the lock.
     */
    static SearchRecord reread(RunStore store, String searchId) {
        SearchRecord s = store.getSearch(searchId).orElseThrow(() -> TrainchainException.badInput("search "
                + searchId + " is no longer in " + store.path() + "; trainchain tune --list "
                + "shows the searches there"));
        if (s.finishedAt() != null) {
            throw TrainchainException.badInput("search " + searchId + " ended in another process while this one "
                    + "was starting to resume it (" + s.status() + ", " + s.stopReason() + "); start a new one "
                    + "without --resume");
        }
        return s;
    }

    private static boolean sameSpec(String a, String b) {
        try {
            return JSON.readTree(a).equals(JSON.readTree(b));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * {@code searches/<id>/} under --out (the chain run's own folder when the search follows `trainchain run --out`:
     * its report and the search's must not overwrite each other), else under the work folder or the store's.
     */
    static Path searchDir(ChainRequest req, RunStore store, String searchId) {
        Path base = req.outputDir() != null ? req.outputDir()
                : req.workDir() != null ? req.workDir() : store.path().toAbsolutePath().getParent();
        return base.resolve("searches").resolve(searchId).toAbsolutePath().normalize();
    }

    static Map<String, Object> params(String json) {
        try {
            return JSON.readValue(json, new TypeReference<>() { });
        } catch (IOException e) {
            throw TrainchainException.internal("stored trial params are not JSON: " + json, e);
        }
    }

    static String json(Map<String, Object> params) {
        try {
            return JSON.writeValueAsString(params);
        } catch (IOException e) {
            throw TrainchainException.internal("cannot write trial params " + params, e);
        }
    }
}

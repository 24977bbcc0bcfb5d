package io.trainchain.engine.tune;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.chain.TrialRunner;
import io.trainchain.engine.config.SearchSpace;
import io.trainchain.engine.config.TuneOptions;
import io.trainchain.engine.gate.Direction;
import io.trainchain.engine.gate.GateResult;
import io.trainchain.engine.gate.GateSpec;
import io.trainchain.engine.gate.GateStatus;
import io.trainchain.engine.store.EpochMetrics;
import io.trainchain.engine.store.RunOutcome;
import io.trainchain.engine.store.RunStart;
import io.trainchain.engine.store.RunStatus;
import io.trainchain.engine.store.RunStore;
import io.trainchain.engine.store.SearchRecord;
import io.trainchain.engine.store.SearchRecord.TrialStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The search loop on scripted trials (no Docker: the executor plays each trial's epoch values, as the trainer's
 * metrics.jsonl would stream them, and ends early on an interrupt as the real one does) with the real run store:
 * ASHA's stops, each budget's end, the first pass, the failure cap, bad input, and a resume from a store written
 * mid-search.
 */
class SearchTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** Trials by learning rate: the val_accuracy of each epoch (the last one is also the test accuracy). */
    private final class Script implements TrialExecutor {
        final Map<Object, double[]> values;
        final RunStore store;
        final List<TrialRunner.Trial> calls = new CopyOnWriteArrayList<>();
        TrainchainException.Kind failWith;
        long sleepMillis;

        Script(RunStore store, Map<Object, double[]> values) {
            this.store = store;
            this.values = values;
        }

        @Override
        public TrialRunner.Result run(TrialRunner.Trial t) {
            calls.add(t);
            String runId = store.startRun(new RunStart(Path.of("/repo"), null, "dl4j", null, "{}"));
            t.started().accept(runId);
            if (failWith != null) {
                store.finishRun(runId, new RunOutcome(RunStatus.FAILED, null, List.of(), null, Map.of(), "boom"));
                return new TrialRunner.Result(runId, RunStatus.FAILED, null, Map.of(), null, null, "train: boom",
                        failWith);
            }
            double[] v = values.get(t.params().get("lr"));
            for (int e = 1; e <= t.epochs(); e++) {
                try {
                    Thread.sleep(sleepMillis);
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                }
                if (Thread.interrupted()) {
                    store.finishRun(runId, new RunOutcome(RunStatus.STOPPED, null, List.of(), null, Map.of(), "x"));
                    return new TrialRunner.Result(runId, RunStatus.STOPPED, null, Map.of(), null, null, "stopped",
                            null);
                }
                store.recordEpoch(runId, new EpochMetrics(e, null, null, v[e - 1], null, null, null));
                t.listener().epoch("train", JSON.createObjectNode().put("epoch", e).put("val_accuracy", v[e - 1]));
            }
            double last = v[t.epochs() - 1];
            boolean pass = last >= 0.9;
            GateResult gate = new GateResult(pass ? GateStatus.PASSED : GateStatus.BELOW_THRESHOLD, "accuracy", last,
                    0.9, Direction.AT_LEAST, "accuracy " + last);
            store.finishRun(runId, new RunOutcome(pass ? RunStatus.PASSED : RunStatus.BELOW_THRESHOLD, null,
                    List.of(), null, Map.of("accuracy", last), gate.message()));
            return new TrialRunner.Result(runId, pass ? RunStatus.PASSED : RunStatus.BELOW_THRESHOLD, gate,
                    Map.of("accuracy", last), null, null, gate.message(), null);
        }
    }

    private static TuneSettings settings(String strategy, String lrs, Integer trials, Integer epochs, Double minutes,
                                         int trialEpochs, boolean firstPass) {
        return TuneSettings.resolve(new TuneOptions(strategy, SearchSpace.parseOption("lr=choice:" + lrs, "--param"),
                1L, trials, epochs, minutes, trialEpochs, 1, 3, null, firstPass, 1, 3, false, null),
                GateSpec.defaults().withThreshold(0.9), trialEpochs);
    }

    private SearchResult search(RunStore store, TuneSettings s, Script script) {
        String id = store.startSearch(null, "/repo", s.strategy(), s.specJson("{}", "d"));
        return new Search(id, s, script, store, TuneListener.of(null), tmp.resolve(id)).run();
    }

    private static final Map<Object, double[]> VALUES = Map.of(
            1, new double[] {0.80, 0.85, 0.88},
            2, new double[] {0.50, 0.60, 0.70},
            3, new double[] {0.85, 0.89, 0.95},
            4, new double[] {0.81, 0.86, 0.89},
            5, new double[] {0.80, 0.84, 0.87});

    @Test
    void ashaStopsATrialBehindTheOthersAtItsRung() {
        try (RunStore store = RunStore.open(tmp.resolve("runs.db"))) {
            Script script = new Script(store, VALUES);
            SearchResult r = search(store, settings("grid", "1,2", null, 100, null, 3, false), script);
            assertEquals(List.of(3, 3), r.trials().stream().map(TrialSummary::epochs).toList(), "grid: no rungs");

            SearchResult a = search(store, TuneSettings.resolve(new TuneOptions("asha", SearchSpace.parseOption(
                    "lr=choice:1,2,3", "--param"), 1L, null, 100, null, 3, 1, 3, null, false, 1, 3, false, null),
                    GateSpec.defaults().withThreshold(0.9), 3), script);
            Map<Object, TrialSummary> byLr = new java.util.HashMap<>();
            a.trials().forEach(t -> byLr.put(t.params().get("lr"), t));
            TrialSummary weak = byLr.get(2);
            boolean weakFirst = a.trials().get(0) == weak;
            assertEquals(weakFirst ? TrialStatus.COMPLETED : TrialStatus.STOPPED, weak.status(), a.trials().toString());
            if (!weakFirst) {
                assertEquals(0, weak.rung());
                assertEquals(1, weak.epochs());
                assertTrue(weak.message().startsWith("stopped at rung 0 (epoch 1): 0.5000 against the cut"),
                        weak.message());
                SearchRecord.Trial stored = store.getSearch(a.searchId()).orElseThrow().trials().stream()
                        .filter(t -> t.number() == weak.number()).findFirst().orElseThrow();
                assertEquals(TrialStatus.STOPPED, stored.status());
                assertEquals(RunStatus.STOPPED, store.getRun(stored.runId()).orElseThrow().status());
            }
            assertEquals(3, a.best().orElseThrow().params().get("lr"));
            assertEquals(RunStatus.PASSED, a.status());
        }
    }

    @Test
    void theEpochBudgetStopsStartingTrialsAndStopsTheOneThatSpendsIt() {
        try (RunStore store = RunStore.open(tmp.resolve("runs.db"))) {
            Script script = new Script(store, VALUES);
            SearchResult grid = search(store, settings("grid", "1,2,4", null, 7, null, 3, false), script);
            assertEquals(2, grid.trials().size(), "a third trial needs 3 epochs, 1 is left");
            assertEquals(6, grid.epochsSpent());
            assertEquals("epochs budget spent (6 of 7 epochs)", grid.stopReason());
            assertEquals(RunStatus.BELOW_THRESHOLD, grid.status());

            // ASHA starts a trial with room for its first rung; equal at that rung, the second goes on, then spends it.
            SearchResult hard = search(store, settings("asha", "1,5", null, 4, null, 3, false), script);
            assertEquals(4, hard.epochsSpent(), "never more than the budget");
            TrialSummary second = hard.trials().get(1);
            assertEquals(TrialStatus.STOPPED, second.status());
            assertEquals(1, second.epochs());
            assertEquals("the search ended: epochs budget spent (4 epochs)", second.message());
        }
    }

    @Test
    void theTrialsAndTimeBudgetsAndTheFirstPassEndTheSearch() {
        try (RunStore store = RunStore.open(tmp.resolve("runs.db"))) {
            Script script = new Script(store, VALUES);
            SearchResult trials = search(store, settings("grid", "1,2,4", 2, null, null, 3, false), script);
            assertEquals("trials budget spent (2 trials)", trials.stopReason());
            assertEquals(2, trials.trials().size());

            SearchResult pass = search(store, settings("grid", "1,3,4", 10, null, null, 3, true), script);
            assertEquals("trial 2 passed the gate", pass.stopReason());
            assertEquals(2, pass.trials().size());
            assertEquals(RunStatus.PASSED, pass.status());

            script.sleepMillis = 600; // a trial takes 1.8 s; the budget is 0.6 s, checked each second
            SearchResult time = search(store, settings("grid", "1,2,4", null, null, 0.01, 3, false), script);
            assertEquals("time budget spent (0.01 min)", time.stopReason());
            assertEquals(1, time.trials().size());
            assertEquals(TrialStatus.STOPPED, time.trials().get(0).status(), "the running trial is stopped");
        }
    }

    @Test
    void failedTrialsStopAtTheCapAndBadInputAtOnce() {
        try (RunStore store = RunStore.open(tmp.resolve("runs.db"))) {
            Script script = new Script(store, VALUES);
            script.failWith = TrainchainException.Kind.INFRASTRUCTURE;
            SearchResult capped = search(store, settings("grid", "1,2,3,4", null, 100, null, 3, false), script);
            assertEquals("failure cap reached (3 failed trials)", capped.stopReason());
            assertEquals(3, capped.trials().size());
            assertEquals(RunStatus.FAILED, capped.status(), "no trial completed");
            assertEquals(RunStatus.FAILED, store.getSearch(capped.searchId()).orElseThrow().status());

            script.failWith = TrainchainException.Kind.BAD_INPUT;
            script.calls.clear();
            TrainchainException e = assertThrows(TrainchainException.class,
                    () -> search(store, settings("grid", "1,2,3,4", null, 100, null, 3, false), script));
            assertEquals(TrainchainException.Kind.BAD_INPUT, e.kind());
            assertEquals(1, script.calls.size(), "every trial would be refused: no second one");
        }
    }

    @Test
    void aSearchResumesFromTheStoreAsItsKilledProcessLeftIt() throws Exception {
        try (RunStore store = RunStore.open(tmp.resolve("runs.db"))) {
            TuneSettings s = settings("grid", "1,3,4", null, 100, null, 3, false);
            String id = store.startSearch(null, "/repo", "grid", s.specJson("{}", "d"));
            // Trial 1 finished; trial 2 had trained one epoch when the process died.
            String r1 = store.startRun(new RunStart(Path.of("/repo"), null, "dl4j", null, "{}"));
            store.startTrial(id, 1, r1, "{\"lr\":1}", tmp.resolve("trial-001").toString());
            for (int e = 1; e <= 3; e++) {
                store.recordEpoch(r1, new EpochMetrics(e, null, null, VALUES.get(1)[e - 1], null, null, null));
            }
            store.finishRun(r1, new RunOutcome(RunStatus.BELOW_THRESHOLD, null, List.of(), null,
                    Map.of("accuracy", 0.88), "below"));
            store.finishTrial(id, new SearchRecord.Trial(1, r1, "{\"lr\":1}", tmp.resolve("trial-001").toString(),
                    TrialStatus.COMPLETED, null, 0.88, 3, "below"));
            String r2 = store.startRun(new RunStart(Path.of("/repo"), null, "dl4j", null, "{}"));
            store.startTrial(id, 2, r2, "{\"lr\":3}", tmp.resolve("trial-002").toString());
            store.recordEpoch(r2, new EpochMetrics(1, null, null, 0.85, null, null, null));

            Script script = new Script(store, VALUES);
            Search search = new Search(id, s, script, store, TuneListener.of(null), tmp);
            search.restore(store.getSearch(id).orElseThrow());
            SearchResult r = search.run();

            assertEquals(List.of(2, 3), script.calls.stream().map(TrialRunner.Trial::number).toList(),
                    "trial 1 is not run again");
            assertTrue(script.calls.get(0).resume(), "trial 2 resumes from its checkpoint");
            assertEquals(tmp.resolve("trial-002"), script.calls.get(0).runDir(), "in its own folder");
            assertEquals(3, r.trials().size());
            assertEquals(9, r.epochsSpent(), "trial 1's 3, trial 2's 3 (epoch 1 once), trial 3's 3");
            assertEquals(RunStatus.FAILED, store.getRun(r2).orElseThrow().status(), "the killed run");
            SearchRecord done = store.getSearch(id).orElseThrow();
            assertEquals(RunStatus.PASSED, done.status());
            assertEquals(List.of(TrialStatus.COMPLETED, TrialStatus.COMPLETED, TrialStatus.COMPLETED),
                    done.trials().stream().map(SearchRecord.Trial::status).toList());
            assertEquals(r1, done.trials().get(0).runId());
            assertEquals(3, r.best().orElseThrow().params().get("lr"));
        }
    }
}

package io.trainchain.engine.store;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.store.SearchRecord.TrialStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Schema 4: searches and their trials, STOPPED runs, and the migration from 3 with runs, epochs and attempts in it. */
class SearchStoreTest {
    @TempDir
    Path tmp;

    private final RunStoreTest.StepClock clock = new RunStoreTest.StepClock();

    private static RunStart start() {
        return new RunStart(Path.of("/repos/a"), new GitInfo("abc123", "main", false), "dl4j", null, "{\"epochs\":3}");
    }

    @Test
    void aSearchItsTrialsAndTheirEndsComeBack() {
        try (RunStore store = RunStore.open(tmp.resolve("runs.db"), clock)) {
            String parent = store.startRun(start());
            String id = store.startSearch(parent, "/repos/a", "asha", "{\"seed\":1}");
            String r1 = store.startRun(start());
            String r2 = store.startRun(start());
            store.startTrial(id, 1, r1, "{\"lr\":0.1}", "/s/trial-001");
            store.startTrial(id, 2, r2, "{\"lr\":0.2}", "/s/trial-002");
            store.finishRun(r2, new RunOutcome(RunStatus.STOPPED, null, List.of(), null, Map.of(), "rung 0"));
            store.finishTrial(id, new SearchRecord.Trial(2, r2, "{\"lr\":0.2}", "/s/trial-002", TrialStatus.STOPPED,
                    0, null, 1, "rung 0"));

            SearchRecord running = store.listSearches("/repos/a", true, 5).get(0);
            assertEquals(id, running.id());
            assertEquals(parent, running.parentRunId());
            assertEquals(RunStatus.RUNNING, running.status());
            assertEquals(TrialStatus.RUNNING, running.trials().get(0).status());
            assertEquals(new SearchRecord.Trial(2, r2, "{\"lr\":0.2}", "/s/trial-002", TrialStatus.STOPPED, 0, null,
                    1, "rung 0"), running.trials().get(1));
            assertEquals(RunStatus.STOPPED, store.getRun(r2).orElseThrow().status());

            // A resumed trial moves to its new run; a finished one is never started again.
            String r1b = store.startRun(start());
            store.startTrial(id, 1, r1b, "{\"lr\":0.1}", "/s/trial-001");
            assertEquals(r1b, store.getSearch(id).orElseThrow().trials().get(0).runId());
            assertTrue(assertThrows(TrainchainException.class, () -> store.startTrial(id, 2, r1b, "{}", "/s"))
                    .getMessage().contains("has already ended"));
            store.finishTrial(id, new SearchRecord.Trial(1, r1b, "{\"lr\":0.1}", "/s/trial-001",
                    TrialStatus.COMPLETED, null, 0.91, 3, "ok"));
            store.finishSearch(id, RunStatus.PASSED, r1b, "trial 1 passed the gate", "best: trial 1");

            SearchRecord done = store.getSearch(id).orElseThrow();
            assertEquals(RunStatus.PASSED, done.status());
            assertEquals(r1b, done.bestRunId());
            assertEquals("trial 1 passed the gate", done.stopReason());
            assertNotNull(done.finishedAt());
            assertEquals(0.91, done.trials().get(0).value());
            assertEquals(List.of(), store.listSearches("/repos/a", true, 5));
            assertEquals(1, store.listSearches(null, false, 5).size());
            assertTrue(assertThrows(TrainchainException.class, () -> store.finishSearch(id, RunStatus.FAILED, null,
                    "x", "x")).getMessage().contains("has already ended"));
            assertTrue(assertThrows(TrainchainException.class, () -> store.startTrial("nope", 1, r1, "{}", "/s"))
                    .getMessage().contains("no search nope"));
        }
    }

    @Test
    void aVersion3DatabaseMigratesToTheLatestKeepingRunsEpochsAndAttempts() throws Exception {
        String id;
        AttemptRecord attempt = new AttemptRecord(1, clock.now, 3.0, "COMPLETED", 0, false, "c1", null, null, null,
                null);
        try (RunStore old = RunStore.open(tmp.resolve("runs.db"), clock, Migrations.ALL.subList(0, 3))) {
            id = OldSchema.startRun(tmp.resolve("runs.db"), "/repos/a", "{\"epochs\":3}");
            old.recordEpoch(id, new EpochMetrics(1, 0.5, 0.4, 0.84, 0.83, 41.0, 1463.2));
            old.recordAttempt(id, attempt);
            old.finishRun(id, new RunOutcome(RunStatus.PASSED, "sha256:a", List.of("model.zip"), null,
                    Map.of("accuracy", 0.84), "ok"));
        }
        try (RunStore store = RunStore.open(tmp.resolve("runs.db"), clock)) {
            assertEquals(Migrations.latest(Migrations.ALL), store.schemaVersion());
            RunRecord run = store.getRun(id).orElseThrow();
            assertEquals(RunStatus.PASSED, run.status());
            assertEquals(1, run.epochs().size(), "the runs table was rebuilt without cascading its epochs away");
            assertEquals(List.of(attempt), run.attempts());
            assertEquals(Map.of("accuracy", 0.84), run.metrics());
            assertEquals(List.of(run.id()), store.listRuns(5).stream().map(RunRecord::id).toList());
            String stopped = store.startRun(start());
            store.finishRun(stopped, new RunOutcome(RunStatus.STOPPED, null, List.of(), null, Map.of(), "rung 0"));
            assertEquals(RunStatus.STOPPED, store.getRun(stopped).orElseThrow().status());
            assertNull(store.getSearch("none").orElse(null));
        }
    }

    @Test
    void aVersion4DatabaseMigratesToTheLatestKeepingSearchesRegistersModelsAndRecordsTriggers() throws Exception {
        String run;
        String search;
        try (RunStore old = RunStore.open(tmp.resolve("runs.db"), clock, Migrations.ALL.subList(0, 4))) {
            run = OldSchema.startRun(tmp.resolve("runs.db"), "/repos/a", "{\"epochs\":3}");
            search = old.startSearch(run, "/repos/a", "grid", "{}");
            old.startTrial(search, 1, run, "{}", "/s/trial-001");
        }
        try (RunStore store = RunStore.open(tmp.resolve("runs.db"), clock)) {
            assertEquals(Migrations.latest(Migrations.ALL), store.schemaVersion());
            assertEquals(Trigger.MANUAL, store.getRun(run).orElseThrow().trigger(), "runs before 6 were manual");
            String hooked = store.startRun(new RunStart(Path.of("/repos/a"), null, "dl4j", null, "{}",
                    new Trigger("webhook", "72d3162e-cc78-11e3-81ab-4c9367dc0958")));
            assertEquals(new Trigger("webhook", "72d3162e-cc78-11e3-81ab-4c9367dc0958"),
                    store.getRun(hooked).orElseThrow().trigger());
            assertEquals(1, store.getSearch(search).orElseThrow().trials().size());
            ModelRecord m = store.registerModel("a", run, "ab12", "/m/ab12/model.zip", 3, "accuracy", 0.9,
                    "AT_LEAST", "sha256:x;test_images:10");
            assertEquals(1, m.version());
            assertEquals(2, store.registerModel("a", run, "cd34", "/m/cd34/model.zip", 3, "accuracy", 0.8,
                    "AT_LEAST", "sha256:x;test_images:10").version(), "versions count up per name");
            assertEquals(1, store.registerModel("b", run, "ab12", "/m/ab12/model.zip", 3, "accuracy", 0.9,
                    "AT_LEAST", "sha256:x;test_images:10").version());
            assertEquals(List.of("ab12", "ab12"), store.models(null, "ab").stream().map(ModelRecord::sha256)
                    .toList());
            assertTrue(assertThrows(TrainchainException.class, () -> store.registerModel("a", "nope", "x", "/x", 1,
                    "accuracy", 0.1, "AT_LEAST", "k")).getMessage().contains("nope"));
        }
    }

    @Test
    void aVersion7DatabaseMigratesTo8AndRecordsWhatEachRunTrainedWith() throws Exception {
        String run;
        try (RunStore old = RunStore.open(tmp.resolve("runs.db"), clock, Migrations.ALL.subList(0, 7))) {
            assertEquals(7, old.schemaVersion());
            run = old.startRun(new RunStart(Path.of("/repos/a"), null, "dl4j", null, "{}"));
        }
        try (RunStore store = RunStore.open(tmp.resolve("runs.db"), clock)) {
            assertTrue(store.schemaVersion() >= 8);
            assertTrue(store.environment(run).isEmpty(), "runs before 8 recorded none");
            RunEnvironment e = new RunEnvironment("sha256:0f1e", "trainchain/train-dl4j:5e75712746e4",
                    "5e75712746e4aa", "built-in DL4J trainer (trainchain 0.1.0)", 2, 2L << 30, 2.0, 512);
            store.recordEnvironment(run, e);
            assertEquals(e, store.environment(run).orElseThrow());
            RunEnvironment share = new RunEnvironment("sha256:0f1e", "t", "h", "train.py (PyTorch code)", 1,
                    1L << 30, 1.0, 256);
            store.recordEnvironment(run, share);
            assertEquals(share, store.environment(run).orElseThrow(), "recorded again: replaced");
            TrainchainException unknown = assertThrows(TrainchainException.class,
                    () -> store.recordEnvironment("nope", share));
            assertTrue(unknown.getMessage().contains("nope"), unknown.getMessage());
        }
    }
}

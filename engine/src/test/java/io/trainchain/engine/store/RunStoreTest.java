package io.trainchain.engine.store;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.gate.Direction;
import io.trainchain.engine.gate.GateResult;
import io.trainchain.engine.gate.GateStatus;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class RunStoreTest {
    private static final int LATEST = Migrations.latest(Migrations.ALL);

    @TempDir
    Path tmp;

    /** A clock the test moves by hand, so ordering does not depend on timing. */
    static final class StepClock extends Clock {
        Instant now = Instant.parse("2024-06-01T10:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    private final StepClock clock = new StepClock();

    private Path db() {
        return tmp.resolve("nested/dir/runs.db");
    }

    private static RunStart start(String repo) {
        return new RunStart(Path.of(repo), new GitInfo("abc123", "main", false), "dl4j",
                new DatasetIdentity("fashion-mnist", "{\"train\":60000,\"test\":10000}"), "{\"lr\":0.001,\"epochs\":2}");
    }

    private static List<String> tables(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        }
    }

    @Test
    void migratesAnEmptyDatabaseInWalMode() throws Exception {
        try (RunStore store = RunStore.open(db(), clock)) {
            assertEquals(LATEST, store.schemaVersion());
            assertEquals(db().toAbsolutePath(), store.path());
        }
        assertEquals(List.of("aliases", "attempts", "epochs", "metrics", "models", "promotions", "queue",
                "run_environments", "runs", "schedule_fires", "schema_version", "searches", "sqlite_sequence", "steps",
                "trials"), tables(db()));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db());
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                assertTrue(rs.next());
                assertEquals("wal", rs.getString(1));
            }
            try (ResultSet rs = s.executeQuery("SELECT version, description FROM schema_version ORDER BY version")) {
                for (int v = 1; v <= LATEST; v++) {
                    assertTrue(rs.next());
                    assertEquals(v, rs.getInt(1));
                }
                assertFalse(rs.next());
            }
        }
    }

    @Test
    void reopeningKeepsRunsAndDoesNotReapplyMigrations() throws Exception {
        String id;
        try (RunStore store = RunStore.open(db(), clock)) {
            id = store.startRun(start("/repos/a"));
        }
        try (RunStore store = RunStore.open(db(), clock)) {
            RunRecord run = store.getRun(id).orElseThrow();
            assertEquals(RunStatus.RUNNING, run.status());
            assertEquals(Path.of("/repos/a").toAbsolutePath().toString(), run.repository());
            assertEquals(new GitInfo("abc123", "main", false), run.git());
            assertEquals("dl4j", run.framework());
            assertEquals(new DatasetIdentity("fashion-mnist", "{\"train\":60000,\"test\":10000}"), run.dataset());
            assertEquals("{\"lr\":0.001,\"epochs\":2}", run.paramsJson());
            assertEquals(clock.now, run.startedAt());
            assertNull(run.finishedAt());
            assertNull(run.gate());
            assertEquals(LATEST, store.schemaVersion());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM schema_version")) {
            rs.next();
            assertEquals(LATEST, rs.getInt(1));
        }
    }

    @Test
    void openingAnOlderDatabaseUpgradesIt() throws Exception {
        String id;
        try (RunStore old = RunStore.open(db(), clock, Migrations.ALL.subList(0, 1))) {
            assertEquals(1, old.schemaVersion());
            id = OldSchema.startRun(db(), "/repos/old", null);
        }
        assertFalse(tables(db()).contains("metrics"));
        try (RunStore store = RunStore.open(db(), clock)) {
            assertEquals(LATEST, store.schemaVersion());
            store.finishRun(id, new RunOutcome(RunStatus.PASSED, null, List.of(), null, Map.of("accuracy", 0.9), "ok"));
            assertEquals(Map.of("accuracy", 0.9), store.getRun(id).orElseThrow().metrics());
        }
    }

    @Test
    void aNewerDatabaseFailsClearly() throws Exception {
        RunStore.open(db(), clock).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db()); Statement s = c.createStatement()) {
            s.execute("INSERT INTO schema_version(version, description, applied_at) VALUES (" + (LATEST + 1)
                    + ", 'from the future', 0)");
        }
        TrainchainException e = assertThrows(TrainchainException.class, () -> RunStore.open(db(), clock));
        assertEquals(TrainchainException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().contains("has schema version " + (LATEST + 1)
                + " but this Trainchain knows versions up to " + LATEST), e.getMessage());
        assertTrue(e.getMessage().contains(db().toAbsolutePath().toString()), e.getMessage());
    }

    @Test
    void aFileThatIsNotADatabaseFailsClearly() throws Exception {
        Files.createDirectories(db().getParent());
        Files.writeString(db(), "this is not sqlite, just a text file that happens to be long enough".repeat(20));
        TrainchainException e = assertThrows(TrainchainException.class, () -> RunStore.open(db(), clock));
        assertEquals(TrainchainException.Kind.INFRASTRUCTURE, e.kind());
        assertTrue(e.getMessage().contains(db().toAbsolutePath().toString()), e.getMessage());
    }

    @Test
    void epochsAndStepsComeBackInOrder() {
        try (RunStore store = RunStore.open(db(), clock)) {
            String id = store.startRun(start("/repos/a"));
            store.recordEpoch(id, new EpochMetrics(2, 0.31, 0.35, 0.88, 0.87, 40.5, 1480.0));
            store.recordEpoch(id, new EpochMetrics(1, 0.52, 0.44, 0.84, null, 41.0, 1463.2));
            store.recordStep(id, new StepTiming("detectFramework", clock.now, Duration.ofMillis(120), "ok"));
            store.recordStep(id, new StepTiming("train", clock.now.plusSeconds(1), Duration.ofSeconds(82), "ok"));
            RunRecord run = store.getRun(id).orElseThrow();
            assertEquals(List.of(new EpochMetrics(1, 0.52, 0.44, 0.84, null, 41.0, 1463.2),
                    new EpochMetrics(2, 0.31, 0.35, 0.88, 0.87, 40.5, 1480.0)), run.epochs());
            assertEquals(List.of("detectFramework", "train"), run.steps().stream().map(StepTiming::step).toList());
            assertEquals(Duration.ofSeconds(82), run.steps().get(1).duration());
        }
    }

    @Test
    void listIsNewestFirstAndLimited() {
        try (RunStore store = RunStore.open(db(), clock)) {
            String first = store.startRun(start("/repos/a"));
            clock.advance(Duration.ofMinutes(1));
            String second = store.startRun(start("/repos/b"));
            clock.advance(Duration.ofMinutes(1));
            String third = store.startRun(start("/repos/c"));
            assertTrue(first.compareTo(second) < 0 && second.compareTo(third) < 0, "ids sort by start time");
            assertEquals(List.of(third, second), store.listRuns(2).stream().map(RunRecord::id).toList());
            assertEquals(List.of(third, second, first), store.listRuns(10).stream().map(RunRecord::id).toList());
            TrainchainException e = assertThrows(TrainchainException.class, () -> store.listRuns(0));
            assertTrue(e.getMessage().contains("limit is 0"), e.getMessage());
        }
    }

    @Test
    void aFailingWriteLeavesNothingHalfWritten() {
        try (RunStore store = RunStore.open(db(), clock)) {
            String id = store.startRun(start("/repos/a"));
            List<EpochMetrics> batch = List.of(new EpochMetrics(1, 0.5, 0.4, 0.8, 0.79, 10.0, 100.0),
                    new EpochMetrics(2, 0.4, 0.3, 0.85, 0.84, 10.0, 100.0),
                    new EpochMetrics(2, 0.4, 0.3, 0.85, 0.84, 10.0, 100.0));
            TrainchainException dup = assertThrows(TrainchainException.class, () -> store.recordEpochs(id, batch));
            assertTrue(dup.getMessage().contains("epoch 2 of run " + id + " is already recorded"), dup.getMessage());
            assertEquals(List.of(), store.getRun(id).orElseThrow().epochs(), "the first two epochs were rolled back");

            // The UPDATE of the run succeeds, then a metric fails: the run must still be RUNNING.
            RunOutcome bad = new RunOutcome(RunStatus.PASSED, "sha256:1", List.of("model.zip"), null,
                    Map.of("accuracy", Double.NaN), "ok");
            TrainchainException nan = assertThrows(TrainchainException.class, () -> store.finishRun(id, bad));
            assertTrue(nan.getMessage().contains("metric 'accuracy' of run " + id + " is NaN"), nan.getMessage());
            RunRecord run = store.getRun(id).orElseThrow();
            assertEquals(RunStatus.RUNNING, run.status());
            assertNull(run.finishedAt());
            assertNull(run.imageId());
            assertEquals(List.of(), run.artifacts());
            assertEquals(Map.of(), run.metrics());

            // The store is still usable after a rollback.
            store.recordEpochs(id, batch.subList(0, 2));
            assertEquals(2, store.getRun(id).orElseThrow().epochs().size());
        }
    }

    @Test
    void finishingStoresTheOutcomeAndBestRunPicksByMetric() {
        try (RunStore store = RunStore.open(db(), clock)) {
            String low = store.startRun(start("/repos/a"));
            clock.advance(Duration.ofSeconds(5));
            String high = store.startRun(start("/repos/a"));
            String failed = store.startRun(start("/repos/a"));
            String running = store.startRun(start("/repos/a"));
            clock.advance(Duration.ofSeconds(90));
            GateResult below = new GateResult(GateStatus.BELOW_THRESHOLD, "accuracy", 0.71, 0.8, Direction.AT_LEAST,
                    "accuracy 0.7100 < 0.80: below threshold");
            store.finishRun(low, new RunOutcome(RunStatus.BELOW_THRESHOLD, "sha256:aaa",
                    List.of("out/model.zip", "out/evaluation.json"), GateRecord.of(below),
                    Map.of("accuracy", 0.71, "loss", 0.6), below.message()));
            store.finishRun(high, new RunOutcome(RunStatus.PASSED, "sha256:bbb", List.of("out/model.zip"),
                    new GateRecord("accuracy", GateStatus.PASSED, 0.89, 0.8, Direction.AT_LEAST),
                    Map.of("accuracy", 0.89, "loss", 0.3), "accuracy 0.8900 ≥ 0.80: passed"));
            store.finishRun(failed, new RunOutcome(RunStatus.FAILED, null, null, null,
                    Map.of("accuracy", 0.99), "training crashed"));

            RunRecord r = store.getRun(low).orElseThrow();
            assertEquals(RunStatus.BELOW_THRESHOLD, r.status());
            assertEquals("sha256:aaa", r.imageId());
            assertEquals(List.of("out/model.zip", "out/evaluation.json"), r.artifacts());
            assertEquals(new GateRecord("accuracy", GateStatus.BELOW_THRESHOLD, 0.71, 0.8, Direction.AT_LEAST), r.gate());
            assertEquals(clock.now, r.finishedAt());
            assertEquals("accuracy 0.7100 < 0.80: below threshold", r.message());

            // Failed and running runs never count as best, whatever their numbers.
            assertEquals(high, store.bestRun("accuracy").orElseThrow().id());
            assertEquals(high, store.bestRun("loss", Direction.AT_MOST).orElseThrow().id());
            assertEquals(low, store.bestRun("loss", Direction.AT_LEAST).orElseThrow().id());
            assertTrue(store.bestRun("macro_f1").isEmpty());
            assertEquals(RunStatus.RUNNING, store.getRun(running).orElseThrow().status());

            TrainchainException twice = assertThrows(TrainchainException.class, () -> store.finishRun(high,
                    new RunOutcome(RunStatus.FAILED, null, null, null, null, "again")));
            assertTrue(twice.getMessage().contains("already finished with status PASSED"), twice.getMessage());
        }
    }

    @Test
    void unknownRunsAndBadJsonAreBadInput() {
        try (RunStore store = RunStore.open(db(), clock)) {
            TrainchainException e = assertThrows(TrainchainException.class,
                    () -> store.recordEpoch("nope", new EpochMetrics(1, null, null, null, null, null, null)));
            assertEquals(TrainchainException.Kind.BAD_INPUT, e.kind());
            assertTrue(e.getMessage().contains("no run 'nope'"), e.getMessage());
            assertTrue(store.getRun("nope").isEmpty());
            TrainchainException json = assertThrows(TrainchainException.class, () -> store.startRun(
                    new RunStart(Path.of("/r"), null, null, null, "{lr: 0.1")));
            assertTrue(json.getMessage().startsWith("paramsJson is not valid JSON"), json.getMessage());
            assertTrue(store.listRuns(5).isEmpty(), "nothing stored for a rejected start");
            assertThrows(IllegalArgumentException.class,
                    () -> new RunOutcome(RunStatus.RUNNING, null, null, null, null, null));
        }
    }

    @Test
    void defaultPathIsInTheHomeFolder() {
        assertEquals(Path.of(System.getProperty("user.home"), ".trainchain", "runs.db"), RunStore.defaultPath());
    }

    @Test
    void gitInfoOfARealRepository() throws Exception {
        Path repo = tmp.resolve("repo");
        Files.createDirectories(repo);
        RevCommit commit;
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            Files.writeString(repo.resolve("train.py"), "import torch\n");
            git.add().addFilepattern("train.py").call();
            commit = git.commit().setMessage("first").setAuthor("T", "t@example.com")
                    .setCommitter("T", "t@example.com").setSign(false).call();
        }
        GitInfo clean = GitInfo.read(repo).orElseThrow();
        assertEquals(commit.getName(), clean.commitId());
        assertEquals("main", clean.branch());
        assertFalse(clean.dirty());

        Files.writeString(repo.resolve("train.py"), "import torch\nprint(1)\n");
        assertTrue(GitInfo.read(repo).orElseThrow().dirty(), "a modified tracked file makes the tree dirty");

        // From a subfolder the repository is found too.
        Files.createDirectories(repo.resolve("src"));
        assertEquals(commit.getName(), GitInfo.read(repo.resolve("src")).orElseThrow().commitId());

        try (RunStore store = RunStore.open(db(), clock)) {
            String id = store.startRun(new RunStart(repo, GitInfo.read(repo).orElse(null), "pytorch", null, null));
            assertEquals(commit.getName(), store.getRun(id).orElseThrow().git().commitId());
            assertTrue(store.getRun(id).orElseThrow().git().dirty());
        }
    }

    @Test
    void untrackedFilesMakeATreeDirtyAndEmptyRepositoriesHaveNoCommit() throws Exception {
        Path repo = tmp.resolve("fresh");
        Files.createDirectories(repo);
        Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call().close();
        GitInfo empty = GitInfo.read(repo).orElseThrow();
        assertNull(empty.commitId());
        assertFalse(empty.dirty());
        Files.writeString(repo.resolve("new.py"), "x = 1\n");
        assertTrue(GitInfo.read(repo).orElseThrow().dirty());
    }

    @Test
    void aFolderOutsideGitHasNoGitInfo() throws Exception {
        Path plain = tmp.resolve("plain");
        Files.createDirectories(plain);
        Files.writeString(plain.resolve("train.py"), "import torch\n");
        assertTrue(GitInfo.read(plain).isEmpty());
        try (RunStore store = RunStore.open(db(), clock)) {
            String id = store.startRun(new RunStart(plain, GitInfo.read(plain).orElse(null), null, null, null));
            assertNull(store.getRun(id).orElseThrow().git());
        }
    }

    @Test
    void recordDatasetReplacesTheIdentityKnownAtStart() {
        try (RunStore store = RunStore.open(db(), clock)) {
            String id = store.startRun(start("/repo"));
            store.recordDataset(id, new DatasetIdentity("fashion-mnist", "{\"files\":[{\"sha256\":\"ab\"}]}"));
            DatasetIdentity d = store.getRun(id).orElseThrow().dataset();
            assertEquals("fashion-mnist", d.name());
            assertEquals("{\"files\":[{\"sha256\":\"ab\"}]}", d.json());
            TrainchainException bad = assertThrows(TrainchainException.class,
                    () -> store.recordDataset(id, new DatasetIdentity("x", "not json")));
            assertEquals(TrainchainException.Kind.BAD_INPUT, bad.kind());
            assertThrows(TrainchainException.class, () -> store.recordDataset("no-such-run",
                    new DatasetIdentity("x", null)));
        }
    }
}

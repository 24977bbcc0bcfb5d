package io.trainchain.engine.store;

import io.trainchain.engine.TrainchainException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The attempts table (schema 3): what the watcher records for each container it starts for a run. */
class RunStoreAttemptsTest {

    @TempDir
    Path tmp;

    private final RunStoreTest.StepClock clock = new RunStoreTest.StepClock();

    private Path db() {
        return tmp.resolve("runs.db");
    }

    private static RunStart start() {
        return new RunStart(Path.of("/repos/a"), new GitInfo("abc123", "main", false), "dl4j", null, "{\"epochs\":3}");
    }

    /** Every optional field set; memory above 2^53 so a REAL column or a double on the way would lose it. */
    private static final AttemptRecord KILLED = new AttemptRecord(1, Instant.parse("2024-06-01T10:00:01.234Z"), 41.0,
            "OOM_KILLED", 137, true, "1a2b3c4d5e6f7a8b9c0d", 9_007_199_254_740_993L, null, 3.25, "killed by the kernel");
    /** Every nullable field null, oomKilled false, the smallest legal numbers. */
    private static final AttemptRecord BARE = new AttemptRecord(2, Instant.parse("2024-06-01T10:01:00Z"), 0.0,
            "KILLED", null, false, null, null, "checkpoint-epoch-0001.zip", 0.0, null);
    private static final AttemptRecord DONE = new AttemptRecord(3, Instant.parse("2024-06-01T10:02:00Z"), 80.5,
            "COMPLETED", 0, false, "c3", null, "checkpoint-epoch-0002.zip", null, null);

    @Test
    void everyFieldComesBackIncludingNullsInAttemptOrder() {
        String id;
        try (RunStore store = RunStore.open(db(), clock)) {
            id = store.startRun(start());
            String other = store.startRun(start());
            store.recordAttempt(id, DONE);
            store.recordAttempt(id, KILLED);
            store.recordAttempt(id, BARE);
            store.recordAttempt(other, new AttemptRecord(1, clock.now, 1.0, "COMPLETED", 0, false, null, null,
                    null, null, null));

            List<AttemptRecord> expected = List.of(KILLED, BARE, DONE);
            assertEquals(expected, store.attempts(id));
            assertEquals(expected, store.getRun(id).orElseThrow().attempts());
            assertEquals(expected, store.listRuns(5).stream().filter(r -> r.id().equals(id)).findFirst()
                    .orElseThrow().attempts());
            assertEquals(1, store.attempts(other).size(), "attempts belong to their own run");
        }
        // Reopened from the file, not from anything cached.
        try (RunStore store = RunStore.open(db(), clock)) {
            AttemptRecord a = store.attempts(id).get(0);
            assertEquals(9_007_199_254_740_993L, a.memoryBytes());
            assertEquals(Integer.valueOf(137), a.exitCode());
            assertTrue(a.oomKilled());
            assertNull(store.attempts(id).get(1).exitCode());
            assertNull(store.attempts(id).get(1).memoryBytes());
            assertNull(store.attempts(id).get(2).lostSeconds());
        }
    }

    @Test
    void aRunWithoutAttemptsHasAnEmptyListAndAFinishedRunStillTakesOne() {
        try (RunStore store = RunStore.open(db(), clock)) {
            String id = store.startRun(start());
            assertEquals(List.of(), store.attempts(id));
            assertEquals(List.of(), store.getRun(id).orElseThrow().attempts());
            store.finishRun(id, new RunOutcome(RunStatus.FAILED, null, null, null, null, "gave up"));
            store.recordAttempt(id, KILLED);
            assertEquals(List.of(KILLED), store.attempts(id));
        }
    }

    @Test
    void theSameAttemptTwiceIsBadInputAndKeepsTheFirst() {
        try (RunStore store = RunStore.open(db(), clock)) {
            String id = store.startRun(start());
            store.recordAttempt(id, KILLED);
            AttemptRecord again = new AttemptRecord(1, clock.now, 5.0, "COMPLETED", 0, false, null, null, null,
                    null, null);
            TrainchainException e = assertThrows(TrainchainException.class, () -> store.recordAttempt(id, again));
            assertEquals(TrainchainException.Kind.BAD_INPUT, e.kind());
            assertTrue(e.getMessage().contains("attempt 1 of run " + id + " is already recorded"), e.getMessage());
            assertEquals(List.of(KILLED), store.attempts(id));
            store.recordAttempt(id, BARE);
            assertEquals(2, store.attempts(id).size(), "the store is still usable after the refusal");
        }
    }

    @Test
    void anUnknownRunIsBadInput() {
        try (RunStore store = RunStore.open(db(), clock)) {
            TrainchainException write = assertThrows(TrainchainException.class, () -> store.recordAttempt("nope", KILLED));
            assertEquals(TrainchainException.Kind.BAD_INPUT, write.kind());
            assertTrue(write.getMessage().contains("no run 'nope'"), write.getMessage());
            TrainchainException read = assertThrows(TrainchainException.class, () -> store.attempts("nope"));
            assertEquals(TrainchainException.Kind.BAD_INPUT, read.kind());
            assertTrue(read.getMessage().contains("no run 'nope'"), read.getMessage());
            assertThrows(IllegalArgumentException.class, () -> store.recordAttempt(store.startRun(start()), null));
        }
    }

    @Test
    void invalidAttemptsNameTheField() {
        Instant t = Instant.parse("2024-06-01T10:00:00Z");
        Map<String, Executable> bad = Map.of(
                "attempt", () -> new AttemptRecord(0, t, 1, "KILLED", null, false, null, null, null, null, null),
                "startedAt", () -> new AttemptRecord(1, null, 1, "KILLED", null, false, null, null, null, null, null),
                "seconds", () -> new AttemptRecord(1, t, -0.1, "KILLED", null, false, null, null, null, null, null),
                "cause", () -> new AttemptRecord(1, t, 1, " ", null, false, null, null, null, null, null),
                "lostSeconds", () -> new AttemptRecord(1, t, 1, "KILLED", null, false, null, null, null, -1.0, null));
        bad.forEach((field, make) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make, field);
            assertTrue(e.getMessage().startsWith(field + " "), field + ": " + e.getMessage());
        });
        List<Executable> alsoBad = List.of(
                () -> new AttemptRecord(-3, t, 1, "KILLED", null, false, null, null, null, null, null),
                () -> new AttemptRecord(1, t, Double.NaN, "KILLED", null, false, null, null, null, null, null),
                () -> new AttemptRecord(1, t, Double.POSITIVE_INFINITY, "KILLED", null, false, null, null, null, null,
                        null),
                () -> new AttemptRecord(1, t, 1, null, null, false, null, null, null, null, null),
                () -> new AttemptRecord(1, t, 1, "", null, false, null, null, null, null, null),
                () -> new AttemptRecord(1, t, 1, "KILLED", null, false, null, null, null, Double.NaN, null));
        alsoBad.forEach(make -> assertThrows(IllegalArgumentException.class, make));
    }

    @Test
    void deletingARunDeletesItsAttempts() throws Exception {
        String id;
        try (RunStore store = RunStore.open(db(), clock)) {
            id = store.startRun(start());
            store.recordAttempt(id, KILLED);
            store.recordAttempt(id, BARE);
        }
        // The store has no delete; the schema must still cascade for whoever prunes the file.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db()); Statement s = c.createStatement()) {
            s.execute("PRAGMA foreign_keys = ON");
            assertEquals(2, count(s, "SELECT COUNT(*) FROM attempts"));
            s.executeUpdate("DELETE FROM runs WHERE id = '" + id + "'");
            assertEquals(0, count(s, "SELECT COUNT(*) FROM runs"));
            assertEquals(0, count(s, "SELECT COUNT(*) FROM attempts"));
        }
    }

    @Test
    void aVersion2DatabaseMigratesToTheLatestKeepingItsRuns() throws Exception {
        String id;
        RunRecord before;
        try (RunStore old = RunStore.open(db(), clock, Migrations.ALL.subList(0, 2))) {
            assertEquals(2, old.schemaVersion());
            id = OldSchema.startRun(db(), "/repos/a", "{\"epochs\":3}");
            old.recordEpoch(id, new EpochMetrics(1, 0.5, 0.4, 0.84, 0.83, 41.0, 1463.2));
            old.recordStep(id, new StepTiming("train", clock.now, Duration.ofSeconds(41), "ok"));
            clock.advance(Duration.ofMinutes(1));
            old.finishRun(id, new RunOutcome(RunStatus.PASSED, "sha256:a", List.of("model.zip"), null,
                    Map.of("accuracy", 0.84), "ok"));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db()); Statement s = c.createStatement()) {
            assertEquals(0, count(s, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'attempts'"));
        }
        try (RunStore store = RunStore.open(db(), clock)) {
            assertEquals(Migrations.latest(Migrations.ALL), store.schemaVersion());
            RunRecord run = store.getRun(id).orElseThrow();
            assertEquals(RunStatus.PASSED, run.status());
            assertEquals(Map.of("accuracy", 0.84), run.metrics());
            assertEquals(List.of(new EpochMetrics(1, 0.5, 0.4, 0.84, 0.83, 41.0, 1463.2)), run.epochs());
            assertEquals(List.of("train"), run.steps().stream().map(StepTiming::step).toList());
            assertEquals(List.of("model.zip"), run.artifacts());
            assertEquals(List.of(), run.attempts());
            store.recordAttempt(id, KILLED);
            assertEquals(List.of(KILLED), store.getRun(id).orElseThrow().attempts());
        }
        // Once at 6, a Trainchain that knows only 2 refuses the file rather than misreading it.
        TrainchainException e = assertThrows(TrainchainException.class,
                () -> RunStore.open(db(), clock, Migrations.ALL.subList(0, 2)));
        assertTrue(e.getMessage().contains("has schema version " + Migrations.latest(Migrations.ALL)
                        + " but this Trainchain knows versions up to 2"),
                e.getMessage());
    }

    private static int count(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}

package io.trainchain.cli;

import io.trainchain.engine.store.AttemptRecord;
import io.trainchain.engine.store.EpochMetrics;
import io.trainchain.engine.store.RunRecord;
import io.trainchain.engine.store.RunStatus;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunsShowCommandTest {

    private static final Instant T = Instant.parse("2024-06-01T10:00:00Z");

    private static RunRecord run(List<AttemptRecord> attempts) {
        return new RunRecord("20240601T100000000Z-abcdef", "/repo", null, "dl4j", null, null, null,
                List.of("model.zip"), null, Map.of(), RunStatus.PASSED, "ok", T, T.plusSeconds(90),
                List.of(new EpochMetrics(1, 0.5, 0.4, 0.84, null, 41.0, 1400.0)), List.of(), attempts);
    }

    private static List<String> printed(RunRecord r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RunsShowCommand.print(r, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void attemptsArePrintedOneLineEachAfterTheEpochs() {
        List<String> lines = printed(run(List.of(
                new AttemptRecord(1, T, 40.0, "OOM_KILLED", 137, true, "0123456789abcdef0123", 3L * 1024 * 1024 * 1024,
                        null, 3.24, "out of memory\nsecond line"),
                new AttemptRecord(2, T, 41.0, "KILLED", 137, false, "1a2b3c4d5e6f", null,
                        "checkpoint-epoch-0001.zip", 3.2, "docker kill"),
                new AttemptRecord(3, T, 80.5, "COMPLETED", null, false, null, null, null, null, null))));
        List<String> attempts = lines.stream().filter(l -> l.startsWith("attempt ")).toList();
        assertEquals(List.of(
                "attempt    1: OOM_KILLED exit 137 OOM-killed, memory 3072.0 MiB, lost 3.2 s, 40.0 s, "
                        + "container 0123456789ab — out of memory",
                "attempt    2: KILLED exit 137, resumed from checkpoint-epoch-0001.zip, lost 3.2 s, 41.0 s, "
                        + "container 1a2b3c4d5e6f — docker kill",
                "attempt    3: COMPLETED, 80.5 s"), attempts);
        assertTrue(lines.indexOf(attempts.get(0)) > lines.indexOf(lines.stream()
                .filter(l -> l.startsWith("epoch ")).findFirst().orElseThrow()), String.join("\n", lines));
    }

    @Test
    void aRunWithoutAttemptsPrintsNoAttemptLine() {
        assertTrue(printed(run(List.of())).stream().noneMatch(l -> l.startsWith("attempt")));
    }

    @Test
    void aTrialsRunShowsItsSearchAndTheVersionItRegistered(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        java.nio.file.Path db = tmp.resolve("runs.db");
        String runId;
        String searchId;
        try (io.trainchain.engine.store.RunStore store = io.trainchain.engine.store.RunStore.open(db)) {
            runId = store.startRun(new io.trainchain.engine.store.RunStart(java.nio.file.Path.of("/repo"), null,
                    "dl4j", null, "{}"));
            searchId = store.startSearch(null, "/repo", "asha", "{}");
            store.startTrial(searchId, 2, runId, "{}", "/s/trial-002");
            store.recordEnvironment(runId, new io.trainchain.engine.store.RunEnvironment("sha256:0f1e",
                    "trainchain/train-dl4j:5e75712746e4", "5e75712746e4ff", "built-in DL4J trainer, trainchain 0.1.0",
                    1, 1L << 30, 1.0, 256));
            java.nio.file.Path model = java.nio.file.Files.writeString(tmp.resolve("model.zip"), "m");
            io.trainchain.engine.registry.ModelRegistry r = new io.trainchain.engine.registry.ModelRegistry(store);
            r.decide(r.register("fashion", runId, model, "accuracy", 0.9, io.trainchain.engine.gate.Direction.AT_LEAST,
                    "k"), 0);
        }
        TrainCommandIT.Result shown = TrainCommandIT.run("runs", "show", runId, "--store", db.toString());
        assertEquals(0, shown.code(), shown.err());
        assertTrue(shown.out().contains("\nsearch     " + searchId + ", trial 2 (asha, RUNNING)\n"), shown.out());
        assertTrue(shown.out().matches("(?s).*\nregistered fashion v1 \\(champion\\), sha256 [0-9a-f]{64}, \\S+"
                + "/models/sha256/[0-9a-f]{64}/model\\.zip\n.*"), shown.out());
        TrainCommandIT.Result model = TrainCommandIT.run("models", "show", "fashion", "--store", db.toString());
        assertTrue(model.out().contains("  search     " + searchId + ", trial 2"), model.out());
        assertTrue(shown.out().contains("\nimage tag  trainchain/train-dl4j:5e75712746e4 (content hash 5e75712746e4ff)"
                + "\ntrainer    built-in DL4J trainer, trainchain 0.1.0\nlimits     1 thread, 1 CPUs, 1024 MiB memory, "
                + "256 processes\n"), shown.out());
        assertTrue(model.out().contains("  trained by built-in DL4J trainer, trainchain 0.1.0 in "
                + "trainchain/train-dl4j:5e75712746e4 (content hash 5e75712746e4ff), 1 thread"), model.out());
    }
}

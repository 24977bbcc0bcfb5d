package io.trainchain.cli;

import io.trainchain.engine.gate.Direction;
import io.trainchain.engine.gate.GateStatus;
import io.trainchain.engine.store.DatasetIdentity;
import io.trainchain.engine.store.EpochMetrics;
import io.trainchain.engine.store.GateRecord;
import io.trainchain.engine.store.GitInfo;
import io.trainchain.engine.store.RunOutcome;
import io.trainchain.engine.store.RunStart;
import io.trainchain.engine.store.RunStatus;
import io.trainchain.engine.store.RunStore;
import io.trainchain.engine.store.SearchRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** trainchain runs report and runs compare on a store holding two runs (one with real trainer output) and a search. */
class RunsReportCommandTest {
    /** Real trainer output, shared with the engine's report tests. */
    private static final Path RUN_FILES = Path.of("..", "engine", "src", "test", "resources", "report", "run");

    @TempDir
    Path tmp;

    private String db;
    private String first;
    private String second;
    private String search;

    @BeforeEach
    void store() throws Exception {
        db = tmp.resolve("runs.db").toString();
        try (RunStore store = RunStore.open(Path.of(db))) {
            Path train = Files.createDirectories(tmp.resolve("runs/a/train"));
            List<String> artifacts = new ArrayList<>();
            for (String f : List.of("evaluation.json", "metrics.jsonl")) {
                artifacts.add(Files.copy(RUN_FILES.resolve(f), train.resolve(f)).toString());
            }
            first = store.startRun(new RunStart(Path.of("/repos/fashion"), new GitInfo("abc1234", "main", false),
                    "dl4j", new DatasetIdentity("fashion-mnist", null), "{\"learning_rate\":0.002,\"batch_size\":128}"));
            store.recordEpochs(first, List.of(new EpochMetrics(1, 1.59, 0.83, 0.685, 0.62, 4.1, 456.0),
                    new EpochMetrics(2, 0.72, 0.67, 0.755, 0.74, 2.3, 796.0)));
            store.finishRun(first, new RunOutcome(RunStatus.BELOW_THRESHOLD, "sha256:aa", artifacts,
                    new GateRecord("accuracy", GateStatus.BELOW_THRESHOLD, 0.7535, 0.8, Direction.AT_LEAST),
                    Map.of("accuracy", 0.7535), "below the gate"));

            second = store.startRun(new RunStart(Path.of("/repos/fashion"), new GitInfo("abc1234", "main", false),
                    "dl4j", new DatasetIdentity("fashion-mnist", null), "{\"learning_rate\":0.01,\"batch_size\":128}"));
            store.recordEpochs(second, List.of(new EpochMetrics(1, 4.3, 1.87, 0.31, 0.21, 4.9, 188.0)));
            search = store.startSearch(first, "/repos/fashion", "asha", "{\"strategy\":\"asha\",\"trial_epochs\":3,"
                    + "\"min_epochs\":1,\"reduction_factor\":3,\"gate\":{\"metric\":\"accuracy\",\"threshold\":0.8,"
                    + "\"direction\":\"AT_LEAST\"}}");
            String trialDir = tmp.resolve("searches/s/trial-001").toString();
            store.startTrial(search, 1, second, "{\"learning_rate\":0.01}", trialDir);
            store.finishRun(second, new RunOutcome(RunStatus.STOPPED, null, List.of(), null, Map.of(), "rung 0"));
            store.finishTrial(search, new SearchRecord.Trial(1, second, "{\"learning_rate\":0.01}", trialDir,
                    SearchRecord.TrialStatus.STOPPED, 0, null, 1, "stopped at rung 0"));
            store.finishSearch(search, RunStatus.BELOW_THRESHOLD, null, "trial budget spent (1 trials)", null);
        }
    }

    @Test
    void aRunsReportGoesIntoItsFolderAndItsPathIsPrinted() throws Exception {
        TrainCommandIT.Result r = TrainCommandIT.run("runs", "report", first, "--store", db);
        assertEquals(0, r.code(), r.err());
        Path file = tmp.resolve("runs/a/report.html").toAbsolutePath();
        assertEquals(file.toString(), r.out().strip());
        String html = Files.readString(file);
        assertTrue(html.contains("<td>0.7535</td>") && html.contains("id='chart-confusion'"), "evaluation.json's numbers");
    }

    @Test
    void aSearchsReportGoesIntoTheSearchsFolder() throws Exception {
        TrainCommandIT.Result r = TrainCommandIT.run("runs", "report", search, "--store", db);
        assertEquals(0, r.code(), r.err());
        Path file = tmp.resolve("searches/s/report.html").toAbsolutePath();
        assertEquals(file.toString(), r.out().strip());
        assertTrue(Files.readString(file).contains("<table id=\"trials-table\" class=\"sortable\">"));
    }

    @Test
    void outChoosesTheFile() throws Exception {
        Path out = tmp.resolve("elsewhere/mine.html");
        TrainCommandIT.Result r = TrainCommandIT.run("runs", "report", second, "--store", db, "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(out).contains(second));
    }

    @Test
    void unknownIdsAndAMissingStoreAreBadInput() {
        TrainCommandIT.Result r = TrainCommandIT.run("runs", "report", "nope", "--store", db);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no run or search nope in " + db), r.err());

        TrainCommandIT.Result c = TrainCommandIT.run("runs", "compare", first, "nope", "--store", db);
        assertEquals(2, c.code());
        assertTrue(c.err().contains("no run nope in " + db), c.err());

        assertEquals(2, TrainCommandIT.run("runs", "compare", first, "--store", db).code(), "one run is no comparison");
        assertEquals(2, TrainCommandIT.run("runs", "compare", first, first, "--store", db).code(), "nor is one run twice");
        String none = tmp.resolve("none.db").toString();
        assertEquals(2, TrainCommandIT.run("runs", "report", first, "--store", none).code());
        assertTrue(TrainCommandIT.run("runs", "compare", first, second, "--store", none).err()
                .contains("no run database at " + none));
    }

    @Test
    void compareprintsTheRunsSideBySideAndWritesTheHtml() throws Exception {
        Path out = tmp.resolve("cmp.html");
        TrainCommandIT.Result r = TrainCommandIT.run("runs", "compare", first, second, "--store", db, "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).contains(first) && lines.get(0).contains(second), lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\* params learning_rate\\s+0\\.002\\s+0\\.01")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("  params batch_size\\s+128\\s+128")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\* metrics accuracy\\s+0\\.7535\\s+-")), r.out());
        assertTrue(r.out().contains("rows differ (marked *)"));
        assertEquals("html: " + out.toAbsolutePath(), lines.get(lines.size() - 1));
        assertTrue(Files.readString(out).contains("id='chart-compare-accuracy'"));
    }
}

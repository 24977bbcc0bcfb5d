package io.trainchain.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** trainchain tune's bad input: exit 2 with what to do, before any Docker call or image build (none runs here). */
class TuneCommandTest {
    private static final String EXAMPLE = Path.of("..", "examples", "fashion-cnn").toAbsolutePath().normalize()
            .toString();

    @TempDir
    Path tmp;

    private TrainCommandIT.Result tune(String... more) {
        String[] args = new String[more.length + 6];
        args[0] = "tune";
        args[1] = EXAMPLE;
        args[2] = "--store";
        args[3] = tmp.resolve("runs.db").toString();
        args[4] = "--dockerfiles";
        args[5] = Path.of("..", "dockerfiles").toAbsolutePath().normalize().toString();
        System.arraycopy(more, 0, args, 6, more.length);
        return TrainCommandIT.run(args);
    }

    @Test
    void noSpaceNoBudgetAndBadParamsAreExitTwoBeforeAnyBuild() {
        TrainCommandIT.Result none = tune("--max-trials", "3");
        assertEquals(2, none.code(), none.err());
        assertTrue(none.err().contains("the search has no space: add 'tune: {space:"), none.err());
        assertFalse(none.out().contains("> build-image"), none.out());

        TrainCommandIT.Result unbounded = tune("--param", "learning_rate=log_uniform:0.0005,0.01");
        assertEquals(2, unbounded.code(), unbounded.err());
        assertTrue(unbounded.err().contains("the search has no budget") && unbounded.err().contains("never unbounded"),
                unbounded.err());
        assertFalse(unbounded.out().contains("> build-image"), unbounded.out());

        TrainCommandIT.Result bad = tune("--param", "learning_rate=gauss:1,2", "--max-trials", "3");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("--param 'learning_rate=gauss:1,2': kind 'gauss' is not known"), bad.err());

        TrainCommandIT.Result zero = tune("--param", "batch_size=choice:64,128", "--max-epochs", "0");
        assertEquals(2, zero.code(), zero.err());
        assertTrue(zero.err().contains("the epochs budget (tune.budget.epochs, --max-epochs) is 0"), zero.err());

        TrainCommandIT.Result noTune = tune("--no-tune");
        assertEquals(2, noTune.code(), noTune.err());
    }

    @Test
    void helpListsTheSearchOptions() {
        TrainCommandIT.Result help = TrainCommandIT.run("tune", "--help");
        assertEquals(0, help.code());
        for (String o : new String[] {"--strategy", "--param", "--max-trials", "--max-epochs", "--max-minutes",
                "--resume", "--notify", "--concurrency", "stop-at-first-pass"}) {
            assertTrue(help.out().contains(o), o + " in\n" + help.out());
        }
    }

    @Test
    void listShowsEachSearchWithItsStatusAndBest() {
        TrainCommandIT.Result empty = TrainCommandIT.run("tune", "--list", "--store", tmp.resolve("runs.db").toString());
        assertEquals(0, empty.code(), empty.err());
        assertTrue(empty.out().startsWith("no searches yet"), empty.out());
        try (io.trainchain.engine.store.RunStore store = io.trainchain.engine.store.RunStore.open(
                tmp.resolve("runs.db"))) {
            String run = store.startRun(new io.trainchain.engine.store.RunStart(Path.of("/repo"), null, "dl4j", null,
                    "{}"));
            String id = store.startSearch(null, "/repo", "asha", "{}");
            store.startTrial(id, 1, run, "{\"lr\":0.1}", "/s/trial-001");
            store.finishTrial(id, new io.trainchain.engine.store.SearchRecord.Trial(1, run, "{}", "/s/trial-001",
                    io.trainchain.engine.store.SearchRecord.TrialStatus.COMPLETED, null, 0.8765, 2, "ok"));
            store.finishSearch(id, io.trainchain.engine.store.RunStatus.BELOW_THRESHOLD, run, "trials budget spent",
                    "m");
            store.startSearch(null, "/other", "grid", "{}");
        }
        TrainCommandIT.Result two = TrainCommandIT.run("tune", "--list", "--store", tmp.resolve("runs.db").toString());
        assertEquals(0, two.code(), two.err());
        assertTrue(two.out().matches("(?s).*BELOW_THRESHOLD +asha +1 \\(1\\) +0\\.8765 +trials budget spent / /repo\n.*"),
                two.out());
        assertTrue(two.out().contains("not ended (--resume continues it) / /other"), two.out());
    }
}

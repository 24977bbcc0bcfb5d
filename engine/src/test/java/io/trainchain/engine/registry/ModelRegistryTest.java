package io.trainchain.engine.registry;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.gate.Direction;
import io.trainchain.engine.store.ModelRecord;
import io.trainchain.engine.store.PromotionRecord;
import io.trainchain.engine.store.PromotionRecord.Action;
import io.trainchain.engine.store.RunStart;
import io.trainchain.engine.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry with the real store and real files: copies, versions, the champion rule, by-hand moves, refs. */
class ModelRegistryTest {
    private static final String SAME = "sha256:aa,bb;test_images:10000";
    private static final String OTHER = "sha256:aa,bb;test_images:2000";

    @TempDir
    Path tmp;

    private String run(RunStore store) {
        return store.startRun(new RunStart(Path.of("/repos/fashion"), null, "dl4j", null, "{}"));
    }

    private Path model(String content) throws Exception {
        Path f = Files.createDirectories(tmp.resolve("runs").resolve(content)).resolve("model.zip");
        Files.writeString(f, content);
        return f;
    }

    @Test
    void theChampionMovesOnlyForABetterModelOnTheSameTestSetAndEveryDecisionIsRecorded() throws Exception {
        try (RunStore store = RunStore.open(tmp.resolve("runs.db"))) {
            ModelRegistry r = new ModelRegistry(store);
            ModelRecord v1 = r.register("fashion", run(store), model("one"), "accuracy", 0.85, Direction.AT_LEAST,
                    SAME);
            assertEquals(1, v1.version());
            assertTrue(v1.path().startsWith(tmp.resolve("models/sha256").toString()), v1.path());
            assertEquals("one", Files.readString(Path.of(v1.path())), "a copy, content-addressed");
            PromotionRecord first = r.decide(v1, 0);
            assertEquals(Action.PROMOTED, first.action());
            assertNull(first.previousVersion());

            ModelRecord v2 = r.register("fashion", run(store), model("two"), "accuracy", 0.85, Direction.AT_LEAST,
                    SAME);
            PromotionRecord tie = r.decide(v2, 0);
            assertEquals(Action.KEPT, tie.action(), "strictly better, by default");
            assertEquals(0.85, tie.value());
            assertEquals(0.85, tie.previousValue());
            assertTrue(tie.reason().contains("accuracy 0.8500 against fashion v1's 0.8500: not better"), tie.reason());

            ModelRecord v3 = r.register("fashion", run(store), model("three"), "accuracy", 0.86, Direction.AT_LEAST,
                    SAME);
            assertEquals(Action.KEPT, r.decide(v3, 0.02).action(), "not by the margin");
            ModelRecord v4 = r.register("fashion", run(store), model("four"), "accuracy", 0.88, Direction.AT_LEAST,
                    SAME);
            assertEquals(Action.PROMOTED, r.decide(v4, 0.02).action());
            assertEquals(4, r.champion("fashion").orElseThrow().version());

            ModelRecord v5 = r.register("fashion", run(store), model("five"), "accuracy", 0.95, Direction.AT_LEAST,
                    OTHER);
            PromotionRecord nc = r.decide(v5, 0);
            assertEquals(Action.NOT_COMPARABLE, nc.action(), "a --limit run's test set is another test set");
            assertEquals(4, r.champion("fashion").orElseThrow().version());
            TrainchainException refused = assertThrows(TrainchainException.class, () -> r.promote("fashion", 5, false));
            assertTrue(refused.getMessage().contains("add --force"), refused.getMessage());
            assertEquals(Action.FORCED, r.promote("fashion", 5, true).action());

            assertEquals(Action.ROLLED_BACK, r.rollback("fashion").action());
            assertEquals(4, r.champion("fashion").orElseThrow().version());
            assertEquals(1, r.rollback("fashion").version(), "twice: two champions back");
            TrainchainException first1 = assertThrows(TrainchainException.class, () -> r.rollback("fashion"));
            assertTrue(first1.getMessage().contains("is the first champion"), first1.getMessage());

            List<Action> history = store.promotions("fashion", ModelRegistry.CHAMPION).stream()
                    .map(PromotionRecord::action).toList();
            assertEquals(List.of(Action.PROMOTED, Action.KEPT, Action.KEPT, Action.PROMOTED, Action.NOT_COMPARABLE,
                    Action.FORCED, Action.ROLLED_BACK, Action.ROLLED_BACK), history);
        }
    }

    @Test
    void aChampionOnAnotherTestSetIsMeasuredAgainOnTheChallengersAndComparedThere() throws Exception {
        try (RunStore store = RunStore.open(tmp.resolve("runs.db"))) {
            ModelRegistry r = new ModelRegistry(store);
            ModelRecord v1 = r.register("fashion", run(store), model("one"), "accuracy", 0.90, Direction.AT_LEAST,
                    OTHER);
            r.decide(v1, 0);
            // The champion's own 0.90 was on 2000 images; on the challenger's 10000 it scores 0.84 < 0.86.
            ModelRecord v2 = r.register("fashion", run(store), model("two"), "accuracy", 0.86, Direction.AT_LEAST,
                    SAME);
            List<String> measured = new java.util.ArrayList<>();
            PromotionRecord d = r.decide(v2, 0, c -> {
                measured.add(c.label());
                return new ModelRegistry.Remeasured(0.84, SAME, null);
            });
            assertEquals(List.of("fashion v1"), measured);
            assertEquals(Action.PROMOTED, d.action(), d.reason());
            assertEquals(0.84, d.previousValue(), "the champion's figure on the challenger's test set is recorded");
            assertTrue(d.reason().contains("accuracy 0.8600 against fashion v1's 0.8400 on this version's test set "
                    + "(fashion v1 re-evaluated on it; 0.9000 on its own)"), d.reason());

            // Re-measured and better there: kept, with both figures.
            ModelRecord v3 = r.register("fashion", run(store), model("three"), "accuracy", 0.80, Direction.AT_LEAST,
                    OTHER);
            PromotionRecord kept = r.decide(v3, 0, c -> new ModelRegistry.Remeasured(0.83, OTHER, null));
            assertEquals(Action.KEPT, kept.action(), kept.reason());
            assertEquals(0.83, kept.previousValue());

            // Could not be measured, or measured on yet another set: not comparable, and it says why.
            ModelRecord v4 = r.register("fashion", run(store), model("four"), "accuracy", 0.99, Direction.AT_LEAST,
                    OTHER);
            PromotionRecord failed = r.decide(v4, 0, c -> ModelRegistry.Remeasured.failed("the container ran out of "
                    + "memory"));
            assertEquals(Action.NOT_COMPARABLE, failed.action());
            assertTrue(failed.reason().contains("re-evaluating fashion v2 on this test set failed: the container ran "
                    + "out of memory; promote by hand with --force"), failed.reason());
            PromotionRecord elsewhere = r.decide(v4, 0, c -> new ModelRegistry.Remeasured(0.5, "sha256:cc;test_images:1",
                    null));
            assertEquals(Action.NOT_COMPARABLE, elsewhere.action());
            assertTrue(elsewhere.reason().contains("ran on yet another test set"), elsewhere.reason());
            assertEquals(2, r.champion("fashion").orElseThrow().version());
        }
    }

    @Test
    void aLossIsBetterLowerAndTheSameFileIsStoredOnce() throws Exception {
        try (RunStore store = RunStore.open(tmp.resolve("runs.db"))) {
            ModelRegistry r = new ModelRegistry(store);
            Path file = model("same");
            ModelRecord a = r.register("loss", run(store), file, "test_loss", 0.40, Direction.AT_MOST, SAME);
            r.decide(a, 0);
            ModelRecord b = r.register("loss", run(store), file, "test_loss", 0.30, Direction.AT_MOST, SAME);
            assertEquals(a.path(), b.path(), "content-addressed: one copy");
            assertEquals(a.sha256(), b.sha256());
            assertEquals(Action.PROMOTED, r.decide(b, 0).action(), "0.30 < 0.40");
            Files.delete(file);
            assertTrue(Files.isRegularFile(Path.of(b.path())), "deleting the run's file never loses the version");
        }
    }

    @Test
    void refsByAliasVersionNameAndHashPrefix() throws Exception {
        try (RunStore store = RunStore.open(tmp.resolve("runs.db"))) {
            ModelRegistry r = new ModelRegistry(store);
            ModelRecord v1 = r.register("fashion", run(store), model("x1"), "accuracy", 0.8, Direction.AT_LEAST, SAME);
            r.decide(v1, 0);
            ModelRecord v2 = r.register("fashion", run(store), model("x2"), "accuracy", 0.7, Direction.AT_LEAST, SAME);
            r.decide(v2, 0);
            assertEquals(1, r.resolve("fashion@champion").version());
            assertEquals(1, r.resolve("fashion").version());
            assertEquals(2, r.resolve("fashion/2").version());
            assertEquals(2, r.resolve(v2.sha256().substring(0, 10)).version());
            assertNotEquals(v1.sha256(), v2.sha256());
            for (String bad : new String[] {"fashion/9", "fashion@staging", "nope", "fashion/x"}) {
                assertTrue(assertThrows(TrainchainException.class, () -> r.resolve(bad)).getMessage()
                        .contains("no registered model '" + bad + "'"), bad);
            }
            assertTrue(assertThrows(TrainchainException.class, () -> store.decide("fashion", "champion",
                    Action.PROMOTED, 2, 2, 0.7, 0.7, "stale")).getMessage().contains("is now version 1"));
        }
    }

    @Test
    void theTestSetKeyIsTheFilesChecksumsAndTheTestCount() throws Exception {
        Path eval = tmp.resolve("evaluation.json");
        Files.writeString(eval, "{\"test_images\": 10000, \"dataset\": {\"files\": [{\"sha256\": \"bb\"}, "
                + "{\"sha256\": \"aa\"}]}}");
        assertEquals(SAME, TestSet.key(eval, "fashion-mnist"));
        Files.writeString(eval, "{\"accuracy\": 0.9}");
        assertEquals("name:fashion-mnist;test_images:?", TestSet.key(eval, "fashion-mnist"));
        assertTrue(TestSet.weak(TestSet.key(eval, "fashion-mnist")));
        assertEquals("name:d;test_images:?", TestSet.key(tmp.resolve("missing.json"), "d"));
    }
}

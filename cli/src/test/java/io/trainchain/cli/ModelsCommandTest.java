package io.trainchain.cli;

import io.trainchain.engine.gate.Direction;
import io.trainchain.engine.registry.ModelRegistry;
import io.trainchain.engine.store.ModelRecord;
import io.trainchain.engine.store.RunStart;
import io.trainchain.engine.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** trainchain models list | show | promote | rollback on a real store with two registered versions. */
class ModelsCommandTest {
    @TempDir
    Path tmp;

    private String db() {
        return tmp.resolve("runs.db").toString();
    }

    private void twoVersions() throws Exception {
        try (RunStore store = RunStore.open(tmp.resolve("runs.db"))) {
            ModelRegistry r = new ModelRegistry(store);
            for (String v : new String[] {"0.85", "0.84"}) {
                String run = store.startRun(new RunStart(Path.of("/repos/fashion"), null, "dl4j", null,
                        "{\"learning_rate\":" + v + "}"));
                Path f = Files.createDirectories(tmp.resolve(v)).resolve("model.zip");
                Files.writeString(f, v);
                ModelRecord m = r.register("fashion", run, f, "accuracy", Double.parseDouble(v), Direction.AT_LEAST,
                        "sha256:aa;test_images:10000");
                r.decide(m, 0);
            }
        }
    }

    @Test
    void listShowPromoteAndRollBack() throws Exception {
        TrainCommandIT.Result none = TrainCommandIT.run("models", "--store", db());
        assertEquals(2, none.code(), "no database yet: " + none.err());
        twoVersions();

        TrainCommandIT.Result list = TrainCommandIT.run("models", "--store", db());
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().matches("(?s).*\nfashion +v2 +- +accuracy +0\\.8400 .*\nfashion +v1 +champion +accuracy"
                + " +0\\.8500 .*"), list.out());

        TrainCommandIT.Result show = TrainCommandIT.run("models", "show", "fashion@champion", "--store", db());
        assertEquals(0, show.code(), show.err());
        assertTrue(show.out().startsWith("fashion v1 (champion)\n"), show.out());
        assertTrue(show.out().contains("  params     {\"learning_rate\":0.85}"), show.out());
        assertTrue(show.out().contains("KEPT           v2   0.8400  (was v1, 0.8500)  accuracy 0.8400 against "
                + "fashion v1's 0.8500: not better"), show.out());

        TrainCommandIT.Result promote = TrainCommandIT.run("models", "promote", "fashion", "v2", "--store", db());
        assertEquals(0, promote.code(), promote.err());
        assertTrue(promote.out().contains("PROMOTED       v2   0.8400  (was v1, 0.8500)  promoted by hand"),
                promote.out());
        TrainCommandIT.Result back = TrainCommandIT.run("models", "rollback", "fashion", "--store", db());
        assertEquals(0, back.code(), back.err());
        assertTrue(back.out().contains("ROLLED_BACK    v1"), back.out());

        TrainCommandIT.Result bad = TrainCommandIT.run("models", "promote", "fashion", "two", "--store", db());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("VERSION 'two' is not a version number"), bad.err());
        TrainCommandIT.Result unknown = TrainCommandIT.run("models", "show", "fashion/7", "--store", db());
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("no registered model 'fashion/7'"), unknown.err());
    }
}

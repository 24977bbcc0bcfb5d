package io.trainchain.engine.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One model version by name and version: the champion rule reads the champion this way on every promotion, so it
 * must be a primary-key lookup (bench/store measured the old way, every version read and filtered, growing with them).
 */
class ModelStoreTest {
    @TempDir
    Path tmp;

    @Test
    void oneVersionComesBackAmongManyOfSeveralModels() {
        try (RunStore store = RunStore.open(tmp.resolve("runs.db"))) {
            String run = store.startRun(new RunStart(Path.of("/repos/a"), null, "dl4j", null, "{}"));
            for (int v = 1; v <= 30; v++) {
                store.registerModel("fashion", run, "aa" + v, "/m/" + v, v, "accuracy", 0.8 + v / 1000.0,
                        "AT_LEAST", "test-" + v);
                store.registerModel("other", run, "bb" + v, "/o/" + v, v, "accuracy", 0.5, "AT_LEAST", "t");
            }
            ModelRecord v17 = store.model("fashion", 17).orElseThrow();
            assertEquals("fashion", v17.name());
            assertEquals(17, v17.version());
            assertEquals("aa17", v17.sha256());
            assertEquals("/m/17", v17.path());
            assertEquals(17, v17.bytes());
            assertEquals(0.817, v17.value(), 1e-12);
            assertEquals("test-17", v17.testSet());
            assertEquals(run, v17.runId());
            assertEquals(store.models("fashion", null).stream().filter(m -> m.version() == 17).findFirst(),
                    Optional.of(v17), "the same record as the listing's");
            assertTrue(store.model("fashion", 31).isEmpty());
            assertTrue(store.model("nobody", 1).isEmpty());
        }
    }

    @Test
    void oneVersionIsReadByThePrimaryKeyNotAScan() throws Exception {
        Path db = tmp.resolve("runs.db");
        RunStore.open(db).close();
        List<String> plan = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + ModelStore.MODEL_BY_VERSION
                     .replace("name = ?", "name = 'fashion'").replace("version = ?", "version = 3"))) {
            while (rs.next()) {
                plan.add(rs.getString("detail"));
            }
        }
        assertEquals(1, plan.size(), plan.toString());
        assertTrue(plan.get(0).startsWith("SEARCH models USING INDEX sqlite_autoindex_models_1 (name=? AND version=?)"),
                plan.toString());
        assertFalse(plan.stream().anyMatch(d -> d.startsWith("SCAN") || d.contains("TEMP B-TREE")), plan.toString());
    }
}

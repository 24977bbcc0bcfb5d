package io.trainchain.engine.tune;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainchain.engine.gate.Direction;
import io.trainchain.engine.gate.GateSpec;
import io.trainchain.engine.store.EpochMetrics;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rung value is the same read live and from the store, whichever gate metric; and the pass check. */
class RungMetricTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LINE = "{\"epoch\":2,\"train_loss\":0.5,\"val_loss\":0.41,\"val_accuracy\":0.85,"
            + "\"val_macro_f1\":0.84}";
    private static final EpochMetrics STORED = new EpochMetrics(2, 0.5, 0.41, 0.85, 0.84, null, null);

    private static RungMetric of(String metric, Direction d) {
        return new RungMetric(GateSpec.defaults().withMetric(metric).withDirection(d).withThreshold(0.5));
    }

    @Test
    void liveAndStoredAgreeForEveryMetricTheStoreKeeps() throws Exception {
        String[][] cases = {{"accuracy", "0.85"}, {"val_accuracy", "0.85"}, {"macro_f1", "0.84"},
                {"test_loss", "0.41"}, {"loss", "0.41"}, {"val_loss", "0.41"}};
        for (String[] c : cases) {
            RungMetric m = of(c[0], Direction.AT_LEAST);
            assertEquals(Double.valueOf(c[1]), m.of(JSON.readTree(LINE)), c[0] + " live");
            assertEquals(Double.valueOf(c[1]), m.of(STORED), c[0] + " stored");
        }
    }

    @Test
    void aScriptsOwnMetricIsReadLiveByItsNameAndIsNotInTheStore() throws Exception {
        RungMetric m = of("f2", Direction.AT_LEAST);
        assertEquals(0.7, m.of(JSON.readTree("{\"epoch\":1,\"f2\":0.7}")));
        assertEquals(0.6, m.of(JSON.readTree("{\"epoch\":1,\"val_f2\":0.6}")));
        assertNull(m.of(STORED));
        assertNull(m.of(JSON.readTree("{\"epoch\":1,\"f2\":\"n/a\"}")));
    }

    @Test
    void passesByTheGatesDirection() {
        assertTrue(of("accuracy", Direction.AT_LEAST).passes(0.5));
        assertFalse(of("accuracy", Direction.AT_LEAST).passes(0.49));
        assertTrue(of("test_loss", Direction.AT_MOST).passes(0.3));
        assertFalse(of("test_loss", Direction.AT_MOST).passes(0.6));
        assertFalse(of("accuracy", Direction.AT_LEAST).passes(null));
    }
}

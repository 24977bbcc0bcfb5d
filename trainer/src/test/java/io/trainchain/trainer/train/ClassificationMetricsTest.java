package io.trainchain.trainer.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ClassificationMetricsTest {

    @Test
    void computesConfusionAndPerClassScores() {
        int[] truth = {0, 0, 0, 1, 1, 2};
        int[] pred = {0, 0, 1, 1, 2, 2};
        ClassificationMetrics m = ClassificationMetrics.of(truth, pred, 3);
        assertArrayEquals(new long[]{2, 1, 0}, m.confusion()[0]);
        assertArrayEquals(new long[]{0, 1, 1}, m.confusion()[1]);
        assertArrayEquals(new long[]{0, 0, 1}, m.confusion()[2]);
        assertEquals(4.0 / 6, m.accuracy(), 1e-12);
        assertEquals(1.0, m.precision()[0], 1e-12);
        assertEquals(2.0 / 3, m.recall()[0], 1e-12);
        assertEquals(0.8, m.f1()[0], 1e-12);
        assertEquals(0.5, m.f1()[1], 1e-12);
        assertEquals(2.0 / 3, m.f1()[2], 1e-12);
        assertEquals((0.8 + 0.5 + 2.0 / 3) / 3, m.macroF1(), 1e-12);
        assertArrayEquals(new long[]{3, 2, 1}, m.support());
    }

    @Test
    void aClassNeverPredictedScoresZeroNotNaN() {
        ClassificationMetrics m = ClassificationMetrics.of(new int[]{0, 1}, new int[]{0, 0}, 2);
        assertEquals(0.0, m.precision()[1]);
        assertEquals(0.0, m.f1()[1]);
        assertEquals(1.0 / 3, m.macroF1(), 1e-12);
    }
}

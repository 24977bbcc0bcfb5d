package io.trainchain.trainer.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointScheduleTest {

    @Test
    void epochEndCheckpointsEveryNthEpochOnlyWithoutATimeInterval(@TempDir Path dir) {
        CheckpointSchedule s = new CheckpointSchedule(new CheckpointPolicy(2, 0), new Checkpoints(dir, w -> { }),
                l -> { });
        assertFalse(s.dueAtEpochEnd(1));
        assertTrue(s.dueAtEpochEnd(2));
        assertFalse(s.dueAtEpochEnd(3));
        assertTrue(s.dueAtEpochEnd(4));
        assertFalse(s.dueMidEpoch());
        assertTrue(new CheckpointSchedule(CheckpointPolicy.DEFAULT, new Checkpoints(dir, w -> { }), l -> { })
                .dueAtEpochEnd(1));
    }

    @Test
    void aTimeIntervalIsDueOnlyOnceItHasPassedMidEpochAndAtEpochEnd(@TempDir Path dir) throws Exception {
        CheckpointSchedule hour = new CheckpointSchedule(new CheckpointPolicy(5, 60), new Checkpoints(dir, w -> { }),
                l -> { });
        assertFalse(hour.dueMidEpoch());
        assertFalse(hour.dueAtEpochEnd(1));
        assertTrue(hour.dueAtEpochEnd(5));

        CheckpointSchedule soon = new CheckpointSchedule(new CheckpointPolicy(5, 0.0001), // 6 ms
                new Checkpoints(dir, w -> { }), l -> { });
        Thread.sleep(20);
        assertTrue(soon.dueMidEpoch());
        assertTrue(soon.dueAtEpochEnd(1), "the time interval also brings an epoch-end checkpoint forward");
    }

    @Test
    void intervalsInNanoseconds() {
        assertEquals(0, CheckpointPolicy.DEFAULT.intervalNanos());
        assertEquals(300_000_000L, new CheckpointPolicy(1, 0.005).intervalNanos());
        assertEquals(Long.MAX_VALUE, new CheckpointPolicy(1, 1e300).intervalNanos());
        assertThrows(IllegalArgumentException.class, () -> new CheckpointPolicy(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new CheckpointPolicy(1, Double.NaN));
    }

    @Test
    void theIntervalCountsFromTheStartOfAWriteUnlessTheWriteTookOverHalfOfIt() {
        long minute = 60_000_000_000L;
        assertEquals(1_000L, CheckpointSchedule.timerStart(1_000L, 1_000L + 400_000_000L, minute),
                "a 0.4 s write in a 1-minute interval: files one minute apart");
        assertEquals(1_000L + 40_000_000_000L, CheckpointSchedule.timerStart(1_000L, 1_000L + 40_000_000_000L,
                minute), "a write longer than half the interval: the timer starts after it");
    }
}

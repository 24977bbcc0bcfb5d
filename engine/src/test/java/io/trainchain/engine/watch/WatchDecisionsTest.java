package io.trainchain.engine.watch;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.docker.ContainerRun;
import io.trainchain.engine.docker.ContainerSpec;
import io.trainchain.engine.docker.TrainInContainer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the watcher reads a container's end and decides what to do; no Docker needed. */
class WatchDecisionsTest {

    private static ContainerRun.Exit exit(ContainerRun.End end, Integer code, boolean oom) {
        return new ContainerRun.Exit("id", "name", end, code, oom, Instant.now(), System.nanoTime(), 1, 0.1, 0, null);
    }

    @Test
    void eachEndIsClassified() {
        assertEquals(ExitCause.COMPLETED, ExitCause.classify(exit(ContainerRun.End.EXITED, 0, false), false));
        assertEquals(ExitCause.OUT_OF_MEMORY, ExitCause.classify(exit(ContainerRun.End.EXITED, 137, true), true));
        assertEquals(ExitCause.KILLED, ExitCause.classify(exit(ContainerRun.End.EXITED, 137, false), false),
                "docker kill before the first checkpoint is still a kill, not a bug");
        assertEquals(ExitCause.KILLED, ExitCause.classify(exit(ContainerRun.End.EXITED, 143, false), true));
        assertEquals(ExitCause.OUT_OF_MEMORY, ExitCause.classify(exit(ContainerRun.End.EXITED, 3, false), true),
                "the trainer's JVM ran out of heap: its exit 3");
        assertEquals(ExitCause.BAD_INPUT, ExitCause.classify(exit(ContainerRun.End.EXITED, 2, false), true));
        assertEquals(ExitCause.CRASHED, ExitCause.classify(exit(ContainerRun.End.EXITED, 1, false), true));
        assertEquals(ExitCause.CRASHED_BEFORE_CHECKPOINT,
                ExitCause.classify(exit(ContainerRun.End.EXITED, 1, false), false));
        assertEquals(ExitCause.DAEMON_LOST, ExitCause.classify(exit(ContainerRun.End.DAEMON_LOST, 143, false), true));
        assertEquals(ExitCause.REMOVED, ExitCause.classify(exit(ContainerRun.End.REMOVED, null, false), true));
        assertEquals(ExitCause.TIMED_OUT, ExitCause.classify(exit(ContainerRun.End.TIMED_OUT, 137, false), true));
    }

    @Test
    void restartsAreBoundedAndNeverForBadInputOrTimeouts() {
        WatchPolicy p = WatchPolicy.DEFAULT;
        assertNull(WatchContainer.whyStop(ExitCause.KILLED, 0, p, false));
        assertNull(WatchContainer.whyStop(ExitCause.OUT_OF_MEMORY, 2, p, false));
        assertTrue(WatchContainer.whyStop(ExitCause.KILLED, 3, p, false).contains("restart budget of 3 is spent"));
        assertTrue(WatchContainer.whyStop(ExitCause.BAD_INPUT, 0, p, false).contains("not restarted"));
        assertTrue(WatchContainer.whyStop(ExitCause.TIMED_OUT, 0, p, false).contains("not restarted"));
        assertNull(WatchContainer.whyStop(ExitCause.CRASHED_BEFORE_CHECKPOINT, 0, p, false), "one retry");
        assertTrue(WatchContainer.whyStop(ExitCause.CRASHED_BEFORE_CHECKPOINT, 1, p, true)
                .contains("before its first checkpoint twice"));
        assertNull(WatchContainer.whyStop(ExitCause.CRASHED, 1, p, true),
                "a crash after a checkpoint is not the deterministic case");
        assertTrue(WatchContainer.whyStop(ExitCause.KILLED, 0, WatchPolicy.OFF, false).contains("--restarts 0"));
    }

    @Test
    void aLoneKillRestartsAtOnceAndACrashLoopBacksOffLikeDockersRestartPolicy() {
        WatchPolicy p = WatchPolicy.DEFAULT;
        assertEquals(Duration.ZERO, p.delayBefore(1));
        assertEquals(Duration.ofMillis(100), p.delayBefore(2));
        assertEquals(Duration.ofMillis(200), p.delayBefore(3));
        assertEquals(Duration.ofMillis(400), p.delayBefore(4));
        assertEquals(Duration.ofSeconds(30), p.delayBefore(20));
        assertEquals(3, WatchContainer.nextBackoffStep(2, 1.5), "a container that died at once: the wait grows");
        assertEquals(1, WatchContainer.nextBackoffStep(5, 42.0), "one that trained 10 s or more: the next restart is immediate again");
    }

    @Test
    void oomRaiseIsOffByDefaultAndCapped() {
        assertEquals(1L << 30, WatchPolicy.DEFAULT.raisedMemory(1L << 30, 1L << 30));
        WatchPolicy raise = new WatchPolicy(3, Duration.ZERO, 2, Duration.ZERO, 1.5, 2L << 30, Duration.ofMinutes(1));
        assertEquals(3L << 29, raise.raisedMemory(1L << 30, 1L << 30));
        assertEquals(2L << 30, raise.raisedMemory(3L << 29, 1L << 30), "capped");
        WatchPolicy noCap = new WatchPolicy(3, Duration.ZERO, 2, Duration.ZERO, 3, 0, Duration.ofMinutes(1));
        assertEquals(4L << 30, noCap.raisedMemory(3L << 30, 1L << 30), "default cap: 4x the first limit");
    }

    @Test
    void invalidPoliciesSayWhatIsWrong() {
        var e = assertThrows(IllegalArgumentException.class, () -> WatchPolicy.DEFAULT.withMaxRestarts(-1));
        assertTrue(e.getMessage().contains("restarts is -1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new WatchPolicy(3, Duration.ZERO, 0.5, Duration.ZERO, 0, 0, Duration.ofMinutes(1)));
        assertTrue(e.getMessage().contains("factor is 0.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new WatchPolicy(3, Duration.ZERO, 2, Duration.ZERO, 0.9, 0, Duration.ofMinutes(1)));
        assertTrue(e.getMessage().contains("OOM memory factor is 0.9"), e.getMessage());
    }

    @Test
    void theFailureListsEveryAttemptAndSaysWhoseFaultItIs() {
        var spec = ContainerSpec.lockedDown("img", List.of(), Map.of(), List.of(), TrainInContainer.Limits.DEFAULT,
                "1000:1000", Map.of());
        var req = new WatchContainer.Request(spec, Path.of("/runs/x/train"), "c", null, null, null, false, null,
                null);
        var a1 = new Attempt(1, ExitCause.KILLED, 137, false, "id1", "c", 2L << 30, null, Instant.now(), 12.5, 3.2,
                null, null);
        var a2 = new Attempt(2, ExitCause.BAD_INPUT, 2, false, "id2", "c-r1", 2L << 30, "checkpoint-epoch-0001.zip",
                Instant.now(), 1.5, 0.0, null, null);
        AttemptLog log = new AttemptLog((s, l) -> { });
        log.log("train", "error: params.json: field 'epochs' is 0");
        TrainchainException bad = WatchContainer.failure(ExitCause.BAD_INPUT, "bad input; not restarted",
                List.of(a1, a2), req, log);
        assertEquals(TrainchainException.Kind.BAD_INPUT, bad.kind());
        String m = bad.getMessage();
        assertTrue(m.contains("attempt 1: KILLED (exit 137) after 12.5 s, 3.2 s of training lost"), m);
        assertTrue(m.contains("attempt 2: BAD_INPUT (exit 2) after 1.5 s, resumed from checkpoint-epoch-0001.zip"), m);
        assertTrue(m.contains("checkpoints kept in /runs/x/train/checkpoints"), m);
        assertTrue(m.contains("field 'epochs' is 0"), "the log tail: " + m);
        assertEquals(TrainchainException.Kind.INFRASTRUCTURE, WatchContainer.failure(ExitCause.KILLED, "spent",
                List.of(a1), req, log).kind());
    }
}

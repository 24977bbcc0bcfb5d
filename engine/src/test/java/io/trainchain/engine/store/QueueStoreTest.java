package io.trainchain.engine.store;

import io.trainchain.engine.TrainchainException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Schema 7: the server's queue (order, one chain per branch, redeliveries, superseding, restarts) and its migration. */
class QueueStoreTest {
    @TempDir
    Path tmp;

    private final RunStoreTest.StepClock clock = new RunStoreTest.StepClock();

    private static QueuedChain.Request push(String branch, String commit, String delivery) {
        return new QueuedChain.Request("fashion", branch, commit, new Trigger("webhook", delivery), "push", "ada");
    }

    private RunStore open() {
        return RunStore.open(tmp.resolve("runs.db"), clock);
    }

    @Test
    void aRedeliveryQueuesNothingAndNamesTheChainQueuedBefore() {
        try (RunStore store = open()) {
            QueuedChain.Enqueued first = store.enqueue(push("main", "a".repeat(40), "d-1"), true);
            assertFalse(first.duplicate());
            assertEquals(QueuedChain.State.QUEUED, first.chain().state());
            assertEquals("ada", first.chain().pusher());
            QueuedChain.Enqueued again = store.enqueue(push("main", "a".repeat(40), "d-1"), true);
            assertTrue(again.duplicate());
            assertEquals(first.chain().seq(), again.chain().seq());
            assertEquals(1, store.queue(10).size());
        }
    }

    @Test
    void workersTakeInOrderOneChainPerBranchAndANewerPushSupersedesAQueuedOlderOne() {
        try (RunStore store = open()) {
            long m1 = store.enqueue(push("main", "1".repeat(40), "d-1"), true).chain().seq();
            clock.advance(Duration.ofSeconds(1));
            long d1 = store.enqueue(push("dev", "2".repeat(40), "d-2"), true).chain().seq();
            QueuedChain taken = store.claimNextQueued(1).orElseThrow();
            assertEquals(m1, taken.seq(), "the oldest first");
            assertEquals(1, taken.executions());
            long m2 = store.enqueue(push("main", "3".repeat(40), "d-3"), true).chain().seq();
            QueuedChain.Enqueued m3 = store.enqueue(push("main", "4".repeat(40), "d-4"), true);
            assertEquals(List.of(m2), m3.superseded(), "the queued older push of main is replaced, the running not");
            QueuedChain replaced = store.queued(m2).orElseThrow();
            assertEquals(QueuedChain.State.SUPERSEDED, replaced.state());
            assertEquals(m3.chain().seq(), replaced.supersededBy());
            assertEquals(d1, store.claimNextQueued(1).orElseThrow().seq(), "main is busy: dev goes next");
            assertTrue(store.claimNextQueued(1).isEmpty(), "main's next waits for the running one");
            store.finishQueued(m1, QueuedChain.State.DONE, "run x PASSED");
            assertEquals(m3.chain().seq(), store.claimNextQueued(1).orElseThrow().seq());
            assertEquals(QueuedChain.State.DONE, store.queued(m1).orElseThrow().state());
            assertThrows(TrainchainException.class, () -> store.finishQueued(m1, QueuedChain.State.FAILED, "again"));
        }
    }

    @Test
    void withoutSupersedingEveryPushRunsAndTwoPerBranchMayRunAtOnce() {
        try (RunStore store = open()) {
            store.enqueue(push("main", "1".repeat(40), "d-1"), false);
            store.enqueue(push("main", "2".repeat(40), "d-2"), false);
            assertTrue(store.claimNextQueued(2).isPresent());
            assertTrue(store.claimNextQueued(2).isPresent());
            assertTrue(store.queue(10).stream().allMatch(c -> c.state() == QueuedChain.State.RUNNING));
        }
    }

    @Test
    void aRestartRequeuesTheRunningChainAtItsPlaceAndMarksItsRunInterrupted() {
        String runId;
        long seq;
        try (RunStore store = open()) {
            seq = store.enqueue(push("main", "1".repeat(40), "d-1"), true).chain().seq();
            store.enqueue(push("dev", "2".repeat(40), "d-2"), true);
            store.claimNextQueued(1).orElseThrow();
            runId = store.startRun(new RunStart(Path.of("/jobs/1/repo"), null, "dl4j", null, "{}",
                    new Trigger("webhook", "d-1")));
            // the server is killed here: the chain stays RUNNING, so does its run
        }
        try (RunStore store = open()) {
            List<QueuedChain> requeued = store.requeueInterrupted("the server stopped while it ran");
            assertEquals(List.of(seq), requeued.stream().map(QueuedChain::seq).toList());
            RunRecord run = store.getRun(runId).orElseThrow();
            assertEquals(RunStatus.FAILED, run.status());
            assertTrue(run.message().contains("interrupted"), run.message());
            QueuedChain again = store.claimNextQueued(1).orElseThrow();
            assertEquals(seq, again.seq(), "it keeps its place ahead of the later push");
            assertEquals(1, again.interruptions());
            assertEquals(2, again.executions());
            assertTrue(store.requeueInterrupted("x").stream().anyMatch(q -> q.seq() == seq));
        }
    }

    @Test
    void aScheduleRemembersItsLastFireAndDataset() {
        try (RunStore store = open()) {
            assertTrue(store.lastScheduleFire("weekly").isEmpty());
            store.recordScheduleFire("weekly", Instant.parse("2024-06-03T03:00:00Z"), "{\"sha256\":\"ab\"}");
            store.recordScheduleFire("weekly", Instant.parse("2024-06-10T03:00:00Z"), "{\"sha256\":\"cd\"}");
            assertEquals(Instant.parse("2024-06-10T03:00:00Z"), store.lastScheduleFire("weekly").orElseThrow());
            assertEquals("{\"sha256\":\"cd\"}", store.lastScheduleDataset("weekly").orElseThrow());
        }
    }

    @Test
    void aVersion6DatabaseMigratesTo7KeepingItsRunsAndTriggers() throws Exception {
        String run;
        try (RunStore old = RunStore.open(tmp.resolve("runs.db"), clock, Migrations.ALL.subList(0, 6))) {
            assertEquals(6, old.schemaVersion());
            run = old.startRun(new RunStart(Path.of("/repos/a"), null, "dl4j", null, "{}",
                    new Trigger("webhook", "d-old")));
            old.finishRun(run, new RunOutcome(RunStatus.PASSED, "sha256:img", List.of(), null,
                    Map.of("accuracy", 0.9), null));
        }
        try (RunStore store = RunStore.open(tmp.resolve("runs.db"), clock, Migrations.ALL.subList(0, 7))) {
            assertEquals(7, store.schemaVersion());
            RunRecord kept = store.getRun(run).orElseThrow();
            assertEquals(new Trigger("webhook", "d-old"), kept.trigger());
            assertEquals(Map.of("accuracy", 0.9), kept.metrics());
            assertTrue(store.queue(10).isEmpty());
            long seq = store.enqueue(push("main", "1".repeat(40), "d-new"), true).chain().seq();
            store.claimNextQueued(1).orElseThrow();
            store.attachQueuedRun(seq, run);
            assertEquals(run, store.queued(seq).orElseThrow().runId());
            assertEquals(RunStatus.PASSED, store.queued(seq).orElseThrow().runStatus(), "the run's own status");
        }
    }
}

package io.trainchain.engine.server;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.store.QueuedChain;
import io.trainchain.engine.store.RunStore;
import io.trainchain.engine.store.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Deliveries queued together from many threads: each answered with its own chain, redeliveries among them too. */
class GroupCommitTest {
    @TempDir
    Path tmp;

    private static QueuedChain.Request push(String delivery) {
        return new QueuedChain.Request("fashion", "main", "a".repeat(40), new Trigger("webhook", delivery), "push",
                "ada");
    }

    @Test
    void concurrentDeliveriesAreEachCommittedOnceAndARedeliveryInTheSameBatchIsADuplicate() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try (RunStore store = RunStore.open(tmp.resolve("runs.db")); GroupCommit commits = new GroupCommit(store, false)) {
            List<Callable<QueuedChain.Enqueued>> calls = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String delivery = "d-" + (i % 200); // every delivery twice, often in the same batch
                calls.add(() -> commits.enqueue(push(delivery)));
            }
            int duplicates = 0;
            for (Future<QueuedChain.Enqueued> f : pool.invokeAll(calls)) {
                duplicates += f.get().duplicate() ? 1 : 0;
            }
            assertEquals(200, duplicates);
            assertEquals(200, store.queue(1000).size());
            assertEquals(200, store.queue(1000).stream().map(q -> q.trigger().id()).distinct().count());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void afterCloseNothingMoreIsQueued() {
        try (RunStore store = RunStore.open(tmp.resolve("runs.db"))) {
            GroupCommit commits = new GroupCommit(store, true);
            assertEquals(1, commits.enqueue(push("d-1")).chain().seq());
            commits.close();
            TrainchainException refused = assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> assertThrows(TrainchainException.class, () -> commits.enqueue(push("d-2"))));
            assertEquals(TrainchainException.Kind.INFRASTRUCTURE, refused.kind()); // the front answers 503
            assertEquals(1, store.queue(10).size());
        }
    }

    @Test
    void anErrorInTheCommitterFailsTheWaitingDeliveryAndRefusesTheNextInsteadOfHanging() {
        Error boom = new Error("simulated: the commit ran out of memory");
        GroupCommit commits = new GroupCommit(requests -> {
            throw boom;
        });
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                TrainchainException waiting = assertThrows(TrainchainException.class,
                        () -> commits.enqueue(push("d-1")));
                assertSame(boom, waiting.getCause());
                assertEquals(TrainchainException.Kind.INFRASTRUCTURE, waiting.kind());
                TrainchainException next = assertThrows(TrainchainException.class,
                        () -> commits.enqueue(push("d-2")));
                assertSame(boom, next.getCause());
                assertEquals(TrainchainException.Kind.INFRASTRUCTURE, next.kind());
            });
        } finally {
            commits.close();
        }
    }

    @Test
    void deliveriesRacingCloseAreEachCommittedOrRefusedNeverLeftWaiting() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (RunStore store = RunStore.open(tmp.resolve("runs.db"))) {
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                int committed = 0;
                for (int round = 0; round < 50; round++) {
                    GroupCommit commits = new GroupCommit(store, false);
                    CountDownLatch start = new CountDownLatch(1);
                    List<Future<QueuedChain.Enqueued>> calls = new ArrayList<>();
                    for (int i = 0; i < 8; i++) {
                        String delivery = "r" + round + "-" + i;
                        calls.add(pool.submit(() -> {
                            start.await();
                            return commits.enqueue(push(delivery));
                        }));
                    }
                    start.countDown();
                    commits.close();
                    for (Future<QueuedChain.Enqueued> f : calls) {
                        try {
                            f.get();
                            committed++;
                        } catch (ExecutionException e) {
                            assertInstanceOf(TrainchainException.class, e.getCause());
                        }
                    }
                }
                assertEquals(committed, store.queue(1000).size()); // each answered delivery is in the store
            });
        } finally {
            pool.shutdownNow();
        }
    }
}

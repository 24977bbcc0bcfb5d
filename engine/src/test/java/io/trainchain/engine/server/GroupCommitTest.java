package io.trainchain.engine.server;

import io.trainchain.engine.store.QueuedChain;
import io.trainchain.engine.store.RunStore;
import io.trainchain.engine.store.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
            assertThrows(IllegalStateException.class, () -> commits.enqueue(push("d-2")));
            assertEquals(1, store.queue(10).size());
        }
    }
}

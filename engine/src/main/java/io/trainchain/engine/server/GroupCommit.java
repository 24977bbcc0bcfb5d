package io.trainchain.engine.server;

import io.trainchain.engine.store.QueuedChain;
import io.trainchain.engine.store.RunStore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Queues the deliveries that arrive together in one transaction: a delivery is answered only once its chain is
 * committed with a wait for the disk (~3 ms here), and one such wait for every delivery in flight instead of one
 * each is what lets the front answer hundreds a second. One thread commits; each caller waits for its own result.
 */
public final class GroupCommit implements AutoCloseable {
    private static final int MAX_BATCH = 256;

    private record Pending(QueuedChain.Request request, CompletableFuture<QueuedChain.Enqueued> result) {
    }

    private final RunStore store;
    private final boolean supersede;
    private final BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
    private final Thread committer;
    private volatile boolean closed;

    public GroupCommit(RunStore store, boolean supersede) {
        this.store = store;
        this.supersede = supersede;
        committer = new Thread(this::loop, "trainchain-queue-commit");
        committer.setDaemon(true);
        committer.start();
    }

    /** Queues one chain and returns once it is committed; the store's failure is thrown as it was. */
    public QueuedChain.Enqueued enqueue(QueuedChain.Request request) {
        if (closed) {
            throw new IllegalStateException("the server is stopping: nothing more is queued");
        }
        CompletableFuture<QueuedChain.Enqueued> f = new CompletableFuture<>();
        pending.add(new Pending(request, f));
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the delivery was being queued", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (!closed || !pending.isEmpty()) {
            try {
                batch.add(pending.take());
            } catch (InterruptedException e) {
                if (closed) {
                    pending.drainTo(batch); // callers still waiting get their answer
                    if (batch.isEmpty()) {
                        return;
                    }
                } else {
                    continue;
                }
            }
            pending.drainTo(batch, MAX_BATCH - batch.size());
            try {
                List<QueuedChain.Enqueued> done = store.enqueueAll(batch.stream().map(Pending::request).toList(),
                        supersede);
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).result().complete(done.get(i));
                }
            } catch (RuntimeException e) {
                batch.forEach(p -> p.result().completeExceptionally(e)); // nothing of the batch was committed
            }
            batch.clear();
        }
    }

    /** Commits what is pending, then stops (call after the HTTP front stopped taking deliveries). */
    @Override
    public void close() {
        closed = true;
        committer.interrupt();
        try {
            committer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

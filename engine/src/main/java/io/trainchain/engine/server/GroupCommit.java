package io.trainchain.engine.server;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.store.QueuedChain;
import io.trainchain.engine.store.RunStore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/**
 * Queues the deliveries that arrive together in one transaction: a delivery is answered only once its chain is
 * committed with a wait for the disk (~3 ms here), and one such wait for every delivery in flight instead of one
 * each is what lets the front answer hundreds a second. One thread commits; each caller waits for its own result.
 */
public final class GroupCommit implements AutoCloseable {
    private static final int MAX_BATCH = 256;

    private record Pending(QueuedChain.Request request, CompletableFuture<QueuedChain.Enqueued> result) {
    }

    private final Function<List<QueuedChain.Request>, List<QueuedChain.Enqueued>> commit;
    private final BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
    private final Thread committer;
    /** Makes "not closed, then added" one step: what was added before close is drained, nothing after. */
    private final Object lock = new Object();
    private volatile boolean closed;
    /** Why the committer ended early, or null. */
    private volatile Error failure;

    public GroupCommit(RunStore store, boolean supersede) {
        this(requests -> store.enqueueAll(requests, supersede));
    }

    /** Commits each batch with {@code commit}, one result per request in order (the seam a test fails through). */
    GroupCommit(Function<List<QueuedChain.Request>, List<QueuedChain.Enqueued>> commit) {
        this.commit = commit;
        committer = new Thread(this::loop, "trainchain-queue-commit");
        committer.setDaemon(true);
        committer.start();
    }

    /**
     * Queues one chain and returns once it is committed; the store's failure is thrown as it was. A server that is
     * stopping, or whose committer failed, refuses it with an infrastructure {@link TrainchainException}: nothing
     * was queued and the delivery may be retried.
     */
    public QueuedChain.Enqueued enqueue(QueuedChain.Request request) {
        CompletableFuture<QueuedChain.Enqueued> f = new CompletableFuture<>();
        synchronized (lock) {
            if (closed) {
                Error e = failure;
                throw e == null
                        ? TrainchainException.infrastructure("the server is stopping: nothing more is queued", null)
                        : committerFailed(e);
            }
            pending.add(new Pending(request, f));
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw TrainchainException.infrastructure("interrupted while the delivery was being queued", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : committerFailed(e.getCause());
        }
    }

    private static TrainchainException committerFailed(Throwable cause) {
        return TrainchainException.infrastructure("the queue's committer failed: " + cause
                + "; nothing more is queued until the server is restarted", cause);
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
                List<QueuedChain.Enqueued> done = commit.apply(batch.stream().map(Pending::request).toList());
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).result().complete(done.get(i));
                }
            } catch (Throwable e) {
                batch.forEach(p -> p.result().completeExceptionally(e)); // nothing of the batch was committed
                if (e instanceof Error error) {
                    stop(error);
                    throw error; // the JVM is in trouble: end this thread, but leave no caller waiting on it
                }
            }
            batch.clear();
        }
    }

    /** After an Error: refuses what comes next and fails what is still pending, since nothing will commit it. */
    private void stop(Error error) {
        synchronized (lock) {
            failure = error;
            closed = true;
        }
        List<Pending> left = new ArrayList<>();
        pending.drainTo(left);
        left.forEach(p -> p.result().completeExceptionally(error));
    }

    /** Commits what is pending, then stops (call after the HTTP front stopped taking deliveries). */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        committer.interrupt();
        try {
            committer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

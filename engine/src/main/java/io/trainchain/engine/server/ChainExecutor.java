package io.trainchain.engine.server;

import io.trainchain.engine.store.QueuedChain;

import java.nio.file.Path;

/**
 * What a worker does with a queued chain once its commit is checked out. The server runs the real chain
 * ({@link ChainRunnerExecutor}); the front's tests and the webhook bench use one that records and returns, since
 * they measure and check the HTTP front and the queue, not training.
 */
public interface ChainExecutor {

    /**
     * @param chain      the queued chain (its repository, branch, commit and trigger)
     * @param repository the repository's configuration
     * @param checkout   the commit checked out
     * @param runDir     the chain's folder: the same for every execution of one queued chain, so a resumed chain
     *                   finds its checkpoints there
     * @param resume     an earlier execution was interrupted: continue from its checkpoint
     */
    record Job(QueuedChain chain, ServerConfig.Repository repository, Path checkout, Path runDir, boolean resume) {
    }

    /** @param runId the run record, or null where nothing was recorded; @param summary one line for the queue */
    record Result(String runId, String summary) {
    }

    /**
     * Runs one chain to its end. An interrupt of the calling thread (the server stopping) ends it early with a
     * {@link java.util.concurrent.CancellationException}, the running container stopped and removed; any other
     * exception is the chain's failure.
     */
    Result execute(Job job);
}

package io.trainchain.engine.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One chain in the server's queue: what to run (repository, branch, exact commit) and what asked for it.
 *
 * @param seq           queue position (ascending = order of arrival)
 * @param repository    the configured repository's name
 * @param trigger       "webhook" with the delivery id, or "schedule" with the schedule and its fire time
 * @param event         the forge's event name ("push", "Push Hook") or "schedule"
 * @param pusher        who pushed, when the forge says
 * @param runId         the run record of its latest execution, null before it started
 * @param supersededBy  the newer push that replaced it while it waited, or null
 * @param executions    how often a worker took it (1 for a chain that ran once; 2 after an interrupted one resumed)
 * @param interruptions how often the server stopped while it ran
 * @param runStatus     the status of its run record (PASSED, BELOW_THRESHOLD...), null before it has one
 */
public record QueuedChain(long seq, String repository, String branch, String commitId, Trigger trigger, String event,
                          String pusher, State state, String runId, Long supersededBy, int executions,
                          int interruptions, String message, Instant queuedAt, Instant startedAt,
                          Instant finishedAt, RunStatus runStatus) {

    public enum State { QUEUED, RUNNING, DONE, FAILED, SUPERSEDED }

    public QueuedChain {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(branch, "branch");
        Objects.requireNonNull(commitId, "commitId");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(state, "state");
    }

    /** What a delivery or a schedule asks to queue. */
    public record Request(String repository, String branch, String commitId, Trigger trigger, String event,
                          String pusher) {
        public Request {
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(branch, "branch");
            Objects.requireNonNull(commitId, "commitId");
            Objects.requireNonNull(trigger, "trigger");
            if (trigger.id() == null) {
                throw new IllegalArgumentException("a queued chain's trigger needs an id (delivery or schedule fire)");
            }
        }
    }

    /**
     * The answer to {@code enqueue}.
     *
     * @param chain      the queued chain, or the one already queued for the same delivery
     * @param duplicate  true when the delivery was queued before (a redelivery): nothing new was queued
     * @param superseded the older queued chains of the same branch this one replaced
     */
    public record Enqueued(QueuedChain chain, boolean duplicate, java.util.List<Long> superseded) {
    }
}

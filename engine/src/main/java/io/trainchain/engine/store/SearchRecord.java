package io.trainchain.engine.store;

import java.time.Instant;
import java.util.List;

/**
 * A stored hyperparameter search (a parent of runs, MLflow's word) and its trials by number.
 *
 * @param parentRunId the chain run whose result below the gate started it; null for {@code trainchain tune}
 * @param specJson    what the search needs to resume: space, strategy settings, budget, seed, the request
 * @param status      RUNNING until it ends (also after its process was killed: it can be resumed), then PASSED
 *                    (its best trial passes the gate), BELOW_THRESHOLD or FAILED
 * @param bestRunId   the best trial's run by the gate metric, or null
 * @param stopReason  which budget or condition ended it
 */
public record SearchRecord(String id, String parentRunId, String repository, String strategy, String specJson,
                           RunStatus status, String bestRunId, String stopReason, String message, Instant startedAt,
                           Instant finishedAt, List<Trial> trials) {

    public SearchRecord {
        trials = List.copyOf(trials);
    }

    /** Which trial of which search a run trained. */
    public record TrialOf(String searchId, int number) {
    }

    /** How a trial ended. */
    public enum TrialStatus { RUNNING, COMPLETED, STOPPED, FAILED }

    /**
     * @param runId  the trial's run (its epochs, attempts, gate), null before it started
     * @param rung   the rung a stopped trial ended at
     * @param value  the gate metric of a completed trial
     * @param epochs epochs trained
     */
    public record Trial(int number, String runId, String paramsJson, String runDir, TrialStatus status,
                        Integer rung, Double value, int epochs, String message) {
    }
}

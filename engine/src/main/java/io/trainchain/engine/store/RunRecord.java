package io.trainchain.engine.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A stored run with everything recorded about it.
 *
 * @param git        null when the repository was not a Git checkout
 * @param gate       null until the run has finished with a gate
 * @param finishedAt null while RUNNING
 * @param attempts   the training containers started for the run, by attempt number; empty when none was recorded
 * @param trigger    what started the run (the root of its lineage)
 */
public record RunRecord(String id, String repository, GitInfo git, String framework, DatasetIdentity dataset,
                        String paramsJson, String imageId, List<String> artifacts, GateRecord gate,
                        Map<String, Double> metrics, RunStatus status, String message, Instant startedAt,
                        Instant finishedAt, List<EpochMetrics> epochs, List<StepTiming> steps,
                        List<AttemptRecord> attempts, Trigger trigger) {

    public RunRecord {
        trigger = trigger == null ? Trigger.MANUAL : trigger;
    }

    /** A run started by hand. */
    public RunRecord(String id, String repository, GitInfo git, String framework, DatasetIdentity dataset,
                     String paramsJson, String imageId, List<String> artifacts, GateRecord gate,
                     Map<String, Double> metrics, RunStatus status, String message, Instant startedAt,
                     Instant finishedAt, List<EpochMetrics> epochs, List<StepTiming> steps,
                     List<AttemptRecord> attempts) {
        this(id, repository, git, framework, dataset, paramsJson, imageId, artifacts, gate, metrics, status, message,
                startedAt, finishedAt, epochs, steps, attempts, Trigger.MANUAL);
    }
}

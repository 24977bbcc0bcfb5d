package io.trainchain.engine.store;

import java.time.Instant;

/**
 * A registered model version (MLflow's word): a copy of a run's model file, content-addressed in the store's own
 * folder, with the gate metric it passed with and the test set that metric was measured on.
 *
 * @param path      the registered copy (never the run folder's file: cleaning runs never loses it)
 * @param testSet   what the metric was measured on (the test files' checksums and count): two versions' values are
 *                  comparable only when these are equal
 */
public record ModelRecord(String name, int version, String runId, String sha256, String path, long bytes,
                          String metric, double value, String direction, String testSet, Instant registeredAt) {

    /** "fashion-cnn v3". */
    public String label() {
        return name + " v" + version;
    }
}

package io.trainchain.engine.store;

/**
 * What a run trained with, for its lineage: the training image (id, tag and the content hash it was built from),
 * the trainer, and the container's threads and limits.
 *
 * @param imageHash the build context's content hash (the image tag carries its first 12 characters)
 * @param trainer   "built-in DL4J trainer" or the user's script and framework, with the engine's version
 * @param cpus      the container's CPU quota (a trial running beside others gets its share)
 */
public record RunEnvironment(String imageId, String imageTag, String imageHash, String trainer, int threads,
                             long memoryBytes, double cpus, long pids) {

    /** e.g. "2 threads, 2 CPUs, 2048 MiB memory, 512 processes". */
    public String limits() {
        return String.format(java.util.Locale.ROOT, "%d thread%s, %s CPUs, %d MiB memory, %d processes", threads,
                threads == 1 ? "" : "s", cpus == Math.rint(cpus) ? Long.toString((long) cpus) : Double.toString(cpus),
                memoryBytes >> 20, pids);
    }
}

package io.trainchain.engine.config;

/**
 * Resource limits for the training container. Null fields mean "the runner's default".
 *
 * @param memory      as written, e.g. "2g"
 * @param memoryBytes the same in bytes
 */
public record Limits(String memory, Long memoryBytes, Double cpus, Integer pids) {

    public static final Limits NONE = new Limits(null, null, null, null);
}

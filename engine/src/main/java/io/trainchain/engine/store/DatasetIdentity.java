package io.trainchain.engine.store;

/**
 * Which data a run used.
 *
 * @param name e.g. "fashion-mnist" or a path
 * @param json details as a JSON object (version, checksum, sizes...), or null
 */
public record DatasetIdentity(String name, String json) {
}

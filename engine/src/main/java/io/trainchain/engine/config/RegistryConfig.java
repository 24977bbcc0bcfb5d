package io.trainchain.engine.config;

import java.util.Optional;

/**
 * trainchain.yaml's {@code registry:}: the registered model's name (default: the repository folder's name) and
 * the margin by which a challenger must beat the champion's gate metric to be promoted (default 0: strictly better).
 */
public record RegistryConfig(Optional<String> name, double margin) {
    public static final RegistryConfig DEFAULT = new RegistryConfig(Optional.empty(), 0.0);
}

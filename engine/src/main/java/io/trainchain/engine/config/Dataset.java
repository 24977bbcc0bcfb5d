package io.trainchain.engine.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Which data a run trains on: one of the built-in datasets the trainer can fetch, or a local path.
 *
 * @param name the built-in name ("fashion-mnist", "cifar10") or the path as written
 * @param path the resolved path for PATH datasets, null for built-ins
 */
public record Dataset(Kind kind, String name, Path path) {

    public enum Kind { BUILTIN, PATH }

    public static final String FASHION_MNIST = "fashion-mnist";
    public static final String CIFAR10 = "cifar10";

    /** Built-in names, lower-case; "fashion_mnist" and "cifar-10" are accepted spellings. */
    public static Optional<Dataset> builtin(String value) {
        String n = value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        if (n.equals(FASHION_MNIST)) {
            return Optional.of(new Dataset(Kind.BUILTIN, FASHION_MNIST, null));
        }
        if (n.equals(CIFAR10) || n.equals("cifar-10")) {
            return Optional.of(new Dataset(Kind.BUILTIN, CIFAR10, null));
        }
        return Optional.empty();
    }
}

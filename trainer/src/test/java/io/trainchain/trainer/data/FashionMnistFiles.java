package io.trainchain.trainer.data;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real Fashion-MNIST from Debian's dataset-fashion-mnist; the README's test command installs it. */
final class FashionMnistFiles {
    static final Path DIR = DatasetLoader.DEFAULT_DIR;

    private FashionMnistFiles() {
    }

    /** Fails (never skips) when the package is missing: a skipped loader test would hide a broken set-up. */
    static Path dir() {
        assertTrue(Files.isRegularFile(DIR.resolve("train-images-idx3-ubyte.gz")),
                "Fashion-MNIST missing at " + DIR + ": apt-get install dataset-fashion-mnist");
        return DIR;
    }
}

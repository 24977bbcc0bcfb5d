package io.trainchain.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the CLI finds its parts: bin/trainchain sets trainchain.home to the installation (or source) folder. */
final class Locations {
    private Locations() {
    }

    static Path home() {
        String h = System.getProperty("trainchain.home");
        return h == null ? Path.of("").toAbsolutePath() : Path.of(h);
    }

    /** The trainer's jar and lib/: TRAINCHAIN_TRAINER_DIST, else the build output under the home folder. */
    static Path trainerDist() {
        String env = System.getenv("TRAINCHAIN_TRAINER_DIST");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path built = home().resolve("trainer/target/dist");
        return Files.isDirectory(built) ? built : home().resolve("lib/trainer");
    }
}

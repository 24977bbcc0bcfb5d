package io.trainchain.cli;

import io.trainchain.engine.store.RunStore;

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

    /** The image recipes shipped with Trainchain. */
    static Path dockerfiles() {
        return home().resolve("dockerfiles");
    }

    /** The run database: the option, else $TRAINCHAIN_STORE, else ~/.trainchain/runs.db. */
    static Path store(Path option) {
        if (option != null) {
            return option;
        }
        String env = System.getenv("TRAINCHAIN_STORE");
        return env != null && !env.isBlank() ? Path.of(env) : RunStore.defaultPath();
    }
}

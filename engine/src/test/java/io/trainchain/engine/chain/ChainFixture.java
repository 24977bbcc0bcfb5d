package io.trainchain.engine.chain;

import io.trainchain.engine.docker.TestDocker;
import io.trainchain.engine.store.RunStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** What the chain ITs share: the repository root, one real run store per class, a temp folder per test. */
abstract class ChainFixture {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static RunStore store;

    @TempDir
    static Path shared;
    @TempDir
    Path tmp;

    @BeforeAll
    static void openStore() {
        TestDocker.connection(); // fails here, loudly, without a Docker engine
        store = RunStore.open(shared.resolve("runs.db"));
    }

    @AfterAll
    static void closeStore() {
        store.close();
    }
}

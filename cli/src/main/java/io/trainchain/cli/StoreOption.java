package io.trainchain.cli;

import picocli.CommandLine.Option;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.store.RunStore;

import java.nio.file.Files;
import java.nio.file.Path;

/** The run database option, shared by the commands that read or write the run store. */
final class StoreOption {
    @Option(names = "--store", paramLabel = "DB",
            description = "Run database. Default: $TRAINCHAIN_STORE, else ~/.trainchain/runs.db.")
    Path store;

    Path resolve() {
        return Locations.store(store);
    }

    /**
     * Runs {@code body} on the run database, which must exist already (the reading commands create none); a missing
     * database and the engine's errors are printed as the commands print them, with their exit codes.
     */
    int withExisting(Body body) {
        Path db = resolve();
        if (!Files.exists(db)) {
            System.err.println("error: no run database at " + db + "; pass --store DB or run `trainchain run` first");
            return ExitCodes.BAD_INPUT;
        }
        try (RunStore runs = RunStore.open(db)) {
            return body.run(runs, db);
        } catch (TrainchainException e) {
            System.err.println("error: " + e.getMessage());
            return ExitCodes.of(e.kind());
        }
    }

    @FunctionalInterface
    interface Body {
        int run(RunStore runs, Path db);
    }
}

package io.trainchain.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The run database option, shared by the commands that read or write the run store. */
final class StoreOption {
    @Option(names = "--store", paramLabel = "DB",
            description = "Run database. Default: $TRAINCHAIN_STORE, else ~/.trainchain/runs.db.")
    Path store;

    Path resolve() {
        return Locations.store(store);
    }
}

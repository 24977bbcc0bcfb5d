package io.trainchain.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code trainchain} command. */
@Command(name = "trainchain", mixinStandardHelpOptions = true, version = "trainchain 0.1.0",
        description = "Train, evaluate and retrain ML models from a repository.",
        subcommands = {TrainCommand.class, RunCommand.class, WatchCommand.class, RunsCommand.class,
                BaseImageCommand.class,
                OutboxCommand.class, TuneCommand.class, ModelsCommand.class, ServerCommand.class})
public final class TrainchainCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new TrainchainCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    }
}

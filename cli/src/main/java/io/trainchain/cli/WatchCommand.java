package io.trainchain.cli;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.chain.MergeSettings;
import io.trainchain.engine.docker.DockerConnection;
import io.trainchain.engine.docker.DockerConnector;
import io.trainchain.engine.docker.DockerUnavailableException;
import io.trainchain.engine.watch.Attempt;
import io.trainchain.engine.watch.WatchContainer;
import io.trainchain.engine.watch.WatchPolicy;
import io.trainchain.engine.watch.WatchTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;

/** {@code trainchain watch CONTAINER}: follows a training container started elsewhere and restarts it when it dies. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Follow a training container that something else started (docker run ...) and, when it dies, "
                + "restart it from its last checkpoint: same image, command, mounts and limits, with --resume.",
                "The checkpoints are read from the host folder mounted at the container's --out.",
                "Exit codes: 0 training completed, 2 bad input (the trainer refused its input, no such container), "
                        + "3 infrastructure (restarts spent, Docker gone, timeout)."})
final class WatchCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONTAINER", description = "The training container's name or id.")
    String container;

    @Option(names = "--out", paramLabel = "HOST_DIR",
            description = "The host folder of the trainer's --out, if it cannot be read from the container's mounts.")
    Path out;

    @Option(names = "--timeout", paramLabel = "MINUTES", defaultValue = "720",
            description = "Give up (and kill the container) after this many minutes in all. Default: ${DEFAULT-VALUE}.")
    long timeoutMinutes;

    @Mixin
    WatchMixin watch = new WatchMixin();

    @Override
    public Integer call() {
        PrintStream o = System.out;
        PrintStream e = System.err;
        if (timeoutMinutes <= 0) {
            e.println("error: --timeout is " + timeoutMinutes + "; use 1 or more minutes");
            return ExitCodes.BAD_INPUT;
        }
        ConsolePrinter printer = new ConsolePrinter(o);
        try (ShutdownInterrupt ignored = ShutdownInterrupt.install();
             DockerConnection docker = DockerConnector.fromEnvironment().connect()) {
            WatchPolicy policy = MergeSettings.watchPolicy(watch.toOptions(null, null, null), "command line");
            WatchTarget target = WatchTarget.of(docker.client(), container, out, printer);
            o.println("watching " + target.name() + " (" + target.id().substring(0, 12) + "), checkpoints in "
                    + target.outputDir() + "; at most " + policy.maxRestarts() + " restarts");
            WatchContainer w = new WatchContainer(docker, () -> DockerConnector.fromEnvironment().connect());
            try {
                WatchContainer.Result r = w.run(new WatchContainer.Request(target.spec(), target.outputDir(),
                        target.name(), target.id(), policy, Duration.ofMinutes(timeoutMinutes), true, printer, null));
                printHistory(o, r.attempts());
                o.println("training completed in " + last(r.attempts()).containerName());
                return 0;
            } finally {
                if (w.connection() != docker) {
                    w.connection().close();
                }
            }
        } catch (DockerUnavailableException x) {
            e.println("error: " + x.getMessage());
            return ExitCodes.INFRASTRUCTURE;
        } catch (TrainchainException x) {
            o.flush();
            e.println("error: " + x.getMessage());
            return ExitCodes.of(x.kind());
        } catch (CancellationException x) {
            e.println("interrupted: " + x.getMessage() + "; the current container was stopped and removed");
            return ExitCodes.INFRASTRUCTURE;
        }
    }

    private static void printHistory(PrintStream o, List<Attempt> attempts) {
        o.println("attempts:");
        attempts.forEach(a -> o.println("  " + ConsolePrinter.ascii(a.describe())));
    }

    private static Attempt last(List<Attempt> attempts) {
        return attempts.get(attempts.size() - 1);
    }
}

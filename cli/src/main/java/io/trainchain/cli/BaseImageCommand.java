package io.trainchain.cli;

import io.trainchain.engine.docker.BaseImage;
import io.trainchain.engine.docker.DockerConnection;
import io.trainchain.engine.docker.DockerConnector;
import io.trainchain.engine.docker.DockerStepException;
import io.trainchain.engine.docker.DockerUnavailableException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code trainchain base-image}: the base image from Debian packages, for machines that reach no registry. */
@Command(name = "base-image", mixinStandardHelpOptions = true,
        description = {"Build (or reuse) the base image of the training images from Debian packages with debootstrap "
                + "(needs root and a Debian mirror; about a minute).",
                "Needed only where no registry can be reached; elsewhere pass `trainchain run --base-image` any "
                        + "JRE 17 image. `trainchain run` builds it itself when it is missing."})
final class BaseImageCommand implements Callable<Integer> {
    @Option(names = "--force", description = "Rebuild even if the image exists.")
    boolean force;

    @Option(names = "--flavor", defaultValue = "jre17",
            description = "jre17 (JVM trainers: ${DEFAULT-VALUE}) or debian (Python recipes).")
    BaseImage.Flavor flavor;

    @Option(names = "--timeout", paramLabel = "MINUTES", defaultValue = "15",
            description = "Give up after this many minutes. Default: ${DEFAULT-VALUE}.")
    long timeoutMinutes;

    @Override
    public Integer call() {
        if (timeoutMinutes <= 0) {
            System.err.println("error: --timeout is " + timeoutMinutes + "; use 1 or more minutes");
            return ExitCodes.BAD_INPUT;
        }
        try (DockerConnection docker = DockerConnector.fromEnvironment().connect()) {
            ConsolePrinter printer = new ConsolePrinter(System.out);
            BaseImage.Result r = new BaseImage(docker).ensure(new BaseImage.Request(flavor, force, null,
                    Duration.ofMinutes(timeoutMinutes), printer));
            System.out.printf(Locale.ROOT, "%s %s (%s) in %.1f s%n", r.image(), r.reused() ? "reused" : "built",
                    r.imageId(), r.seconds());
            return 0;
        } catch (DockerUnavailableException | DockerStepException e) {
            System.err.println("error: " + e.getMessage());
            return ExitCodes.INFRASTRUCTURE;
        }
    }
}

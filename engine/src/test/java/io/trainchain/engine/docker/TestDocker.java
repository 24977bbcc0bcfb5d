package io.trainchain.engine.docker;

import io.trainchain.engine.ChainListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Shared connection for the ITs. Connecting throws when no engine answers, so the ITs fail (never skip) without
 * Docker.
 */
public final class TestDocker {
    private static DockerConnection connection;

    private TestDocker() {
    }

    public static synchronized DockerConnection connection() {
        if (connection == null) {
            connection = DockerConnector.fromEnvironment().connect();
            System.out.println("[it] " + connection.describe());
        }
        return connection;
    }

    private static String dl4jImage;

    /**
     * The real training image (dockerfiles/dl4j with the real trainer dist and a one-file code folder), built once
     * per run and shared by every IT that trains for real: the same content gives the same tag, so later builds hit
     * the cache. Fails, not skips, when the trainer dist is missing.
     */
    public static synchronized String dl4jImage() {
        if (dl4jImage == null) {
            java.nio.file.Path dist = java.nio.file.Path.of("..", "trainer", "target", "dist").toAbsolutePath().normalize();
            if (!java.nio.file.Files.isRegularFile(dist.resolve("trainchain-trainer.jar"))) {
                throw new IllegalStateException(dist + " missing: run mvn -B -pl trainer -am package -DskipTests");
            }
            try {
                java.nio.file.Path code = java.nio.file.Files.createTempDirectory("trainchain-it-code");
                java.nio.file.Files.writeString(code.resolve("README.txt"), "user code placeholder\n");
                dl4jImage = new BuildTrainingImage(connection().client()).run(new BuildTrainingImage.Request(
                        java.nio.file.Path.of("..", "dockerfiles", "dl4j").toAbsolutePath().normalize(), dist, code,
                        jreBase(), new Recording("dl4j-build"))).tag();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return dl4jImage;
    }

    /** The probe image (src/test/resources/docker/probe: a shell stand-in for the trainer), built once per run. */
    private static String probeImage;

    public static synchronized String probeImage() {
        if (probeImage == null) {
            try {
                java.nio.file.Path code = java.nio.file.Files.createTempDirectory("trainchain-it-probe");
                // Each run builds a fresh probe tag: remove them when the ITs are done, or they pile up.
                Runtime.getRuntime().addShutdownHook(new Thread(() -> removeImages("probe")));
                probeImage = new BuildTrainingImage(connection().client()).run(new BuildTrainingImage.Request(
                        TestFiles.recipe("probe"), null, code, jreBase(), new Recording("probe"))).tag();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return probeImage;
    }

    /** The JRE base image, built on first use (needs root + debootstrap, like the real command). */
    public static synchronized String jreBase() {
        return new BaseImage(connection())
                .ensure(BaseImage.Request.of(BaseImage.Flavor.JRE17, new Recording("base"))).image();
    }

    /**
     * Removes the images of a test-only recipe (trainchain/train-RECIPE:*): each IT run builds fresh tags (nonces
     * in its context), which would otherwise pile up on the machine from run to run.
     */
    public static void removeImages(String recipe) {
        var client = connection().client();
        String prefix = "trainchain/train-" + recipe + ":";
        // Filtered here, by tag: dockerd 20.10 ignores the image-name filter docker-java sends (the old `filter`
        // parameter), which listed every image and removed the base and training images too.
        for (var image : client.listImagesCmd().exec()) {
            String[] tags = image.getRepoTags();
            if (tags == null || java.util.Arrays.stream(tags).noneMatch(t -> t.startsWith(prefix))) {
                continue;
            }
            try {
                client.removeImageCmd(image.getId()).withForce(true).exec();
            } catch (RuntimeException inUse) {
                System.out.println("[it] could not remove " + image.getId() + ": " + inUse.getMessage());
            }
        }
    }


    /** Keeps every line, and echoes it so failures can be read in the failsafe report. */
    public static class Recording implements ChainListener {
        public final List<String> lines = new CopyOnWriteArrayList<>();
        public final List<com.fasterxml.jackson.databind.JsonNode> epochs = new CopyOnWriteArrayList<>();
        final List<Long> lineNanos = new CopyOnWriteArrayList<>();
        private final String prefix;

        public Recording(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public void log(String step, String line) {
            lineNanos.add(System.nanoTime());
            lines.add(line);
            System.out.println("[" + prefix + "/" + step + "] " + line);
        }

        @Override
        public void epoch(String step, com.fasterxml.jackson.databind.JsonNode metrics) {
            epochs.add(metrics);
            System.out.println("[" + prefix + "/" + step + "] epoch " + metrics);
        }
    }
}

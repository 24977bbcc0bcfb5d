package io.trainchain.engine.docker;

import io.trainchain.engine.ChainListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Shared connection for the ITs. Connecting throws when no engine answers, so the ITs fail (never skip) without
 * Docker.
 */
final class TestDocker {
    private static DockerConnection connection;

    private TestDocker() {
    }

    static synchronized DockerConnection connection() {
        if (connection == null) {
            connection = DockerConnector.fromEnvironment().connect();
            System.out.println("[it] " + connection.describe());
        }
        return connection;
    }

    /** The JRE base image, built on first use (needs root + debootstrap, like the real command). */
    static synchronized String jreBase() {
        return new BaseImage(connection())
                .ensure(BaseImage.Request.of(BaseImage.Flavor.JRE17, new Recording("base"))).image();
    }

    /**
     * Removes the images of a test-only recipe (trainchain/train-RECIPE:*): each IT run builds fresh tags (nonces
     * in its context), which would otherwise pile up on the machine from run to run.
     */
    static void removeImages(String recipe) {
        var client = connection().client();
        for (var image : client.listImagesCmd().withImageNameFilter("trainchain/train-" + recipe).exec()) {
            try {
                client.removeImageCmd(image.getId()).withForce(true).exec();
            } catch (RuntimeException inUse) {
                System.out.println("[it] could not remove " + image.getId() + ": " + inUse.getMessage());
            }
        }
    }

    /** Keeps every line, and echoes it so failures can be read in the failsafe report. */
    static final class Recording implements ChainListener {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<com.fasterxml.jackson.databind.JsonNode> epochs = new CopyOnWriteArrayList<>();
        final List<Long> lineNanos = new CopyOnWriteArrayList<>();
        private final String prefix;

        Recording(String prefix) {
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

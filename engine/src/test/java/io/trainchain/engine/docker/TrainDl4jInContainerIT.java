package io.trainchain.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real chain: dockerfiles/dl4j built with the real trainer dist, then one short epoch on Fashion-MNIST in the
 * locked-down container. Needs {@code mvn -B -pl trainer -am package -DskipTests} first (it fails, not skips,
 * when the dist or the data is missing).
 */
class TrainDl4jInContainerIT {
    private static final Path DIST = Path.of("..", "trainer", "target", "dist").toAbsolutePath().normalize();
    private static final Path RECIPE = Path.of("..", "dockerfiles", "dl4j").toAbsolutePath().normalize();
    private static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist");

    @Test
    void trainsOneEpochInTheContainerAndWritesTheResults(@TempDir Path tmp) throws Exception {
        assertTrue(Files.isRegularFile(DIST.resolve("trainchain-trainer.jar")),
                DIST + " missing: run mvn -B -pl trainer -am package -DskipTests");
        assertTrue(Files.isRegularFile(DATA.resolve("train-images-idx3-ubyte.gz")), DATA + " missing");
        var docker = TestDocker.connection().client();
        Path code = Files.createDirectories(tmp.resolve("code"));
        Files.writeString(code.resolve("README.txt"), "user code placeholder\n");

        var build = new BuildTrainingImage(docker).run(new BuildTrainingImage.Request(RECIPE, DIST, code,
                TestDocker.jreBase(), new TestDocker.Recording("dl4j-build")));
        System.out.printf("[it] dl4j image %s cached=%s in %.2f s%n", build.tag(), build.cached(), build.seconds());
        var again = new BuildTrainingImage(docker).run(new BuildTrainingImage.Request(RECIPE, DIST, code,
                TestDocker.jreBase(), null));
        System.out.printf("[it] dl4j image rebuild with nothing changed: cached=%s in %.3f s%n", again.cached(),
                again.seconds());
        assertTrue(again.cached());

        Path params = Files.writeString(tmp.resolve("params.json"), "{\"epochs\": 1}");
        Path out = tmp.resolve("out");
        var listener = new TestDocker.Recording("dl4j");
        var result = new TrainInContainer(docker).run(new TrainInContainer.Request(build.tag(), DATA, out, params,
                new TrainInContainer.Limits(2L << 30, 2, 512, 256L << 20), List.of("--limit", "3000"), Map.of(),
                false, Duration.ofMinutes(8), listener));
        System.out.printf("[it] dl4j training: %s in %.1f s, first log line %.3f s after start%n",
                result.outcome(), result.seconds(), result.firstLogSeconds());

        assertEquals(TrainInContainer.Outcome.SUCCEEDED, result.outcome(), result.message());
        assertEquals(1, result.epochs().size(), "one epoch streamed from metrics.jsonl");
        assertTrue(Files.isRegularFile(out.resolve("metrics.jsonl")));
        assertTrue(Files.isRegularFile(out.resolve("model.zip")));
        JsonNode eval = new ObjectMapper().readTree(out.resolve("evaluation.json").toFile());
        double accuracy = eval.get("accuracy").asDouble();
        System.out.printf("[it] dl4j test accuracy %.4f%n", accuracy);
        assertTrue(accuracy > 0.6, "accuracy " + accuracy);
        // Natives came from the image: no run-time extraction attempts in a read-only container.
        assertFalse(listener.lines.stream().anyMatch(l -> l.contains("failed to map segment")),
                "JavaCPP tried to extract natives at run time");
    }
}

package io.trainchain.engine.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainchain.engine.ChainListener;
import io.trainchain.engine.detect.Framework;
import io.trainchain.engine.docker.DockerConnector;
import io.trainchain.engine.gate.Direction;
import io.trainchain.engine.gate.GateStatus;
import io.trainchain.engine.store.RunRecord;
import io.trainchain.engine.store.RunStatus;
import io.trainchain.engine.store.RunStore;
import io.trainchain.engine.store.StepTiming;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole chain on examples/fashion-cnn with real Docker, the real trainer and the real Fashion-MNIST (3000
 * images, 1 epoch): once with a gate it passes, once with one it cannot reach. Fails (never skips) without Docker,
 * the trainer dist ({@code mvn -B install -DskipTests} first) or the data.
 */
class ChainRunnerIT {
    private static final Path DIST = Path.of("..", "trainer", "target", "dist").toAbsolutePath().normalize();
    private static final Path DOCKERFILES = Path.of("..", "dockerfiles").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    /** Prints everything (readable in the failsafe report) and keeps epochs and step events. */
    static final class Recorder implements ChainListener {
        final List<JsonNode> epochs = new CopyOnWriteArrayList<>();
        final List<String> steps = new CopyOnWriteArrayList<>();

        @Override
        public void log(String step, String line) {
            System.out.println("[" + step + "] " + line);
        }

        @Override
        public void epoch(String step, JsonNode metrics) {
            epochs.add(metrics);
            System.out.println("[" + step + "] epoch " + metrics);
        }

        @Override
        public void stepStarted(String step) {
            steps.add("start " + step);
        }

        @Override
        public void stepFinished(String step, boolean success, String summary) {
            steps.add("end " + step + " " + success);
            System.out.println("[" + step + "] finished " + success + ": " + summary);
        }
    }

    @Test
    void passesAtALowGateThenReportsBelowThresholdFromTheCachedImage() throws Exception {
        assertTrue(Files.isRegularFile(DIST.resolve("trainchain-trainer.jar")),
                DIST + " missing: run mvn -B install -DskipTests first");
        ChainRunner runner = new ChainRunner(() -> DockerConnector.fromEnvironment().connect());
        ChainRequest base = ChainRequest.of(ExampleRepositoryTest.EXAMPLE, DIST, DOCKERFILES)
                .withImages(3000, 1).withOutput(null, tmp);
        List<String> order = List.of(ChainRunner.DETECT, ChainRunner.BASE, ChainRunner.BUILD, ChainRunner.TRAIN,
                ChainRunner.GATE);

        try (RunStore store = RunStore.open(tmp.resolve("runs.db"))) {
            Recorder first = new Recorder();
            ChainResult pass = runner.run(base.withGate(new GateOverride(null, 0.5, null)), store, first);

            assertEquals(Framework.DL4J, pass.detection().framework());
            assertTrue(pass.detection().evidence().size() >= 2, pass.detection().evidence().toString());
            assertEquals(RunStatus.PASSED, pass.status(), pass.gate().message());
            assertEquals(GateStatus.PASSED, pass.gate().status());
            assertEquals(0.5, pass.gate().threshold());
            assertEquals(1, pass.train().epochs().size());
            assertEquals(1, first.epochs.size(), "the epoch streamed to the listener");
            assertEquals(1, first.epochs.get(0).get("epochs_total").asInt());
            assertTrue(first.epochs.get(0).get("val_accuracy").asDouble() > 0.5, first.epochs.toString());
            assertTrue(Files.isRegularFile(pass.model()), pass.model() + " missing");
            assertEquals(tmp.resolve("runs").resolve(pass.runId()), pass.outputDir());
            JsonNode mergedParams = new ObjectMapper().readTree(pass.outputDir().resolve("params.json").toFile());
            assertEquals(1, mergedParams.get("epochs").asInt(), "--epochs 1 overrides params.json's 2");
            assertEquals(64, mergedParams.get("batch_size").asInt(), "the rest of params.json is kept");
            assertEquals(order, pass.steps().stream().map(StepTiming::step).toList());
            for (String s : order) {
                assertTrue(first.steps.contains("start " + s) && first.steps.contains("end " + s + " true"),
                        first.steps.toString());
            }
            double accuracy = pass.metrics().get("accuracy");
            System.out.printf("[it] run 1: %s, accuracy %.4f, image %s cached=%s%n", pass.status(), accuracy,
                    pass.image().tag(), pass.image().cached());

            Recorder second = new Recorder();
            ChainResult below = runner.run(base.withGate(new GateOverride("accuracy", 0.99, Direction.AT_LEAST)),
                    store, second);
            assertEquals(RunStatus.BELOW_THRESHOLD, below.status(), below.gate().message());
            assertEquals(GateStatus.BELOW_THRESHOLD, below.gate().status());
            assertTrue(below.image().cached(), "the second run reuses the image");
            assertEquals(pass.image().tag(), below.image().tag());
            assertEquals(accuracy, below.metrics().get("accuracy"), 1e-9, "same seed, same data: same model");

            // The first run passed: its model is fashion-cnn v1, champion; the second, below the gate, registers
            // nothing and its report shows the champion beside it.
            assertEquals("fashion-cnn v1", pass.registration().model().label());
            assertEquals(io.trainchain.engine.store.PromotionRecord.Action.PROMOTED,
                    pass.registration().decision().action());
            assertTrue(Files.isRegularFile(Path.of(pass.registration().model().path())));
            assertTrue(pass.registration().model().testSet().endsWith(";test_images:3000"),
                    pass.registration().model().testSet());
            assertNull(below.registration().model());
            assertEquals("not registered: below the gate", below.registration().problem());
            String belowReport = Files.readString(below.outputDir().resolve("report.html"));
            assertTrue(belowReport.contains("This run against the champion " + pass.runId()), "champion section");
            assertTrue(Files.readString(pass.outputDir().resolve("report.html")).contains(pass.runId()));

            List<RunRecord> runs = store.listRuns(10);
            assertEquals(List.of(below.runId(), pass.runId()), runs.stream().map(RunRecord::id).toList());
            for (RunRecord r : runs) {
                assertEquals("dl4j", r.framework());
                assertEquals(1, r.epochs().size(), r.id());
                assertEquals(order, r.steps().stream().map(StepTiming::step).toList());
                assertTrue(r.dataset().json().contains("sha256"), "dataset identity from evaluation.json: "
                        + r.dataset().json());
                assertEquals("fashion-mnist", r.dataset().name());
                assertTrue(r.artifacts().stream().anyMatch(a -> a.endsWith("model.zip")), r.artifacts().toString());
                assertEquals(pass.image().imageId(), r.imageId());
                assertFalse(r.paramsJson().isBlank());
            }
            assertEquals(RunStatus.PASSED, runs.get(1).status());
            assertEquals(RunStatus.BELOW_THRESHOLD, runs.get(0).status());
            assertEquals(0.99, runs.get(0).gate().threshold());
            assertEquals(accuracy, runs.get(0).metrics().get("accuracy"), 1e-9);

            // A third run on another test set (2000 images): the champion, measured on 3000, is evaluated again on
            // this run's 2000 by the trainer's --evaluate in the same image, and the two compare there.
            ChainResult other = runner.run(base.withImages(2000, 1).withGate(new GateOverride(null, 0.5, null)),
                    store, new Recorder());
            assertEquals(RunStatus.PASSED, other.status(), other.gate().message());
            var decision = other.registration().decision();
            Path remeasured = other.outputDir().resolve("champion-v1/evaluation.json");
            JsonNode eval = new ObjectMapper().readTree(remeasured.toFile());
            assertEquals(2000, eval.get("test_images").asInt(), "on the challenger's test set");
            assertEquals(eval.get("accuracy").asDouble(), decision.previousValue(), 1e-12,
                    "the champion's figure there is the one recorded");
            assertEquals(other.metrics().get("accuracy"), decision.value(), 1e-12);
            assertTrue(decision.action() == io.trainchain.engine.store.PromotionRecord.Action.PROMOTED
                    || decision.action() == io.trainchain.engine.store.PromotionRecord.Action.KEPT, decision.toString());
            assertTrue(decision.reason().contains("(fashion-cnn v1 re-evaluated on it; "
                    + String.format(java.util.Locale.ROOT, "%.4f", accuracy) + " on its own)"), decision.reason());
        }
    }
}

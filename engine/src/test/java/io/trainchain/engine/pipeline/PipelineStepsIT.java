package io.trainchain.engine.pipeline;

import com.github.dockerjava.api.model.Container;
import io.trainchain.engine.ChainListener;
import io.trainchain.engine.docker.DockerConnection;
import io.trainchain.engine.docker.DockerConnector;
import io.trainchain.engine.docker.TrainInContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Jenkins steps' engine path with real Docker, the real trainer and Fashion-MNIST, as the plugin drives it: the
 * repository root as the workspace, examples/fashion-cnn trained small (1 epoch, 1000 images), its gate, a two-trial
 * search whose owner's mail is handed back for Jenkins to send, and an interrupt (an aborted build) that must leave as
 * a CancellationException with no container behind. Fails (never skips) without Docker, the trainer dist
 * ({@code mvn -B -pl trainer package -DskipTests}) or the data.
 */
class PipelineStepsIT {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final String EXAMPLE = "examples/fashion-cnn";

    @TempDir
    Path tmp;

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final ChainListener listener = (step, line) -> {
        lines.add(step + ": " + line);
        System.out.println("[" + step + "] " + line);
    };

    private PipelineSteps steps() {
        assertTrue(Files.isRegularFile(ROOT.resolve("trainer/target/dist/trainchain-trainer.jar")),
                "build the trainer first: mvn -B -pl trainer package -DskipTests");
        return new PipelineSteps(new EngineSetup(null, tmp.resolve("runs.db").toString(), null), ROOT, listener);
    }

    @Test
    void imageTrainingGateAndSearchStepByStep() {
        PipelineSteps steps = steps();
        StepResult.Image image = (StepResult.Image) steps.run(new StepRequest.Image(EXAMPLE, null));
        assertEquals("dl4j", image.framework());
        assertFalse(image.tag().isBlank());

        Path out = tmp.resolve("run");
        StepResult.Trained t = (StepResult.Trained) steps.run(new StepRequest.Train(EXAMPLE, null, null, 1, 1000,
                null, null, null, 30, false, new StepRequest.Gate(null, null, 0.3, null), out.toString(), null));
        assertEquals("PASSED", t.status(), t.gate().message());
        assertEquals(image.tag(), t.image(), "the training reuses the image built by the step before");
        assertTrue(t.metrics().get("accuracy") > 0.3, t.metrics().toString());
        assertTrue(Files.isRegularFile(Path.of(t.artifacts().get("evaluation"))), t.artifacts().toString());
        assertTrue(Files.isRegularFile(Path.of(t.artifacts().get("model"))), t.artifacts().toString());
        assertEquals(1, t.attempts().size());
        assertNotNull(t.reportHtml(), "the run's HTML report comes back for the build page");
        assertTrue(t.reportHtml().contains("<html"));

        StepResult.Gate gate = (StepResult.Gate) steps.run(
                new StepRequest.Gate(t.artifacts().get("outputDir"), null, 0.99, null));
        assertEquals("BELOW_THRESHOLD", gate.status());
        assertEquals(t.metrics().get("accuracy"), gate.value());

        StepResult.Tuned s = (StepResult.Tuned) steps.run(new StepRequest.Tune(EXAMPLE, null, 500, t.runId(), "grid",
                List.of("learning_rate=choice:0.002,0.004"), 2, null, null, 1, null, List.of("owner@example.org"),
                new StepRequest.Gate(null, null, 0.99, null), StepRequest.Mail.deferredToCaller(), null,
                List.of("team@example.org")));
        assertEquals(2, s.trials().size());
        assertFalse(s.passed(), "0.99 cannot be reached in one epoch on 500 images");
        assertTrue(s.bestParams().containsKey("learning_rate"), s.bestParams().toString());
        assertNotNull(s.outgoing(), "Jenkins' Mailer sends it: composed and handed back");
        assertEquals(List.of("owner@example.org"), s.outgoing().to(), "the step's owners over the configured one");
        assertTrue(s.outgoing().subject().startsWith("[trainchain] fashion-cnn: search "), s.outgoing().subject());
        assertNotNull(s.reportHtml());
    }

    @Test
    void anInterruptedTrainingLeavesAsCancellationWithItsContainerRemoved() throws Exception {
        PipelineSteps steps = steps();
        Path out = tmp.resolve("aborted");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                steps.run(new StepRequest.Train(EXAMPLE, null, null, 30, 3000, null, null, null, 30, false, null,
                        out.toString(), null));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (lines.stream().noneMatch(l -> l.startsWith("train: epoch")) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("train: epoch")), "never trained an epoch: " + lines);
        t.interrupt();
        t.join(Duration.ofMinutes(2).toMillis());
        assertFalse(t.isAlive(), "the step did not return after the interrupt");
        assertInstanceOf(CancellationException.class, thrown.get(), String.valueOf(thrown.get()));
        assertTrue(thrown.get().getMessage().startsWith("trainInContainer interrupted; run "),
                thrown.get().getMessage());
        try (DockerConnection docker = DockerConnector.fromEnvironment().connect()) {
            List<Container> left = docker.client().listContainersCmd().withShowAll(true)
                    .withLabelFilter(List.of(TrainInContainer.OUT_LABEL)).exec().stream()
                    .filter(c -> c.getLabels().get(TrainInContainer.OUT_LABEL).startsWith(out.toString())).toList();
            assertTrue(left.isEmpty(), "containers left behind: " + left);
        }
    }
}

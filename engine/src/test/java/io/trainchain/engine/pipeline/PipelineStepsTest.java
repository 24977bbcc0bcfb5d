package io.trainchain.engine.pipeline;

import io.trainchain.engine.ChainListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The facade's steps that need no Docker (detectFramework, checkAccuracy) on real folders, and its failures as the
 * Jenkins adapter receives them. The Docker steps run the engine's own entry points, covered by the engine's ITs.
 */
class PipelineStepsTest {
    /** The repository root as a workspace: examples/ and dockerfiles/ are under it, as in the Jenkinsfile. */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final ChainListener listener = (step, line) -> lines.add(step + ": " + line);

    private PipelineSteps steps(Path workspace) {
        return new PipelineSteps(new EngineSetup(null, null, null), workspace, listener);
    }

    @Test
    void detectFindsDl4jInTheExampleWithItsRecipeAndLogsTheEvidence() {
        StepResult.Detected d = (StepResult.Detected) steps(ROOT).run(new StepRequest.Detect("examples/fashion-cnn"));
        assertEquals("dl4j", d.framework());
        assertTrue(d.overridden(), "the example's trainchain.yaml names dl4j");
        assertTrue(d.recipeFound(), d.recipeMessage());
        assertEquals(ROOT.resolve("dockerfiles/dl4j/Dockerfile").toString(), d.recipe());
        assertFalse(d.evidence().isEmpty());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("detectFramework: Deeplearning4j at ")), lines::toString);
    }

    @Test
    void detectWithoutARecipeSaysSoInsteadOfFailing(@TempDir Path ws) throws Exception {
        Files.writeString(ws.resolve("train.py"), "import torch\n");
        StepResult.Detected d = (StepResult.Detected) steps(ws).run(new StepRequest.Detect("."));
        assertEquals("pytorch", d.framework());
        assertFalse(d.recipeFound());
        assertTrue(d.recipeMessage().contains("no " + ws.resolve("dockerfiles/pytorch/Dockerfile")), d.recipeMessage());
    }

    @Test
    void aMissingRepositoryIsBadInputNamingTheFolder(@TempDir Path ws) {
        StepFailedException e = assertThrows(StepFailedException.class,
                () -> steps(ws).run(new StepRequest.Detect("nope")));
        assertEquals("BAD_INPUT", e.kind());
        assertEquals("detectFramework", e.step());
        assertTrue(e.getMessage().contains(ws.resolve("nope").toString()), e.getMessage());
        assertTrue(e.describe().startsWith("detectFramework failed (BAD_INPUT): "), e.describe());
    }

    @Test
    void noFrameworkIsBadInputWithWhatWasScanned(@TempDir Path ws) throws Exception {
        Files.writeString(ws.resolve("README.md"), "nothing here\n");
        StepFailedException e = assertThrows(StepFailedException.class,
                () -> steps(ws).run(new StepRequest.Detect(null)));
        assertTrue(e.getMessage().startsWith("no ML framework found"), e.getMessage());
    }

    @Test
    void theGateReadsEvaluationJsonFromAFileAFolderOrARunFolder(@TempDir Path ws) throws Exception {
        Path train = Files.createDirectories(ws.resolve("runs/7/train"));
        Files.writeString(train.resolve("evaluation.json"), "{\"accuracy\": 0.83, \"test_loss\": 0.41}");
        for (String where : List.of("runs/7/train/evaluation.json", "runs/7/train", "runs/7")) {
            StepResult.Gate g = (StepResult.Gate) steps(ws).run(new StepRequest.Gate(where, null, null, null));
            assertEquals("PASSED", g.status(), where);
            assertTrue(g.passed());
            assertEquals(0.83, g.value());
            assertEquals(0.80, g.threshold());
            assertEquals("accuracy", g.metric());
        }
        StepResult.Gate below = (StepResult.Gate) steps(ws).run(new StepRequest.Gate("runs/7", null, 0.9, null));
        assertEquals("BELOW_THRESHOLD", below.status());
        assertFalse(below.passed());
        StepResult.Gate loss = (StepResult.Gate) steps(ws).run(
                new StepRequest.Gate("runs/7", "test_loss", 0.5, "at_most"));
        assertTrue(loss.passed(), loss.message());
        assertEquals("AT_MOST", loss.direction());
    }

    @Test
    void aMissingEvaluationIsNoMetricNotAnError(@TempDir Path ws) {
        StepResult.Gate g = (StepResult.Gate) steps(ws).run(new StepRequest.Gate("nowhere", null, null, null));
        assertEquals("NO_METRIC", g.status());
        assertNull(g.value());
        assertFalse(g.passed());
    }

    @Test
    void aBadDirectionIsBadInput(@TempDir Path ws) {
        StepFailedException e = assertThrows(StepFailedException.class,
                () -> steps(ws).run(new StepRequest.Gate(".", null, null, "sideways")));
        assertEquals("BAD_INPUT", e.kind());
    }

    @Test
    void watchRestartsOutOfRangeAreBadInputWithTheClisMessageBeforeDockerIsReached(@TempDir Path ws) {
        for (int restarts : new int[] {-1, 101}) {
            StepFailedException e = assertThrows(StepFailedException.class,
                    () -> steps(ws).run(new StepRequest.Watch("trainer-1", null, restarts, 10)));
            assertEquals("BAD_INPUT", e.kind(), e.describe());
            assertEquals("watchContainer", e.step());
            assertEquals("watch settings (from watchContainer): restarts is " + restarts
                    + "; use 0 (no restart) to 100", e.getMessage());
        }
    }

    @Test
    void aFailureWhileInterruptedIsAnAbortAndKeepsTheFlag(@TempDir Path ws) throws Exception {
        // An interrupted image build leaves as a DockerStepException with the flag set; any failure seen with the
        // flag set is the same case to the caller. Here: an image step that fails (no pytorch recipe; the Docker
        // address answers nothing should it get that far), and a detect step that fails.
        PipelineSteps unreachable = new PipelineSteps(new EngineSetup("tcp://127.0.0.1:9", null, null), ws, listener);
        Files.writeString(ws.resolve("train.py"), "import torch\n");
        Thread.currentThread().interrupt();
        try {
            CancellationException e = assertThrows(CancellationException.class,
                    () -> unreachable.run(new StepRequest.Image(".", null)));
            assertEquals("buildTrainingImage interrupted", e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt flag was cleared");
            assertThrows(CancellationException.class, () -> steps(ws).run(new StepRequest.Detect("nope")));
        } finally {
            Thread.interrupted();
        }
        StepFailedException notInterrupted = assertThrows(StepFailedException.class,
                () -> steps(ws).run(new StepRequest.Detect("nope")));
        assertEquals("BAD_INPUT", notInterrupted.kind());
    }

    @Test
    void requestsResultsAndFailuresSurviveJavaSerialization() throws Exception {
        // The Jenkins adapter sends requests to the agent and brings results and failures back.
        StepRequest.Tune tune = new StepRequest.Tune(".", null, 100, "run-1", "random",
                List.of("learning_rate=choice:0.001,0.004"), 4, null, null, 2, null,
                List.of("owner@example.org"), null, StepRequest.Mail.engine(
                new SmtpSettings("smtp.example.org", 587, "starttls", "bot", "s3cret", null)), null,
                List.of("team@example.org"));
        assertEquals(tune, roundTrip(tune));
        StepResult.Gate gate = new StepResult.Gate("PASSED", "accuracy", 0.9, 0.8, "AT_LEAST", true, "ok");
        assertEquals(gate, roundTrip(gate));
        StepFailedException e = roundTrip(new StepFailedException("INFRASTRUCTURE", "trainInContainer", "gone", "r1"));
        assertEquals("r1", e.runId());
        assertEquals("gone", e.getMessage());
    }

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(T value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}

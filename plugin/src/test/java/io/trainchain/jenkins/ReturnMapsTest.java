package io.trainchain.jenkins;

import io.trainchain.engine.pipeline.StepResult;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What each step returns to a Pipeline script: the keys the README documents, plain serializable values. */
class ReturnMapsTest {

    static StepResult.Tuned tuned(boolean passed) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("learning_rate", 0.004);
        params.put("batch_size", 64);
        List<StepResult.TrialRow> trials = List.of(
                new StepResult.TrialRow(2, params, "COMPLETED", passed ? 0.87 : 0.78, 3, passed, "run-2", "/m.zip"),
                new StepResult.TrialRow(1, Map.of("learning_rate", 0.001), "STOPPED", null, 1, false, "run-1", null));
        return new StepResult.Tuned("s1", passed ? "PASSED" : "BELOW_THRESHOLD", passed, "budget spent", "accuracy",
                passed ? 0.87 : 0.78, params, "/m.zip", "run-2", trials, 4, "e-mail sent to a@example.org", null,
                passed ? "fashion-cnn v3, champion PROMOTED: better" : null, "<html></html>");
    }

    @Test
    void detectFrameworkReturnsFrameworkConfidenceRecipeAndEvidence() {
        Map<String, Object> m = ReturnMaps.of(new StepResult.Detected("dl4j", "Deeplearning4j", 0.9, false,
                "/ws/dockerfiles/dl4j/Dockerfile", true, "recipe ok", List.of("pom.xml:12: deeplearning4j-core"),
                List.of()));
        assertEquals("dl4j", m.get("framework"));
        assertEquals(0.9, m.get("confidence"));
        assertEquals("/ws/dockerfiles/dl4j/Dockerfile", m.get("imageRecipe"));
        assertEquals(List.of("pom.xml:12: deeplearning4j-core"), m.get("evidence"));
        assertSerializable(m);
    }

    @Test
    void buildTrainingImageReturnsTheTagAndWhetherItWasCached() {
        Map<String, Object> m = ReturnMaps.of(new StepResult.Image("trainchain/fashion:abc", "sha256:1", true, 0.3,
                "trainchain/base-jre17:bookworm", "dl4j"));
        assertEquals("trainchain/fashion:abc", m.get("image"));
        assertEquals(true, m.get("cached"));
        assertSerializable(m);
    }

    @Test
    void checkAccuracyReturnsWhatAScriptBranchesOn() {
        Map<String, Object> m = ReturnMaps.of(OutcomeTest.BELOW);
        assertEquals(List.of("status", "metric", "value", "threshold", "direction", "passed", "message"),
                List.copyOf(m.keySet()));
        assertEquals("BELOW_THRESHOLD", m.get("status"));
        assertEquals(0.7, m.get("value"));
        assertEquals(0.8, m.get("threshold"));
        assertEquals(false, m.get("passed"));
        assertSerializable(m);
    }

    @Test
    void trainInContainerReturnsMetricsArtifactsTheGateAndTheAttempts() {
        Map<String, String> artifacts = new LinkedHashMap<>();
        artifacts.put("outputDir", "/runs/7");
        artifacts.put("evaluation", "/runs/7/train/evaluation.json");
        artifacts.put("model", "/runs/7/train/model.zip");
        StepResult.Trained t = new StepResult.Trained("7", "PASSED", "img:1", Map.of("accuracy", 0.86), artifacts,
                OutcomeTest.PASSED, List.of(new StepResult.AttemptRow(1, "KILLED", 137, false, "tc-1", 12.0, "killed"),
                new StepResult.AttemptRow(2, "COMPLETED", 0, false, "tc-1-r1", 30.0, "completed")), "v1 PROMOTED",
                "<html>report</html>");
        Map<String, Object> m = ReturnMaps.of(t);
        assertEquals("7", m.get("runId"));
        assertEquals(Map.of("accuracy", 0.86), m.get("metrics"));
        assertEquals("/runs/7/train/model.zip", m.get("model"));
        assertEquals("/runs/7/train/evaluation.json", m.get("evaluation"));
        assertEquals(true, m.get("passed"));
        assertEquals(1, m.get("restarts"));
        assertEquals(2, ((List<?>) m.get("attempts")).size());
        assertEquals("PASSED", ((Map<?, ?>) m.get("gate")).get("status"));
        assertFalse(m.containsKey("reportHtml"), "the report goes to the build page, not into the script");
        assertSerializable(m);
    }

    @Test
    void tuneHyperparametersReturnsTheBestParamsMetricAndModel() {
        Map<String, Object> m = ReturnMaps.of(tuned(true));
        assertEquals(Map.of("learning_rate", 0.004, "batch_size", 64), m.get("params"));
        assertEquals(0.87, m.get("value"));
        assertEquals("accuracy", m.get("metric"));
        assertEquals("/m.zip", m.get("model"));
        assertEquals(true, m.get("passed"));
        assertEquals(2, m.get("trials"));
        assertSerializable(m);
    }

    @Test
    void watchContainerReturnsTheAttempts() {
        Map<String, Object> m = ReturnMaps.of(new StepResult.Watched("trainer", true, "/out",
                List.of(new StepResult.AttemptRow(1, "COMPLETED", 0, false, "trainer", 5.0, "completed"))));
        assertEquals(true, m.get("completed"));
        assertEquals(0, m.get("restarts"));
        Map<?, ?> first = (Map<?, ?>) ((List<?>) m.get("attempts")).get(0);
        assertEquals("COMPLETED", first.get("cause"));
        assertEquals(0, first.get("exitCode"));
        assertSerializable(m);
    }

    /** A CPS script may keep the map across a Jenkins restart: it must serialize. */
    static void assertSerializable(Map<String, Object> m) {
        try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
            out.writeObject(m);
        } catch (java.io.IOException e) {
            throw new AssertionError("not serializable: " + m, e);
        }
        assertTrue(m instanceof LinkedHashMap, "ordered keys, as the README lists them");
    }
}

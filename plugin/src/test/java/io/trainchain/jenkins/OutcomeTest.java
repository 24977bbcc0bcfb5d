package io.trainchain.jenkins;

import io.trainchain.engine.pipeline.StepResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gate's verdict as the build result: UNSTABLE by default, FAILURE when configured, never an exception. */
class OutcomeTest {
    static final StepResult.Gate PASSED = new StepResult.Gate("PASSED", "accuracy", 0.85, 0.8, "AT_LEAST", true, "ok");
    static final StepResult.Gate BELOW = new StepResult.Gate("BELOW_THRESHOLD", "accuracy", 0.7, 0.8, "AT_LEAST",
            false, "below");
    static final StepResult.Gate NO_METRIC = new StepResult.Gate("NO_METRIC", "accuracy", null, 0.8, "AT_LEAST",
            false, "no evaluation");

    @Test
    void aPassedGateIsSuccessWhateverIsConfigured() {
        assertEquals(Outcome.SUCCESS, Outcome.of(PASSED, "FAILURE", "FAILURE"));
    }

    @Test
    void belowTheGateIsUnstableByDefault() {
        assertEquals(Outcome.UNSTABLE, Outcome.of(BELOW, null, null));
        assertEquals(Outcome.UNSTABLE, Outcome.of(NO_METRIC, " ", ""));
    }

    @Test
    void theConfigurationMakesItAFailureAndTheStepWins() {
        assertEquals(Outcome.FAILURE, Outcome.of(BELOW, null, "FAILURE"));
        assertEquals(Outcome.UNSTABLE, Outcome.of(BELOW, "unstable", "FAILURE"));
        assertEquals(Outcome.SUCCESS, Outcome.of(BELOW, "success", "FAILURE"), "the script decides from the map");
    }

    @Test
    void trainingAndSearchUseTheirGate() {
        StepResult.Trained below = new StepResult.Trained("r1", "BELOW_THRESHOLD", "img", Map.of(), Map.of(), BELOW,
                List.of(), null, null);
        assertEquals(Outcome.UNSTABLE, Outcome.of(below, null, null));
        StepResult.Tuned passed = ReturnMapsTest.tuned(true);
        assertEquals(Outcome.SUCCESS, Outcome.of(passed, null, "FAILURE"));
        assertEquals(Outcome.FAILURE, Outcome.of(ReturnMapsTest.tuned(false), null, "FAILURE"));
    }

    @Test
    void stepsWithoutAGateNeverChangeTheResult() {
        StepResult.Image image = new StepResult.Image("t", "sha", true, 0.1, "base", "dl4j");
        assertEquals(Outcome.SUCCESS, Outcome.of(image, "FAILURE", "FAILURE"));
    }

    @Test
    void anUnknownChoiceSaysWhatIsAccepted() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Outcome.of(BELOW, "red", null));
        assertTrue(e.getMessage().contains("'red'") && e.getMessage().contains("UNSTABLE"), e.getMessage());
    }
}

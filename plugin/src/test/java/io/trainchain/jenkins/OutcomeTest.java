package io.trainchain.jenkins;

import io.trainchain.engine.pipeline.StepRequest;
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

    static final StepRequest.Gate GATE_STEP = new StepRequest.Gate(".", null, null, null);

    /** The step's outcome as StepRunner takes it: the choice resolved before the run, applied to its result. */
    private static Outcome of(StepResult result, String belowGate, String configured) {
        return Outcome.of(result, Outcome.belowGate(GATE_STEP, belowGate, configured));
    }

    @Test
    void aPassedGateIsSuccessWhateverIsConfigured() {
        assertEquals(Outcome.SUCCESS, of(PASSED, "FAILURE", "FAILURE"));
    }

    @Test
    void belowTheGateIsUnstableByDefault() {
        assertEquals(Outcome.UNSTABLE, of(BELOW, null, null));
        assertEquals(Outcome.UNSTABLE, of(NO_METRIC, " ", ""));
    }

    @Test
    void theConfigurationMakesItAFailureAndTheStepWins() {
        assertEquals(Outcome.FAILURE, of(BELOW, null, "FAILURE"));
        assertEquals(Outcome.UNSTABLE, of(BELOW, "unstable", "FAILURE"));
        assertEquals(Outcome.SUCCESS, of(BELOW, "success", "FAILURE"), "the script decides from the map");
    }

    @Test
    void trainingAndSearchUseTheirGate() {
        StepResult.Trained below = new StepResult.Trained("r1", "BELOW_THRESHOLD", "img", Map.of(), Map.of(), BELOW,
                List.of(), null, null);
        assertEquals(Outcome.UNSTABLE, of(below, null, null));
        StepResult.Tuned passed = ReturnMapsTest.tuned(true);
        assertEquals(Outcome.SUCCESS, of(passed, null, "FAILURE"));
        assertEquals(Outcome.FAILURE, of(ReturnMapsTest.tuned(false), null, "FAILURE"));
    }

    @Test
    void stepsWithoutAGateNeverChangeTheResult() {
        StepResult.Image image = new StepResult.Image("t", "sha", true, 0.1, "base", "dl4j");
        assertEquals(Outcome.SUCCESS, of(image, "FAILURE", "FAILURE"));
    }

    @Test
    void anUnknownChoiceSaysWhatIsAccepted() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> of(BELOW, "red", null));
        assertTrue(e.getMessage().contains("'red'") && e.getMessage().contains("UNSTABLE"), e.getMessage());
    }

    @Test
    void aTypoFailsBeforeTheStepRunsWhetherTheGateWillPassOrNot() {
        // No result is needed: StepRunner resolves the choice before sending the request to the agent.
        StepRequest.Train train = new StepRequest.Train(".", null, null, null, null, null, null, null, 720, false,
                null, null, null);
        IllegalArgumentException step = assertThrows(IllegalArgumentException.class,
                () -> Outcome.belowGate(train, "FAILRUE", "FAILURE"));
        assertTrue(step.getMessage().startsWith("trainInContainer: belowGate is 'FAILRUE'"), step.getMessage());
        IllegalArgumentException global = assertThrows(IllegalArgumentException.class,
                () -> Outcome.belowGate(train, "FAILURE", "unstabel"));
        assertTrue(global.getMessage().startsWith("the global configuration's build result below the gate")
                && global.getMessage().contains("'unstabel'"), global.getMessage());
        assertEquals(Outcome.FAILURE, Outcome.belowGate(train, null, "failure"));
        assertEquals(Outcome.UNSTABLE, Outcome.belowGate(train, " ", null));
    }

    @Test
    void aStepWithoutAGateIgnoresTheGlobalChoice() {
        assertEquals(Outcome.SUCCESS, Outcome.belowGate(new StepRequest.Detect("."), null, "unstabel"));
    }
}

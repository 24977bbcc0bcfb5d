package io.trainchain.jenkins;

import io.trainchain.engine.pipeline.StepResult;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The build page's summary (best value, hyperparameters, trials, champion) and the build log's lines. */
class RunSummaryTest {

    @Test
    void aSearchShowsTheBestValueItsParamsEveryTrialAndTheChampionDecision() {
        RunSummary s = RunSummary.of(ReturnMapsTest.tuned(true)).orElseThrow();
        assertEquals("search s1", s.getId());
        assertEquals("0.8700", s.getBest());
        assertEquals("learning_rate=0.004, batch_size=64", s.getParams());
        assertEquals("fashion-cnn v3, champion PROMOTED: better", s.getChampion());
        assertEquals(2, s.getTrials().size());
        assertEquals(2, s.getTrials().get(0).getNumber());
        assertEquals("-", s.getTrials().get(1).getValue(), "a stopped trial has no value");
    }

    @Test
    void aTrainingBelowTheGateSaysThereIsNoRegistration() {
        StepResult.Trained t = new StepResult.Trained("7", "BELOW_THRESHOLD", "img", Map.of(), Map.of(),
                OutcomeTest.BELOW, List.of(), null, null);
        RunSummary s = RunSummary.of(t).orElseThrow();
        assertEquals("run 7", s.getId());
        assertEquals("0.7000", s.getBest());
        assertTrue(s.getChampion().startsWith("no registration"), s.getChampion());
        assertTrue(s.getTrials().isEmpty());
    }

    @Test
    void stepsWithoutARunHaveNoSummary() {
        assertTrue(RunSummary.of(OutcomeTest.PASSED).isEmpty());
    }

    @Test
    void engineEventsBecomePrefixedLogLines() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleListener l = new ConsoleListener(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        l.stepStarted("train");
        l.log("train", "epoch 1");
        l.stepFinished("train", false, "exit 137");
        assertEquals("[trainchain] train ...\n[trainchain] train: epoch 1\n[trainchain] train FAILED: exit 137\n",
                bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }
}

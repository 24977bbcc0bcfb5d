package io.trainchain.engine.tune;

import io.trainchain.engine.chain.Project;
import io.trainchain.engine.config.SearchSpace;
import io.trainchain.engine.config.TuneOptions;
import io.trainchain.engine.gate.GateSpec;
import io.trainchain.engine.notify.Mail;
import io.trainchain.engine.store.RunStatus;
import io.trainchain.engine.store.SearchRecord.TrialStatus;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The owner's e-mail: subject, best value and params, verdict, budget, every trial, model path; HTML escaped. */
class OwnerMailTest {

    @Test
    void tellsTheBestTheVerdictTheBudgetAndEveryTrial() {
        TuneSettings s = TuneSettings.resolve(new TuneOptions("asha", SearchSpace.parseOption(
                "learning_rate=choice:0.001,0.004", "--param"), null, 8, null, null, 3, null, null, null, null, null,
                null, null, null), GateSpec.defaults().withThreshold(0.85), 3);
        TrialSummary best = new TrialSummary(2, Map.of("learning_rate", 0.004), TrialStatus.COMPLETED, 0.8712, 3,
                null, true, "run-2", Path.of("/s/trial-002"), Path.of("/s/trial-002/train/model.zip"), "passed");
        TrialSummary stopped = new TrialSummary(1, Map.of("learning_rate", "<b>"), TrialStatus.STOPPED, null, 1, 0,
                false, "run-1", Path.of("/s/trial-001"), null, "stopped at rung 0");
        SearchResult r = new SearchResult("s1", RunStatus.PASSED, "trial 2 passed the gate", s,
                List.of(stopped, best), Optional.of(best), 4, 95, null, Path.of("/s/report.html"),
                null);
        Project project = new Project(Path.of("/repos/fashion"), null, null, null, null);

        Mail m = OwnerMail.compose(r, project, List.of("owner@example.com"));
        assertEquals(List.of("owner@example.com"), m.to());
        assertEquals("[trainchain] fashion: search passed (accuracy 0.8712)", m.subject());
        assertTrue(m.text().contains("Gate: accuracy >= 0.8500: passed"), m.text());
        assertTrue(m.text().contains("Best: trial 2, accuracy 0.8712"), m.text());
        assertTrue(m.text().contains("Hyperparameters: {learning_rate=0.004}"), m.text());
        assertTrue(m.text().contains("Model: /s/trial-002/train/model.zip (run run-2)"), m.text());
        assertTrue(m.text().contains("Budget: 8 trials; spent 2 trials, 4 epochs, 1.6 min"), m.text());
        assertTrue(m.text().contains("Report: /s/report.html"), m.text());
        int at2 = m.text().indexOf("\n2 ");
        int at1 = m.text().indexOf("\n1 ");
        assertTrue(at2 > 0 && at1 > at2, "the best trial first in the table:\n" + m.text());
        assertTrue(m.html().contains("<td>STOPPED</td>") && m.html().contains("{learning_rate=&lt;b&gt;}"), m.html());
    }
}

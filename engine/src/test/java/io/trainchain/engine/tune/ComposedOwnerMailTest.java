package io.trainchain.engine.tune;

import io.trainchain.engine.ChainListener;
import io.trainchain.engine.chain.Project;
import io.trainchain.engine.config.SearchSpace;
import io.trainchain.engine.config.TuneOptions;
import io.trainchain.engine.gate.GateSpec;
import io.trainchain.engine.notify.Mail;
import io.trainchain.engine.pipeline.StepResult;
import io.trainchain.engine.store.RunStatus;
import io.trainchain.engine.store.SearchRecord.TrialStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The deferred owner's mail (sent by Jenkins' Mailer): the very message OwnerMail would send, kept, not sent. */
class ComposedOwnerMailTest {

    private static SearchResult result(List<String> owners) {
        TuneSettings s = TuneSettings.resolve(new TuneOptions("random", SearchSpace.parseOption(
                "learning_rate=choice:0.01,0.02", "--param"), null, 4, null, null, 2, null, null,
                null, null, null, null, null, owners), GateSpec.defaults(), 2);
        TrialSummary best = new TrialSummary(1, Map.of("learning_rate", 0.01), TrialStatus.COMPLETED, 0.82, 2,
                null, true, "run-1", Path.of("/s/trial-001"), Path.of("/s/trial-001/train/model.zip"), "passed");
        return new SearchResult("s9", RunStatus.PASSED, "trial 1 passed the gate", s, List.of(best),
                Optional.of(best), 2, 60, null, null, null);
    }

    @Test
    void keepsTheSameMessageOwnerMailComposesForTheOwners() {
        SearchResult r = result(List.of("owner@example.org"));
        Project project = new Project(Path.of("/repos/fashion"), null, null, null, null);
        List<String> log = new ArrayList<>();
        ComposedOwnerMail mailer = new ComposedOwnerMail();
        String line = mailer.send(r, project, TuneListener.of((step, l) -> log.add(l)));

        Mail expected = OwnerMail.compose(r, project, List.of("owner@example.org"));
        Mail kept = mailer.mail().orElseThrow();
        assertEquals(expected.to(), kept.to());
        assertEquals(expected.subject(), kept.subject());
        assertEquals(expected.text(), kept.text());
        assertEquals(expected.html(), kept.html());
        assertEquals("e-mail to owner@example.org composed; the caller sends it", line);
        assertEquals(List.of(line), log);
    }

    @Test
    void withoutAnOwnerNothingIsComposedAndTheLogSaysWhy(@TempDir Path notAGitRepo) {
        ComposedOwnerMail mailer = new ComposedOwnerMail();
        String line = mailer.send(result(List.of()), new Project(notAGitRepo, null, null, null, null),
                TuneListener.of(ChainListener.NONE));
        assertTrue(line.startsWith("no e-mail: no owner"), line);
        assertTrue(mailer.mail().isEmpty());
    }

    @Test
    void theResultCarriesItAsPlainStrings() {
        SearchResult r = result(List.of("a@example.org"));
        ComposedOwnerMail mailer = new ComposedOwnerMail();
        mailer.send(r, new Project(Path.of("/repos/fashion"), null, null, null, null),
                TuneListener.of(ChainListener.NONE));
        Mail m = mailer.mail().orElseThrow();
        StepResult.OutgoingMail out = new StepResult.OutgoingMail(m.to(), m.subject(), m.text(), m.html());
        assertTrue(out.text().startsWith("Search s9 on /repos/fashion ended: trial 1 passed the gate."), out.text());
        assertEquals(List.of("a@example.org"), out.to());
    }
}

package io.trainchain.engine.tune;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.trainchain.engine.ChainListener;
import io.trainchain.engine.chain.ChainRequest;
import io.trainchain.engine.chain.GateOverride;
import io.trainchain.engine.config.SearchSpace;
import io.trainchain.engine.config.TuneOptions;
import io.trainchain.engine.docker.DockerConnector;
import io.trainchain.engine.notify.MailSettings;
import io.trainchain.engine.notify.Mailer;
import io.trainchain.engine.store.RunRecord;
import io.trainchain.engine.store.RunStatus;
import io.trainchain.engine.store.RunStore;
import io.trainchain.engine.store.SearchRecord;
import io.trainchain.engine.store.SearchRecord.TrialStatus;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tuneHyperparameters for real: real dockerd, the real trainer on 2,000 Fashion-MNIST images, a real SMTP server
 * (GreenMail). An ASHA search that ends on its epoch budget, two trials at once that stop at the first pass, and a
 * search killed (SIGKILL, its process) mid-trial and resumed. Fails (never skips) without Docker or the trainer dist.
 */
class TuneHyperparametersIT {
    static final Path DIST = Path.of("..", "trainer", "target", "dist").toAbsolutePath().normalize();
    static final Path DOCKERFILES = Path.of("..", "dockerfiles").toAbsolutePath().normalize();
    static final Path EXAMPLE = Path.of("..", "examples", "fashion-cnn").toAbsolutePath().normalize();

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path tmp;

    static final class Lines implements TuneListener {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void log(String step, String line) {
            lines.add("[" + step + "] " + line);
            System.out.println("[" + step + "] " + line);
        }

        boolean has(String part) {
            synchronized (lines) {
                return lines.stream().anyMatch(l -> l.contains(part));
            }
        }
    }

    private static ChainRequest chain(Path work, double threshold) {
        assertTrue(Files.isRegularFile(DIST.resolve("trainchain-trainer.jar")),
                DIST + " missing: run mvn -B install -DskipTests first");
        return ChainRequest.of(EXAMPLE, DIST, DOCKERFILES).withImages(2000, null).withOutput(null, work)
                .withGate(new GateOverride("accuracy", threshold, null));
    }

    private static TuneOptions options(String strategy, SearchSpace space, Integer trials, Integer epochs,
                                       int trialEpochs, boolean firstPass, List<String> owners) {
        // seed 5, ASHA's first rung at epoch 1, η 3, one trial at a time, failure cap 3
        return new TuneOptions(strategy, space, 5L, trials, epochs, null, trialEpochs, 1, 3, null, firstPass, 1, 3,
                false, owners);
    }

    private static SearchSpace lrAndBatch(String lrs) {
        return SearchSpace.parseOption("learning_rate=choice:" + lrs, "--param")
                .with(SearchSpace.parseOption("batch_size=choice:64,128", "--param"));
    }

    /** The search TuneChild runs and the test resumes: random over 3 learning rates, 2 epochs a trial, 3 trials. */
    static TuneHyperparameters.Request killableRequest(Path work, boolean resume) {
        return new TuneHyperparameters.Request(chain(work, 0.99), options("random",
                SearchSpace.parseOption("learning_rate=choice:0.004,0.003,0.002", "--param"), 3, null, 2, false,
                null), null, resume, null);
    }

    @Test
    void ashaStopsWeakTrialsAtTheirRungEndsOnTheEpochBudgetKeepsTheBestAndMailsTheOwner() throws Exception {
        Mailer mailer = new Mailer(MailSettings.none(tmp.resolve("outbox")).withHost("127.0.0.1")
                .withPort(smtp.getSmtp().getPort()).withSecurity(MailSettings.Security.NONE));
        Lines out = new Lines();
        SearchResult r;
        try (RunStore store = RunStore.open(tmp.resolve("runs.db"))) {
            r = new TuneHyperparameters(() -> DockerConnector.fromEnvironment().connect(), new OwnerMail(mailer))
                    .run(new TuneHyperparameters.Request(chain(tmp, 0.99), options("asha",
                            lrAndBatch("0.00001,0.004"), null, 6, 3, false, List.of("owner@example.com")), null,
                            false, null), store, out);

            assertEquals(RunStatus.BELOW_THRESHOLD, r.status(), "nothing reaches 0.99");
            assertTrue(r.epochsSpent() <= 6, "the epoch budget is hard: " + r.epochsSpent());
            assertEquals(r.epochsSpent(), r.trials().stream().mapToInt(TrialSummary::epochs).sum());
            // A trial with lr 1e-5 after one with 0.004 is behind it at epoch 1, the only rung: stopped there.
            int firstGood = r.trials().stream().filter(t -> t.params().get("learning_rate").equals(0.004))
                    .mapToInt(TrialSummary::number).min().orElseThrow();
            List<TrialSummary> weakLater = r.trials().stream().filter(t -> t.number() > firstGood
                    && t.params().get("learning_rate").equals(1.0E-5)).toList();
            for (TrialSummary t : weakLater) {
                assertTrue(t.status() == TrialStatus.STOPPED, t.toString());
                if (t.rung() != null) {
                    assertEquals(0, t.rung(), t.toString());
                    assertEquals(1, t.epochs(), t.toString());
                }
            }
            assertTrue(r.trials().stream().anyMatch(t -> t.status() == TrialStatus.STOPPED && t.rung() != null
                    && t.rung() == 0), "some trial stopped at rung 0: " + r.trials());

            SearchRecord s = store.getSearch(r.searchId()).orElseThrow();
            assertEquals(RunStatus.BELOW_THRESHOLD, s.status());
            assertEquals(r.trials().size(), s.trials().size());
            TrialSummary best = r.best().orElseThrow();
            assertEquals(best.runId(), s.bestRunId());
            assertEquals(0.004, best.params().get("learning_rate"));
            for (SearchRecord.Trial t : s.trials()) {
                RunRecord run = store.getRun(t.runId()).orElseThrow();
                assertEquals(t.status() == TrialStatus.STOPPED ? RunStatus.STOPPED : RunStatus.BELOW_THRESHOLD,
                        run.status(), t.toString());
                assertEquals(t.epochs(), run.epochs().size(), "per-epoch metrics stored for trial " + t.number());
                boolean hasCheckpoints = Files.isDirectory(Path.of(t.runDir(), "train", "checkpoints"));
                assertEquals(t.runId().equals(best.runId()), hasCheckpoints, "only the best trial keeps its "
                        + "checkpoints: trial " + t.number());
            }
            Path bestDir = tmp.resolve("searches").resolve(r.searchId()).resolve("best");
            assertTrue(Files.isRegularFile(bestDir.resolve("model.zip")), bestDir + " has the best model");
            assertTrue(Files.readString(bestDir.resolve("params.json")).contains("0.004"));
        }

        assertTrue(smtp.waitForIncomingEmail(10_000, 1), "the owner's e-mail arrived");
        MimeMessage mail = smtp.getReceivedMessages()[0];
        assertEquals("owner@example.com", mail.getAllRecipients()[0].toString());
        assertTrue(mail.getSubject().contains("fashion-cnn: search below the gate (accuracy 0."), mail.getSubject());
        String body = GreenMailUtil.getBody(mail);
        assertTrue(body.contains("Best: trial " + r.best().orElseThrow().number()), body);
        assertTrue(body.contains("<table"), "an HTML part with the trials table");
        assertTrue(r.mail().startsWith("e-mail sent to owner@example.com"), r.mail());
    }

    @Test
    void twoTrialsAtOnceEachWithHalfTheMachineStopAtTheFirstPassAndQueueTheMailWithoutAServer() throws Exception {
        Lines out = new Lines();
        Path outbox = tmp.resolve("outbox");
        try (RunStore store = RunStore.open(tmp.resolve("runs.db"))) {
            TuneOptions twoAtOnce = new TuneOptions("grid", lrAndBatch("0.004,0.002"), 5L, 5, null, null, 2, 1, 3,
                    null, true, 2, 3, false, List.of("owner@example.com"));
            SearchResult r = new TuneHyperparameters(() -> DockerConnector.fromEnvironment().connect(),
                    new OwnerMail(new Mailer(MailSettings.none(outbox))))
                    .run(new TuneHyperparameters.Request(chain(tmp, 0.5), twoAtOnce, null, false, null), store, out);
            assertEquals(RunStatus.PASSED, r.status());
            assertTrue(r.stopReason().matches("trial [12] passed the gate"), r.stopReason());
            assertEquals(2, r.trials().size(), "two ran at once; none after the first pass");
            assertTrue(out.has("memory 1073741824 B, cpus 1.0"), "each trial has half the CPUs and memory");
            TrialSummary best = r.best().orElseThrow();
            assertTrue(best.passed() && best.value() >= 0.5, best.toString());
            assertEquals(RunStatus.PASSED, store.getRun(best.runId()).orElseThrow().status());
            for (TrialSummary t : r.trials()) {
                assertTrue(t.status() == TrialStatus.COMPLETED || t.status() == TrialStatus.STOPPED
                        && t.message().startsWith("the search ended: trial "), t.toString());
            }
        }
        try (Stream<Path> files = Files.list(outbox)) {
            assertEquals(1, files.filter(f -> f.toString().endsWith(".eml")).count(), "queued in the outbox");
        }
    }

    @Test
    void aScikitLearnScriptsOwnParamsAreSearchedWithoutAnEpochsParam() throws Exception {
        Lines out = new Lines();
        ChainRequest sklearn = ChainRequest.of(EXAMPLE.resolveSibling("sklearn-fashion"), null, DOCKERFILES)
                .withImages(3000, null).withOutput(null, tmp).withGate(new GateOverride("accuracy", 0.99, null));
        TuneOptions depth = new TuneOptions(null, SearchSpace.parseOption("max_depth=choice:2,12", "--param")
                .with(SearchSpace.parseOption("n_estimators=choice:20", "--param")), 5L, null, null, 10.0, null,
                null, null, null, false, 1, 3, false, null);
        try (RunStore store = RunStore.open(tmp.resolve("runs.db"))) {
            SearchResult r = new TuneHyperparameters(() -> DockerConnector.fromEnvironment().connect(),
                    SearchMailer.NONE).run(new TuneHyperparameters.Request(sklearn, depth, null, false, null), store,
                    out);
            assertEquals("random", r.settings().strategy(), "no epochs to stop at: random by default");
            assertEquals("every configuration of the space was tried", r.stopReason());
            assertEquals(2, r.trials().size());
            for (TrialSummary t : r.trials()) {
                assertEquals(TrialStatus.COMPLETED, t.status(), t.toString());
                String params = Files.readString(t.runDir().resolve("params.json"));
                assertTrue(params.contains("\"max_depth\" : " + t.params().get("max_depth")), params);
                assertFalse(params.contains("epochs"), "the script refuses params it does not know: " + params);
            }
            TrialSummary best = r.best().orElseThrow();
            assertEquals(12, best.params().get("max_depth"), "deeper trees fit Fashion-MNIST better: " + r.trials());
            assertTrue(best.model() != null && best.model().toString().endsWith(".joblib"), String.valueOf(best.model()));
        }
    }

    @Test
    void aSearchKilledMidTrialResumesWithoutRerunningFinishedTrials() throws Exception {
        Path db = tmp.resolve("runs.db");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), TuneChild.class.getName(), db.toString(), tmp.toString());
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        boolean killed = false;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                System.out.println("[child] " + line);
                // After trial 2's first checkpoint, before its end: what a crash mid-trial leaves.
                if (line.contains("trial 2: checkpoint checkpoint-epoch-0001.zip written")) {
                    child.destroyForcibly(); // SIGKILL: no shutdown hook, the container is left running
                    killed = true;
                    break;
                }
            }
        }
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertTrue(killed, "the child reached trial 2's first checkpoint");

        String searchId;
        String firstTrialRun;
        try (RunStore store = RunStore.open(db)) {
            SearchRecord s = store.listSearches(null, true, 5).get(0);
            searchId = s.id();
            assertEquals(TrialStatus.COMPLETED, s.trials().get(0).status());
            assertEquals(TrialStatus.RUNNING, s.trials().get(1).status());
            firstTrialRun = s.trials().get(0).runId();
            assertTrue(Files.isRegularFile(Path.of(s.trials().get(1).runDir(), "train", "checkpoints",
                    "checkpoint-epoch-0001.zip")));
        }

        Lines out = new Lines();
        try (RunStore store = RunStore.open(db)) {
            SearchResult r = new TuneHyperparameters(() -> DockerConnector.fromEnvironment().connect(),
                    SearchMailer.NONE).run(killableRequest(tmp, true), store, out);
            assertEquals(searchId, r.searchId(), "the same search goes on");
            assertEquals(3, r.trials().size());
            assertTrue(out.has("resuming search " + searchId));
            assertTrue(out.has("trial 2: removed "), "the killed process's container is removed: " + out.lines);
            // From epoch 1's checkpoint, or epoch 2's when the orphan wrote it before it was removed.
            assertTrue(out.has("trial 2: resuming from checkpoint-epoch-000"), "trial 2 continues from its "
                    + "checkpoint");
            assertFalse(out.has("trial 1 started") || out.has("trial 1 resumed"), "trial 1 is not run again");
            SearchRecord s = store.getSearch(searchId).orElseThrow();
            assertNotNull(s.finishedAt());
            assertEquals(firstTrialRun, s.trials().get(0).runId());
            String oldRun = store.listRuns(10).stream().filter(x -> x.status() == RunStatus.FAILED)
                    .map(RunRecord::id).findFirst().orElseThrow();
            assertNotEquals(oldRun, s.trials().get(1).runId(), "trial 2 goes on in a new run");
            assertTrue(store.getRun(oldRun).orElseThrow().message().startsWith("interrupted"));
            for (SearchRecord.Trial t : s.trials()) {
                assertEquals(TrialStatus.COMPLETED, t.status(), t.toString());
                assertEquals(2, t.epochs());
            }
            assertEquals(4, store.listRuns(10).size(), "trials 1 and 3 once, trial 2 twice");
        }
    }
}

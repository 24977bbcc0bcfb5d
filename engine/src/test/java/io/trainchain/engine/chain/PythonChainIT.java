package io.trainchain.engine.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainchain.engine.ChainListener;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.detect.Framework;
import io.trainchain.engine.docker.DockerConnector;
import io.trainchain.engine.docker.TestDocker;
import io.trainchain.engine.store.PromotionRecord;
import io.trainchain.engine.store.RunRecord;
import io.trainchain.engine.store.RunStatus;
import io.trainchain.engine.watch.ExitCause;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The user's own Python code through the whole chain, for real: the PyTorch and scikit-learn images (built once,
 * then cached by layer: only the code layer differs between examples), real training on Fashion-MNIST, every
 * example to a gate verdict with its metrics in the run store; a killed PyTorch training resumed from its checkpoint
 * (contract mode, bit-exact) or restarted from scratch (an unmodified script); a requirement the image lacks.
 */
class PythonChainIT extends ChainFixture {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Prints everything, kills the training container once on a line that starts with {@code killOn}. */
    static final class Listener implements ChainListener {
        final List<String> lines = new CopyOnWriteArrayList<>();
        private final String killOn;
        private volatile String container;
        private volatile boolean killed;

        Listener(String killOn) {
            this.killOn = killOn;
        }

        @Override
        public void log(String step, String line) {
            System.out.println("[" + step + "] " + line);
            lines.add(line);
            if (line.startsWith("container ") && line.contains(" from ")) {
                container = line.substring("container ".length(), line.indexOf(" from "));
            }
            if (killOn != null && !killed && line.startsWith(killOn)) {
                killed = true;
                System.out.println("[it] docker kill " + container);
                TestDocker.connection().client().killContainerCmd(container).exec();
            }
        }
    }

    private ChainResult run(String example, Listener l, UnaryOperator<ChainRequest> tweak) {
        return run(example, example, l, tweak);
    }

    private ChainResult run(String example, String out, Listener l, UnaryOperator<ChainRequest> tweak) {
        ChainRequest req = tweak.apply(ChainRequest.of(ROOT.resolve("examples").resolve(example), null,
                ROOT.resolve("dockerfiles")).withOutput(tmp.resolve(out), null));
        return new ChainRunner(() -> DockerConnector.fromEnvironment().connect()).run(req, store, l);
    }

    private static void assertVerdictAndStored(ChainResult r, Framework framework) {
        assertEquals(framework, r.detection().framework());
        assertTrue(r.status() == RunStatus.PASSED || r.status() == RunStatus.BELOW_THRESHOLD, r.gate().message());
        double acc = r.metrics().get("accuracy");
        assertTrue(acc > 0.5 && acc <= 1.0, "a real model's accuracy: " + acc);
        RunRecord stored = store.getRun(r.runId()).orElseThrow();
        assertEquals(r.status(), stored.status());
        assertEquals(acc, stored.metrics().get("accuracy"), 1e-12);
        assertEquals(framework.recipe(), stored.framework());
        System.out.printf("[it] %s: %s, accuracy %.4f, %d epochs, model %s%n", r.runId(), r.status(), acc,
                stored.epochs().size(), r.model());
    }

    @Test
    void aPytorchScriptWrittenForTrainchainTrainsIsKilledAndResumesBitExact() throws IOException {
        ChainResult whole = run("pytorch-fashion", new Listener(null), q -> q.withImages(6000, 3));
        assertVerdictAndStored(whole, Framework.PYTORCH);
        assertEquals(3, store.getRun(whole.runId()).orElseThrow().epochs().size(), "each epoch in the store");
        assertTrue(Files.isRegularFile(whole.model()) && whole.model().getFileName().toString().equals("model.pt"));

        Listener killer = new Listener("checkpoint checkpoint-epoch-0001.zip written");
        ChainResult resumed = run("pytorch-fashion", "killed", killer, q -> q.withImages(6000, 3));
        assertEquals(2, resumed.attempts().size(), resumed.attempts().toString());
        assertEquals(ExitCause.KILLED, resumed.attempts().get(0).cause());
        assertEquals("checkpoint-epoch-0001.zip", resumed.attempts().get(1).resumedFrom());
        assertTrue(killer.lines.contains("resuming from checkpoint-epoch-0001.zip after epoch 1, batch 0"),
                "the helper resumed: " + killer.lines);
        assertEquals(List.of(1, 2, 3), resumed.train().epochs().stream().map(e -> e.get("epoch").asInt()).toList());
        assertEquals(JSON.readTree(whole.trainOutputDir().resolve("evaluation.json").toFile()),
                JSON.readTree(resumed.trainOutputDir().resolve("evaluation.json").toFile()),
                "a resume after an epoch repeats the uninterrupted run (model, optimizer, scheduler, RNG states)");
        assertEquals(2, store.attempts(resumed.runId()).size());
    }

    @Test
    void anUnmodifiedScriptIsReadByItsRulesAndRestartedFromScratchWhenKilled() throws IOException {
        Listener killer = new Listener("Epoch 1 loss: ");
        ChainResult r = run("pytorch-unmodified", killer, q -> q.withImages(null, 2));
        assertVerdictAndStored(r, Framework.PYTORCH);
        assertEquals(2, r.attempts().size(), r.attempts().toString());
        assertTrue(killer.lines.stream().anyMatch(l -> l.contains("restarting it from scratch")), killer.lines
                .toString());
        List<String> epochLines = Files.readAllLines(r.trainOutputDir().resolve("metrics.jsonl"));
        assertEquals(2, epochLines.size(), "epochs counted again from 1 after a restart from scratch: " + epochLines);
        JsonNode eval = JSON.readTree(r.trainOutputDir().resolve("evaluation.json").toFile());
        assertEquals(eval.get("accuracy").asDouble(), eval.get("accuracy_file").asDouble(), 1e-12,
                "the printed accuracy and accuracy.txt agree");
        assertEquals("model.pt", r.model().getFileName().toString());
        assertTrue(r.model().startsWith(r.trainOutputDir()), "collected into the run's train folder: " + r.model());
    }

    @Test
    void scikitLearnAndAnMlprojectTrainToAVerdict() {
        assertVerdictAndStored(run("sklearn-fashion", new Listener(null), q -> q.withImages(6000, null)),
                Framework.SKLEARN);
        Listener l = new Listener(null);
        ChainResult ml = run("mlproject", l, q -> q);
        assertVerdictAndStored(ml, Framework.SKLEARN);
        assertEquals(3, ml.train().epochs().size(), "read per epoch from the output");
        assertTrue(l.lines.stream().anyMatch(x -> x.startsWith("python_env in MLproject not installed")), l.lines
                .toString());
    }

    @Test
    void aChampionOnOtherTestImagesIsEvaluatedAgainByTheRepositorysEvaluateScript() throws IOException {
        GateOverride low = new GateOverride(null, 0.5, null);
        ChainResult first = run("sklearn-fashion", "eval-first", new Listener(null),
                q -> q.withImages(5000, null).withGate(low));
        assertEquals(RunStatus.PASSED, first.status(), first.gate().message());
        Listener l = new Listener(null);
        ChainResult second = run("sklearn-fashion", "eval-second", l, q -> q.withImages(3000, null).withGate(low));
        assertEquals(RunStatus.PASSED, second.status(), second.gate().message());
        var decision = second.registration().decision();
        int champion = decision.previousVersion();
        // evaluate.py ran in the scikit-learn image on this run's 3000 test images, with the champion's file.
        Path eval = second.outputDir().resolve("champion-v" + champion).resolve("evaluation.json");
        JsonNode remeasured = new ObjectMapper().readTree(eval.toFile());
        assertEquals(3000, remeasured.get("test_images").asInt());
        assertEquals("model.joblib", remeasured.get("evaluated_model").asText());
        assertEquals(remeasured.get("accuracy").asDouble(), decision.previousValue(), 1e-12);
        assertTrue(decision.reason().contains("re-evaluated on it"), decision.reason());
        assertTrue(decision.action() == PromotionRecord.Action.PROMOTED
                || decision.action() == PromotionRecord.Action.KEPT, decision.toString());
        assertTrue(l.lines.stream().anyMatch(x -> x.contains("test: accuracy") && x.contains("on 3000 examples")),
                "the script's own line, under the gate step");
    }

    @Test
    void aRequirementTheImageLacksIsBadInputNamingThePackageAndIsNotRestarted() throws IOException {
        Path repo = Files.createDirectories(tmp.resolve("needs-more"));
        Files.writeString(repo.resolve("train.py"), "import sklearn\nprint('never runs')\n");
        Files.writeString(repo.resolve("requirements.txt"), "scikit-learn>=1.0\nxgboost==2.0.3\nnumpy>=99\n");
        Listener l = new Listener(null);
        ChainException e = assertThrows(ChainException.class, () -> run("x", l,
                q -> ChainRequest.of(repo, null, ROOT.resolve("dockerfiles")).withOutput(tmp.resolve("o"), null)));
        assertEquals(TrainchainException.Kind.BAD_INPUT, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("requirements.txt:2: package 'xgboost' is not in the training image"),
                e.getMessage());
        assertTrue(e.getMessage().contains("requirements.txt:3: 'numpy' wants >=99, the image has numpy 1."),
                e.getMessage());
        assertTrue(e.getMessage().contains("1 container:"), "bad input is never restarted: " + e.getMessage());
        assertTrue(l.lines.stream().noneMatch(x -> x.contains("never runs")), "the script did not start");
    }
}

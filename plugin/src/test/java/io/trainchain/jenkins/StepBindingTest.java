package io.trainchain.jenkins;

import io.trainchain.engine.pipeline.EngineSetup;
import io.trainchain.engine.pipeline.SmtpSettings;
import io.trainchain.engine.pipeline.StepRequest;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every step's fields bound to its engine request, for the Pipeline step and the freestyle builder alike (same
 * fields, same request), with the global configuration filling only what the step leaves empty. Jenkins itself
 * cannot run here: the step and builder objects are built as Jenkins' data binding would, and nothing of Jenkins is
 * called.
 */
class StepBindingTest {
    static final Defaults CONFIGURED = new Defaults(new EngineSetup("tcp://docker:2376", "/var/trainchain/runs.db",
            "/opt/trainchain"), 0.85, "macro_f1", "team@example.org", "FAILURE", false,
            new SmtpSettings("smtp.example.org", null, null, null, null, null));

    @Test
    void detectFrameworkBindsItsRepository() {
        assertEquals(new StepRequest.Detect("examples/fashion-cnn"),
                new DetectFrameworkStep(" examples/fashion-cnn ").request(Defaults.NONE));
        assertEquals(new StepRequest.Detect("."), new DetectFrameworkBuilder("").request(Defaults.NONE));
    }

    @Test
    void buildTrainingImageBindsTheBaseImage() {
        BuildTrainingImageStep step = new BuildTrainingImageStep("repo");
        step.setBaseImage("eclipse-temurin:17-jre");
        BuildTrainingImageBuilder builder = new BuildTrainingImageBuilder("repo");
        builder.setBaseImage("eclipse-temurin:17-jre");
        StepRequest expected = new StepRequest.Image("repo", "eclipse-temurin:17-jre");
        assertEquals(expected, step.request(Defaults.NONE));
        assertEquals(expected, builder.request(Defaults.NONE));
    }

    @Test
    void trainInContainerBindsEveryFieldAndTheStepWinsOverTheConfiguration() {
        TrainInContainerStep step = new TrainInContainerStep("examples/fashion-cnn");
        TrainInContainerBuilder builder = new TrainInContainerBuilder("examples/fashion-cnn");
        step.setData("data");
        builder.setData("data");
        step.setEpochs(2);
        builder.setEpochs(2);
        step.setMemory("3g");
        builder.setMemory("3g");
        step.setRestarts(5);
        builder.setRestarts(5);
        step.setTimeoutMinutes(60L);
        builder.setTimeoutMinutes(60L);
        step.setThreshold(0.9);
        builder.setThreshold(0.9);
        step.setKeepContainer(true);
        builder.setKeepContainer(true);
        step.setBelowGate("SUCCESS");
        builder.setBelowGate("SUCCESS");

        StepRequest.Train r = (StepRequest.Train) step.request(CONFIGURED);
        assertEquals(r, builder.request(CONFIGURED));
        assertEquals("examples/fashion-cnn", r.repository());
        assertEquals("data", r.data());
        assertEquals(2, r.epochs());
        assertEquals("3g", r.memory());
        assertEquals(5, r.restarts());
        assertEquals(60, r.timeoutMinutes());
        assertTrue(r.keepContainer());
        assertEquals(0.9, r.gate().threshold(), "the step's threshold wins");
        assertNull(r.gate().metric(), "no metric on the step");
        assertEquals(new StepRequest.Gate(null, "macro_f1", 0.85, null), r.fallback(),
                "the configured gate goes along as the fallback below trainchain.yaml");
        assertEquals("SUCCESS", step.belowGateResult());
        assertEquals("SUCCESS", builder.belowGateResult());
    }

    @Test
    void aFreestyleBuildsTextFieldsAreExpandedFromTheBuildsEnvironment() {
        // Jenkins' EnvVars.expand cannot run here (a compile-only stand-in): a map stands in for the build's
        // environment. What is tested is that every text field, and only those, goes through it.
        Map<String, String> env = Map.of("WORKSPACE", "/ws", "BUILD_NUMBER", "17",
                "MEM", "3g", "METRIC", "macro_f1");
        UnaryOperator<String> expand = v -> {
            if (v == null) {
                return null;
            }
            String out = v;
            for (var e : env.entrySet()) {
                out = out.replace("${" + e.getKey() + "}", e.getValue());
            }
            return out;
        };
        TrainInContainerBuilder train = new TrainInContainerBuilder("${WORKSPACE}/examples/fashion-cnn");
        train.setData("${WORKSPACE}/data");
        train.setParams("${WORKSPACE}/p.json");
        train.setMemory("${MEM}");
        train.setMetric("${METRIC}");
        train.setOutputDir("${WORKSPACE}/runs/${BUILD_NUMBER}");
        StepRequest.Train r = (StepRequest.Train) train.request(Defaults.NONE, expand);
        assertEquals(List.of("/ws/examples/fashion-cnn", "/ws/data", "/ws/p.json", "3g", "macro_f1", "/ws/runs/17"),
                Arrays.asList(r.repository(), r.data(), r.params(), r.memory(), r.gate().metric(),
                        r.outputDir()));
        assertEquals("${WORKSPACE}/data", ((StepRequest.Train) train.request(Defaults.NONE)).data(),
                "unexpanded without a build");

        TuneHyperparametersBuilder tune = new TuneHyperparametersBuilder("${WORKSPACE}");
        tune.setOwners("ml-${BUILD_NUMBER}@example.org");
        tune.setParentRunId("${BUILD_NUMBER}");
        StepRequest.Tune t = (StepRequest.Tune) tune.request(Defaults.NONE, expand);
        assertEquals("/ws", t.repository());
        assertEquals("17", t.parentRunId());
        assertEquals(List.of("ml-17@example.org"), t.owners());
        assertEquals(new StepRequest.Gate("/ws/runs/17", null, null, null),
                new CheckAccuracyBuilder("${WORKSPACE}/runs/${BUILD_NUMBER}").request(Defaults.NONE, expand));
        assertEquals(new StepRequest.Watch("trainer-17", null, null, StepRequest.Train.DEFAULT_TIMEOUT_MINUTES),
                new WatchContainerBuilder("trainer-${BUILD_NUMBER}").request(Defaults.NONE, expand));
    }

    @Test
    void anEmptyTrainStepLeavesEverythingToTrainchainYamlAndTheEngine() {
        StepRequest.Train r = (StepRequest.Train) new TrainInContainerStep(".").request(Defaults.NONE);
        assertNull(r.data());
        assertNull(r.epochs());
        assertNull(r.restarts(), "the watcher's restarts come from trainchain.yaml, else 3");
        assertEquals(StepRequest.Train.DEFAULT_TIMEOUT_MINUTES, r.timeoutMinutes());
        assertFalse(r.keepContainer());
        assertNull(r.gate().metric());
        assertNull(r.gate().threshold());
        assertNull(new TrainInContainerStep(".").belowGateResult());
        assertNull(r.fallback(), "nothing configured: no fallback");
    }

    @Test
    void checkAccuracyBindsTheGateAndTakesTheConfiguredDefaults() {
        CheckAccuracyStep step = new CheckAccuracyStep("runs/7");
        step.setDirection("at_most");
        step.setMetric("test_loss");
        assertEquals(new StepRequest.Gate("runs/7", "test_loss", 0.85, "at_most"), step.request(CONFIGURED));
        CheckAccuracyBuilder builder = new CheckAccuracyBuilder("runs/7");
        assertEquals(new StepRequest.Gate("runs/7", "macro_f1", 0.85, null), builder.request(CONFIGURED));
        assertEquals(new StepRequest.Gate("runs/7", null, null, null), builder.request(Defaults.NONE));
    }

    @Test
    void tuneHyperparametersBindsItsBudgetOwnersAndHowTheMailLeaves() {
        TuneHyperparametersStep step = new TuneHyperparametersStep("repo");
        step.setMaxTrials(6);
        step.setMaxMinutes(30.0);
        step.setStrategy("random");
        step.setParentRunId("run-42");
        step.setOwners("a@example.org, b@example.org");
        step.setSpace("learning_rate=choice:0.001,0.004;\n batch_size=choice:64,128\n");
        StepRequest.Tune r = (StepRequest.Tune) step.request(CONFIGURED);
        assertEquals(6, r.maxTrials());
        assertEquals(30.0, r.maxMinutes());
        assertEquals("random", r.strategy());
        assertEquals("run-42", r.parentRunId());
        assertEquals(List.of("a@example.org", "b@example.org"), r.owners());
        assertEquals(List.of("learning_rate=choice:0.001,0.004", "batch_size=choice:64,128"), r.space());
        assertFalse(r.mail().deferred(), "Jenkins' Mailer off: the engine's SMTP with the configured settings");
        assertEquals("smtp.example.org", r.mail().smtp().host());

        TuneHyperparametersBuilder builder = new TuneHyperparametersBuilder("repo");
        Defaults jenkinsMail = new Defaults(CONFIGURED.setup(), null, null, "team@example.org", null, true, null);
        StepRequest.Tune b = (StepRequest.Tune) builder.request(jenkinsMail);
        assertEquals(List.of(), b.owners(), "the step names none: tune.notify decides first");
        assertEquals(List.of("team@example.org"), b.fallbackOwners(), "the configured owner, below tune.notify");
        assertEquals(List.of("team@example.org"), r.fallbackOwners(), "the step's owners win in the engine");
        assertEquals(List.of(), b.space(), "no space: trainchain.yaml's tune: section");
        assertTrue(b.mail().deferred(), "Jenkins' Mailer on: composed on the agent, sent by the controller");
        assertEquals(SmtpSettings.NONE, b.mail().smtp(), "no SMTP password travels when Jenkins sends");
    }

    @Test
    void watchContainerBindsTheContainerAndItsLimits() {
        WatchContainerStep step = new WatchContainerStep("trainer-1");
        step.setRestarts(2);
        WatchContainerBuilder builder = new WatchContainerBuilder("trainer-1");
        builder.setRestarts(2);
        StepRequest expected = new StepRequest.Watch("trainer-1", null, 2, StepRequest.Train.DEFAULT_TIMEOUT_MINUTES);
        assertEquals(expected, step.request(Defaults.NONE));
        assertEquals(expected, builder.request(Defaults.NONE));
    }

    @Test
    void theSymbolsAreExactlyTheSixStepNames() {
        List<Class<?>> descriptors = List.of(DetectFrameworkStep.DescriptorImpl.class,
                BuildTrainingImageStep.DescriptorImpl.class, TrainInContainerStep.DescriptorImpl.class,
                CheckAccuracyStep.DescriptorImpl.class, TuneHyperparametersStep.DescriptorImpl.class,
                WatchContainerStep.DescriptorImpl.class);
        List<String> symbols = descriptors.stream()
                .map(c -> c.getAnnotation(org.jenkinsci.Symbol.class).value()[0]).toList();
        assertEquals(List.of("detectFramework", "buildTrainingImage", "trainInContainer", "checkAccuracy",
                "tuneHyperparameters", "watchContainer"), symbols);
    }
}

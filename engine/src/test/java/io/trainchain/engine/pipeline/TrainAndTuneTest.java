package io.trainchain.engine.pipeline;

import io.trainchain.engine.ChainListener;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.chain.ChainRequest;
import io.trainchain.engine.gate.Direction;
import io.trainchain.engine.config.ProjectConfig;
import io.trainchain.engine.config.SearchSpace;
import io.trainchain.engine.config.TuneOptions;
import io.trainchain.engine.notify.MailSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** trainInContainer's request as the chain takes it (the CLI's mapping), and the engine's SMTP settings. */
class TrainAndTuneTest {

    @Test
    void aTrainRequestMapsFieldByFieldOntoTheChainRequest(@TempDir Path ws) {
        TrainAndTune t = new TrainAndTune(new EngineSetup(null, null, "tc"), ws, ChainListener.NONE);
        ChainRequest r = t.chainRequest(new StepRequest.Train("examples/x", "data", "p.json", 3, 500, "3g", 1.5, 0,
                30, true, new StepRequest.Gate(null, "macro_f1", 0.7, "at_least"), "out", null));
        assertEquals(ws.resolve("examples/x"), r.repository());
        assertEquals(ws.resolve("data"), r.dataDir());
        assertEquals(ws.resolve("p.json"), r.paramsFile());
        assertEquals(3, r.epochs());
        assertEquals(500, r.limit());
        assertEquals(3L << 30, r.limits().memoryBytes());
        assertEquals(1.5, r.limits().cpus());
        assertEquals(0, r.watch().restarts(), "0 restarts: the watcher is off");
        assertEquals(Duration.ofMinutes(30), r.timeouts().train());
        assertTrue(r.keepContainer());
        assertEquals("macro_f1", r.gate().metric());
        assertEquals(0.7, r.gate().threshold());
        assertEquals(Direction.AT_LEAST, r.gate().direction());
        assertEquals(ws.resolve("out"), r.outputDir());
        assertEquals(ws.resolve("tc/dockerfiles"), r.dockerfilesRoot());
    }

    @Test
    void emptyFieldsStayNullSoTrainchainYamlDecides(@TempDir Path ws) {
        TrainAndTune t = new TrainAndTune(new EngineSetup(null, null, null), ws, ChainListener.NONE);
        ChainRequest r = t.chainRequest(new StepRequest.Train(null, " ", null, null, null, null, null, null,
                StepRequest.Train.DEFAULT_TIMEOUT_MINUTES, false, null, null, null));
        assertEquals(ws, r.repository());
        assertNull(r.dataDir());
        assertNull(r.epochs());
        assertNull(r.limits().memoryBytes());
        assertNull(r.watch().restarts(), "null: trainchain.yaml, else the watcher's 3 restarts");
        assertNull(r.gate().metric());
        assertNull(r.gate().threshold());
        assertNull(r.outputDir());
    }

    @Test
    void theCallersDefaultsFillOnlyWhatTheStepAndTrainchainYamlLeaveOpen(@TempDir Path ws) throws Exception {
        StepRequest.Gate fallback = new StepRequest.Gate(null, "macro_f1", 0.9, null);
        StepRequest.Gate none = new StepRequest.Gate(null, null, null, null);
        Path bare = java.nio.file.Files.createDirectories(ws.resolve("bare"));
        assertEquals(new StepRequest.Gate(null, "macro_f1", 0.9, null),
                TrainAndTune.withFallback(none, fallback, bare), "no trainchain.yaml: the defaults apply");
        assertEquals(new StepRequest.Gate(null, "accuracy", 0.9, null),
                TrainAndTune.withFallback(new StepRequest.Gate(null, "accuracy", null, null), fallback, bare),
                "the step's own metric wins");
        Path withYaml = java.nio.file.Files.createDirectories(ws.resolve("yaml"));
        java.nio.file.Files.writeString(withYaml.resolve("trainchain.yaml"),
                "framework: dl4j\ngate:\n  threshold: 0.85\n");
        assertEquals(new StepRequest.Gate(null, "macro_f1", null, null),
                TrainAndTune.withFallback(none, fallback, withYaml),
                "the file's threshold stays (null: the chain reads it); its unset metric takes the default");
        assertEquals(none, TrainAndTune.withFallback(none, null, withYaml));
        java.nio.file.Files.writeString(withYaml.resolve("trainchain.yaml"),
                "framework: dl4j\ngate:\n  metric: accuracy\n  threshold: 0.80\n");
        assertEquals(none, TrainAndTune.withFallback(none, fallback, withYaml),
                "a file that says the engine's own default (as every example does) still wins over the caller's");
        java.nio.file.Files.writeString(withYaml.resolve("trainchain.yaml"), "framework: dl4j\ngate:\n  threshold: 0.85\n");
        ChainRequest r = new TrainAndTune(new EngineSetup(null, null, null), ws, ChainListener.NONE).chainRequest(
                new StepRequest.Train("yaml", null, null, null, null, null, null, null, 10, false, null, null,
                        fallback));
        assertEquals("macro_f1", r.gate().metric());
        assertNull(r.gate().threshold());
    }

    @Test
    void badNumbersAreBadInputNamingTheField(@TempDir Path ws) {
        TrainAndTune t = new TrainAndTune(new EngineSetup(null, null, null), ws, ChainListener.NONE);
        TrainchainException e = assertThrows(TrainchainException.class, () -> t.chainRequest(
                new StepRequest.Train(".", null, null, null, null, null, 0.0, null, 10, false, null, null, null)));
        assertTrue(e.getMessage().contains("cpus is 0.0"), e.getMessage());
        e = assertThrows(TrainchainException.class, () -> t.chainRequest(
                new StepRequest.Train(".", null, null, null, null, null, null, -1, 10, false, null, null, null)));
        assertTrue(e.getMessage().contains("restarts is -1"), e.getMessage());
        e = assertThrows(TrainchainException.class, () -> t.chainRequest(
                new StepRequest.Train(".", null, null, null, null, null, null, null, 0, false, null, null, null)));
        assertTrue(e.getMessage().contains("timeoutMinutes is 0"), e.getMessage());
        e = assertThrows(TrainchainException.class, () -> t.chainRequest(
                new StepRequest.Train(".", null, null, null, null, "lots", null, null, 10, false, null, null, null)));
        assertTrue(e.getMessage().contains("memory"), e.getMessage());
    }

    @Test
    void configuredSmtpSettingsWinOverTheAgentsEnvironmentAndThePasswordIsNeverPrinted(@TempDir Path ws) {
        SmtpSettings smtp = new SmtpSettings("smtp.example.org", 465, "tls", "bot", "s3cret", "ci@example.org");
        Map<String, String> env = smtp.over(Map.of(MailSettings.HOST, "other", MailSettings.PASSWORD_FILE, "/x",
                MailSettings.OUTBOX, ws.resolve("box").toString()));
        assertEquals("smtp.example.org", env.get(MailSettings.HOST));
        assertEquals("465", env.get(MailSettings.PORT));
        assertEquals("s3cret", env.get(MailSettings.PASSWORD));
        assertFalse(env.containsKey(MailSettings.PASSWORD_FILE), "the configured password replaces the agent's file");
        assertFalse(smtp.toString().contains("s3cret"), smtp.toString());
        assertTrue(smtp.toString().contains("password=****"), smtp.toString());
        assertFalse(SmtpSettings.NONE.toString().contains("****"));

        StepRequest.Tune tune = new StepRequest.Tune(".", null, null, null, null, null, null, null, null, null,
                null, List.of(), null, StepRequest.Mail.engine(smtp), null, null);
        MailSettings m = TrainAndTune.engineMail(tune, ws.resolve("runs.db"));
        assertEquals("smtp.example.org", m.host());
        assertEquals(MailSettings.Security.TLS, m.security());
        assertEquals("environment variable " + MailSettings.PASSWORD, m.password().toString());
        assertEquals(ws.resolve("outbox"), m.outbox(), "the outbox lies beside the run store");
    }

    @Test
    void theOwnersAreTheSteps_ThenTuneNotify_ThenTheConfiguredOnes(@TempDir Path ws) throws Exception {
        Path withNotify = Files.createDirectories(ws.resolve("with-notify"));
        Files.writeString(withNotify.resolve("trainchain.yaml"), "tune:\n  notify: yaml@example.org\n");
        Path without = Files.createDirectories(ws.resolve("without"));
        Files.writeString(without.resolve("trainchain.yaml"), "epochs: 1\n");
        List<String> configured = List.of("team@example.org");

        assertEquals(List.of("step@example.org"), TrainAndTune.owners(tune(List.of("step@example.org"), configured),
                withNotify), "the step's owners come first");
        assertNull(TrainAndTune.owners(tune(List.of(), configured), withNotify),
                "tune.notify over the configured owners: the search reads it from the file");
        assertEquals(configured, TrainAndTune.owners(tune(List.of(), configured), without),
                "the configured owners where neither the step nor tune.notify names any");
        assertEquals(configured, TrainAndTune.owners(tune(List.of(), configured), ws.resolve("missing")));
        assertNull(TrainAndTune.owners(tune(List.of(), null), without), "nobody named: the commit's author");

        // What the search then takes: the same merge the CLI's options go through.
        TuneOptions fromStep = new TuneOptions(null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, TrainAndTune.owners(tune(List.of(), configured), withNotify));
        assertEquals(List.of("yaml@example.org"),
                fromStep.over(ProjectConfig.load(withNotify).tune()).owners());
    }

    private static StepRequest.Tune tune(List<String> owners, List<String> configured) {
        return new StepRequest.Tune(".", null, null, null, null, null, null, null, null, null, null, owners, null,
                null, null, configured);
    }

    @Test
    void theSearchSpaceIsTheClisParamSyntaxAndEmptyLeavesItToTrainchainYaml() {
        SearchSpace s = TrainAndTune.space(List.of("learning_rate=choice:0.001,0.004", " batch_size=choice:64,128 "));
        assertEquals(SearchSpace.EMPTY.with(SearchSpace.parseOption("learning_rate=choice:0.001,0.004", "x"))
                .with(SearchSpace.parseOption("batch_size=choice:64,128", "x")), s);
        assertNull(TrainAndTune.space(List.of()));
        TrainchainException e = assertThrows(TrainchainException.class,
                () -> TrainAndTune.space(List.of("learning_rate")));
        assertTrue(e.getMessage().startsWith("space 'learning_rate' is not NAME=KIND:VALUES"), e.getMessage());
    }

    @Test
    void emptySettingsLeaveTheEnvironmentAlone() {
        Map<String, String> env = SmtpSettings.NONE.over(Map.of(MailSettings.HOST, "agent-smtp"));
        assertEquals(Map.of(MailSettings.HOST, "agent-smtp"), env);
    }

    @Test
    void theSetupResolvesRelativePathsAgainstTheWorkspace(@TempDir Path ws) {
        EngineSetup s = new EngineSetup(" ", "db/runs.db", "tools/trainchain");
        assertEquals(ws.resolve("db/runs.db"), s.store(ws));
        assertEquals(ws.resolve("tools/trainchain/dockerfiles"), s.dockerfiles(ws));
        assertEquals(ws.resolve("tools/trainchain/lib/trainer"), s.trainerDist(ws), "no build output: the install's");
        assertEquals(ws.resolve("dockerfiles"), new EngineSetup(null, null, null).dockerfiles(ws));
    }
}

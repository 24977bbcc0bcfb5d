package io.trainchain.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.chain.ChainRequest;
import io.trainchain.engine.chain.ChainResult;
import io.trainchain.engine.chain.ChainSettings;
import io.trainchain.engine.chain.MergeSettings;
import io.trainchain.engine.chain.TrainingParams;
import io.trainchain.engine.config.ProjectConfig;
import io.trainchain.engine.detect.Detection;
import io.trainchain.engine.detect.Evidence;
import io.trainchain.engine.detect.Framework;
import io.trainchain.engine.docker.BaseImage;
import io.trainchain.engine.docker.BuildTrainingImage;
import io.trainchain.engine.docker.TrainInContainer;
import io.trainchain.engine.gate.Direction;
import io.trainchain.engine.gate.GateResult;
import io.trainchain.engine.gate.GateStatus;
import io.trainchain.engine.store.RunStatus;
import io.trainchain.engine.store.StepTiming;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExitCodesAndSummaryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static ChainResult result(GateResult gate, RunStatus status) throws Exception {
        return result(gate, status, List.of());
    }

    static ChainResult result(GateResult gate, RunStatus status, List<io.trainchain.engine.watch.Attempt> attempts)
            throws Exception {
        ChainSettings settings = MergeSettings.merge(ChainRequest.of(Path.of("/repo"), null, Path.of("/d")),
                ProjectConfig.defaults());
        Detection detection = new Detection(Framework.DL4J, 1.0, List.of(
                new Evidence(Framework.DL4J, "pom.xml", 20, "deeplearning4j-nn", 3.0, Evidence.Kind.BUILD_DEPENDENCY),
                new Evidence(Framework.DL4J, "src/A.java", 3, "import org.deeplearning4j.nn.conf.X;", 2.0,
                        Evidence.Kind.JAVA_IMPORT)), List.of(), false);
        var epoch = JSON.readTree("{\"epoch\":1,\"val_accuracy\":0.8125,\"images_per_second\":480.2,\"seconds\":6.5}");
        Instant t = Instant.parse("2024-06-01T10:00:00Z");
        List<StepTiming> steps = List.of(
                new StepTiming("detect-framework", t, Duration.ofMillis(40), "ok"),
                new StepTiming("base-image", t, Duration.ofMillis(10), "ok"),
                new StepTiming("build-image", t, Duration.ofMillis(350), "ok"),
                new StepTiming("train", t, Duration.ofMillis(21_500), "ok"),
                new StepTiming("check-accuracy", t, Duration.ofMillis(6), "ok"));
        return new ChainResult("20240601T100000000Z-abcdef", status, settings,
                new TrainingParams("{\"epochs\":1}", null, true, 1), detection,
                new BaseImage.Result("trainchain/base-jre17:bookworm", "sha256:b", true, 0.01),
                new BuildTrainingImage.Result("sha256:img", "trainchain/train-dl4j:0123456789ab", true, 0.35, "h"),
                new TrainInContainer.Result(TrainInContainer.Outcome.SUCCEEDED, 0, false, "c", 21.5, 0.4,
                        List.of(epoch), "training finished (exit 0)"),
                gate, steps, Path.of("/runs/x"), Path.of("/runs/x/train"),
                Map.of("accuracy", 0.8123, "macro_f1", 0.8011), Path.of("/runs/x/train/model.zip"), attempts,
                null);
    }

    @Test
    void exitCodes() throws Exception {
        GateResult passed = new GateResult(GateStatus.PASSED, "accuracy", 0.81, 0.5, Direction.AT_LEAST, "ok");
        GateResult below = new GateResult(GateStatus.BELOW_THRESHOLD, "accuracy", 0.81, 0.99, Direction.AT_LEAST, "no");
        GateResult none = new GateResult(GateStatus.NO_METRIC, "f2", null, 0.5, Direction.AT_LEAST, "no metric 'f2'");
        assertEquals(0, ExitCodes.of(result(passed, RunStatus.PASSED)));
        assertEquals(1, ExitCodes.of(result(below, RunStatus.BELOW_THRESHOLD)));
        assertEquals(1, ExitCodes.of(result(none, RunStatus.FAILED)));
        assertEquals(2, ExitCodes.of(TrainchainException.Kind.BAD_INPUT));
        assertEquals(3, ExitCodes.of(TrainchainException.Kind.INFRASTRUCTURE));
        assertEquals(3, ExitCodes.of(TrainchainException.Kind.INTERNAL));
    }

    @Test
    void summaryTableHasStepsFrameworkImageEpochsMetricsGateRunAndModel() throws Exception {
        GateResult passed = new GateResult(GateStatus.PASSED, "accuracy", 0.8123, 0.5, Direction.AT_LEAST, "ok");
        String s = RunSummary.render(result(passed, RunStatus.PASSED), Path.of("/db/runs.db"));
        List<String> expected = List.of(
                "  detect-framework       0.04 s",
                "  build-image            0.35 s",
                "  train                 21.50 s",
                "  total                 21.91 s",
                "  framework  Deeplearning4j (2 evidence)",
                "  image      trainchain/train-dl4j:0123456789ab (cached)",
                "  epochs     1 (last val_accuracy 0.8125)",
                "  test       accuracy 0.8123, macro F1 0.8011",
                "  gate       PASSED: accuracy 0.8123 >= 0.50",
                "  run        20240601T100000000Z-abcdef (PASSED, store /db/runs.db)",
                "  model      /runs/x/train/model.zip");
        for (String line : expected) {
            assertTrue(s.lines().anyMatch(line::equals), "missing line '" + line + "' in\n" + s);
        }
        GateResult below = new GateResult(GateStatus.BELOW_THRESHOLD, "accuracy", 0.8123, 0.99, Direction.AT_LEAST, "");
        assertEquals("BELOW_THRESHOLD: accuracy 0.8123 < 0.99", RunSummary.verdict(below));
        GateResult loss = new GateResult(GateStatus.PASSED, "test_loss", 0.4, 0.5, Direction.AT_MOST, "");
        assertEquals("PASSED: test_loss 0.4000 <= 0.50", RunSummary.verdict(loss));
        GateResult none = new GateResult(GateStatus.NO_METRIC, "f2", null, 0.5, Direction.AT_LEAST, "no metric 'f2'");
        assertEquals("NO_METRIC: no metric 'f2'", RunSummary.verdict(none));
    }

    @Test
    void epochProgressLine() throws Exception {
        var m = JSON.readTree("{\"epoch\":1,\"epochs_total\":2,\"val_accuracy\":0.8512,\"val_macro_f1\":0.849,"
                + "\"images_per_second\":480.4,\"seconds\":12.34}");
        assertEquals("epoch 1/2 [##########..........] val_accuracy 0.8512 val_macro_f1 0.8490  480 images/s  12.3 s",
                ConsolePrinter.epochLine(m));
    }

    @Test
    void aRestartedTrainingSaysWhatTheWatcherDid() throws Exception {
        GateResult passed = new GateResult(GateStatus.PASSED, "accuracy", 0.8123, 0.5, Direction.AT_LEAST, "ok");
        var killed = new io.trainchain.engine.watch.Attempt(1, io.trainchain.engine.watch.ExitCause.KILLED, 137, false,
                "a", "c", 0, null, java.time.Instant.now(), 9.0, 2.3, null, null);
        var done = new io.trainchain.engine.watch.Attempt(2, io.trainchain.engine.watch.ExitCause.COMPLETED, 0, false,
                "b", "c-r1", 0, "checkpoint-epoch-0001.zip", java.time.Instant.now(), 12.0, null, null, null);
        String s = RunSummary.render(result(passed, RunStatus.PASSED, List.of(killed, done)), Path.of("/db/runs.db"));
        assertTrue(s.contains("\n  watch      1 restart: KILLED (exit 137) lost 2.3 s\n"), s);
        assertFalse(RunSummary.render(result(passed, RunStatus.PASSED), Path.of("/db/runs.db")).contains("watch"),
                "no line when nothing was restarted");
    }
}

package io.trainchain.engine.gate;

import io.trainchain.engine.TrainchainException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class CheckAccuracyTest {

    private static final String EVALUATION = """
            {"accuracy":0.8123,"macro_f1":0.7712,"loss":0.41,
             "per_class":[{"name":"T-shirt","f1":0.81}],
             "confusion_matrix":[[5,1],[0,6]],
             "class_names":["T-shirt","Trouser"],
             "dataset":{"name":"fashion-mnist","test_size":10000},
             "params":{"lr":0.001}}
            """;

    @TempDir
    Path dir;

    private final CheckAccuracy gate = new CheckAccuracy();

    private Path write(String json) throws IOException {
        return Files.writeString(dir.resolve("evaluation.json"), json);
    }

    @Test
    void passesWithTheDefaultGate() throws IOException {
        GateResult r = gate.check(write(EVALUATION), GateSpec.defaults());
        assertEquals(GateStatus.PASSED, r.status());
        assertTrue(r.passed());
        assertEquals(0.8123, r.value());
        assertEquals("accuracy", r.metric());
        assertEquals("accuracy 0.8123 ≥ 0.80: passed", r.message());
    }

    @Test
    void belowTheGateIsAResultNotAnException() throws IOException {
        GateResult r = gate.check(write(EVALUATION), new GateSpec("macro_f1", 0.85, Direction.AT_LEAST));
        assertEquals(GateStatus.BELOW_THRESHOLD, r.status());
        assertEquals(0.7712, r.value());
        assertEquals("macro_f1 0.7712 < 0.85: below threshold", r.message());
    }

    @Test
    void exactlyAtTheThresholdPasses() throws IOException {
        GateResult r = gate.check(write("{\"accuracy\":0.8}"), GateSpec.defaults());
        assertEquals(GateStatus.PASSED, r.status());
    }

    @Test
    void aValueThatRoundsToTheThresholdIsShownWithAllItsDigits() throws IOException {
        GateResult r = gate.check(write("{\"accuracy\":0.79999}"), GateSpec.defaults());
        assertEquals(GateStatus.BELOW_THRESHOLD, r.status());
        assertEquals("accuracy 0.79999 < 0.80: below threshold", r.message());
    }

    @Test
    void lossesPassAtMost() throws IOException {
        Path file = write(EVALUATION);
        GateResult ok = gate.check(file, new GateSpec("loss", 0.5, Direction.AT_MOST));
        assertEquals(GateStatus.PASSED, ok.status());
        assertEquals("loss 0.4100 ≤ 0.50: passed", ok.message());
        GateResult bad = gate.check(file, new GateSpec("loss", 0.3, Direction.AT_MOST));
        assertEquals(GateStatus.BELOW_THRESHOLD, bad.status());
        assertEquals("loss 0.4100 > 0.30: below threshold", bad.message());
    }

    @Test
    void dottedPathsReachNestedNumbers() throws IOException {
        Path file = write(EVALUATION);
        GateResult nested = gate.check(file, new GateSpec("per_class.0.f1", 0.8, Direction.AT_LEAST));
        assertEquals(GateStatus.PASSED, nested.status());
        assertEquals(0.81, nested.value());
        GateResult size = gate.check(file, new GateSpec("dataset.test_size", 5000, Direction.AT_LEAST));
        assertEquals(10000.0, size.value());
    }

    @Test
    void missingFileIsNoMetricNamingTheFile() {
        Path missing = dir.resolve("nope/evaluation.json");
        GateResult r = gate.check(missing, GateSpec.defaults());
        assertEquals(GateStatus.NO_METRIC, r.status());
        assertNull(r.value());
        assertTrue(r.message().contains(missing.toString()), r.message());
        assertTrue(r.message().contains("evaluate step"), r.message());
    }

    @Test
    void unparsableFileIsNoMetricNamingTheFileAndPosition() throws IOException {
        Path file = write("{\"accuracy\": 0.9,\n \"macro_f1\": }");
        GateResult r = gate.check(file, GateSpec.defaults());
        assertEquals(GateStatus.NO_METRIC, r.status());
        assertTrue(r.message().contains(file + ":2:"), r.message());
        assertTrue(r.message().contains("not valid JSON"), r.message());
    }

    @Test
    void nonObjectRootIsNoMetric() throws IOException {
        GateResult r = gate.check(write("[0.9]"), GateSpec.defaults());
        assertEquals(GateStatus.NO_METRIC, r.status());
        assertTrue(r.message().contains("must hold a JSON object"), r.message());
    }

    @Test
    void missingMetricNamesTheKeysThatExist() throws IOException {
        GateResult r = gate.check(write(EVALUATION), new GateSpec("top5", 0.9, Direction.AT_LEAST));
        assertEquals(GateStatus.NO_METRIC, r.status());
        assertTrue(r.message().contains("no metric 'top5'"), r.message());
        assertTrue(r.message().contains("[accuracy, macro_f1, loss]"), r.message());
    }

    @Test
    void nonNumericMetricNamesTheKeyAndTheKeysThatExist() throws IOException {
        GateResult r = gate.check(write(EVALUATION), new GateSpec("class_names", 0.9, Direction.AT_LEAST));
        assertEquals(GateStatus.NO_METRIC, r.status());
        assertTrue(r.message().contains("metric 'class_names'"), r.message());
        assertTrue(r.message().contains("an array"), r.message());
        assertTrue(r.message().contains("[accuracy, macro_f1, loss]"), r.message());
        GateResult text = gate.check(write("{\"accuracy\":\"0.9\"}"), GateSpec.defaults());
        assertEquals(GateStatus.NO_METRIC, text.status());
        assertTrue(text.message().contains("a string"), text.message());
    }

    @Test
    void specIsValidated() {
        TrainchainException blank = assertThrows(TrainchainException.class,
                () -> new GateSpec(" ", 0.8, Direction.AT_LEAST));
        assertEquals(TrainchainException.Kind.BAD_INPUT, blank.kind());
        assertTrue(blank.getMessage().contains("metric is blank"), blank.getMessage());
        TrainchainException nan = assertThrows(TrainchainException.class,
                () -> new GateSpec("accuracy", Double.NaN, Direction.AT_LEAST));
        assertTrue(nan.getMessage().contains("finite"), nan.getMessage());
        assertThrows(TrainchainException.class, () -> GateSpec.defaults().withThreshold(Double.POSITIVE_INFINITY));
        assertEquals(Direction.AT_LEAST, new GateSpec("accuracy", 0.8, null).direction());
    }

    @Test
    void directionParsesCommonSpellings() {
        assertEquals(Direction.AT_MOST, Direction.parse("at-most"));
        assertEquals(Direction.AT_LEAST, Direction.parse("AT_LEAST"));
        assertEquals(Direction.AT_MOST, Direction.parse("<="));
        TrainchainException e = assertThrows(TrainchainException.class, () -> Direction.parse("up"));
        assertTrue(e.getMessage().contains("'up'"), e.getMessage());
    }
}

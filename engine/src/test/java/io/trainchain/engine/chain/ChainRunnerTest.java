package io.trainchain.engine.chain;

import io.trainchain.engine.ChainListener;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.docker.DockerConnection;
import io.trainchain.engine.docker.TrainInContainer;
import io.trainchain.engine.store.RunRecord;
import io.trainchain.engine.store.RunStatus;
import io.trainchain.engine.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Failures that happen before Docker is needed: they must be BAD_INPUT and still be recorded as FAILED runs. */
class ChainRunnerTest {
    @TempDir
    Path tmp;

    /** Bad input must be reported before the runner ever talks to Docker. */
    private static final Supplier<DockerConnection> NO_DOCKER = () -> {
        throw new AssertionError("the runner connected to Docker for a run that should fail earlier");
    };

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final ChainListener listener = new ChainListener() {
        @Override
        public void log(String step, String line) {
            events.add("log " + step + ": " + line);
        }

        @Override
        public void stepStarted(String step) {
            events.add("start " + step);
        }

        @Override
        public void stepFinished(String step, boolean success, String summary) {
            events.add("end " + step + " " + success + " " + summary);
        }
    };

    private ChainException runExpectingFailure(Path repo, RunStore store) {
        ChainRequest req = ChainRequest.of(repo, tmp.resolve("dist"), Path.of("..", "dockerfiles"));
        return assertThrows(ChainException.class, () -> new ChainRunner(NO_DOCKER).run(req, store, listener));
    }

    @Test
    void aRepositoryWithoutMlCodeIsBadInputAndRecordedAsFailed() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("plain"));
        Files.writeString(repo.resolve("Main.java"), "public class Main { }\n");
        try (RunStore store = RunStore.open(tmp.resolve("runs.db"))) {
            ChainException e = runExpectingFailure(repo, store);
            assertEquals(TrainchainException.Kind.BAD_INPUT, e.kind());
            assertTrue(e.getMessage().startsWith("no ML framework found"), e.getMessage());
            assertEquals(ChainRunner.DETECT, e.step());
            assertNotNull(e.runId());
            RunRecord run = store.getRun(e.runId()).orElseThrow();
            assertEquals(RunStatus.FAILED, run.status());
            assertTrue(run.message().startsWith("detect-framework: no ML framework found"), run.message());
            assertEquals(1, run.steps().size());
            assertTrue(run.steps().get(0).outcome().startsWith("failed: no ML framework"), run.steps().get(0).outcome());
            assertEquals(List.of("start detect-framework"), events.subList(0, 1));
            assertTrue(events.get(events.size() - 1).startsWith("end detect-framework false no ML framework"),
                    events.toString());
        }
    }

    @Test
    void anInvalidTrainchainYamlIsBadInputWithTheLine() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("yaml"));
        Files.writeString(repo.resolve("train.py"), "import torch\n");
        Files.writeString(repo.resolve("trainchain.yaml"), "framework: dl4j\nepoch: 2\n");
        try (RunStore store = RunStore.open(tmp.resolve("runs.db"))) {
            ChainException e = runExpectingFailure(repo, store);
            assertEquals(TrainchainException.Kind.BAD_INPUT, e.kind());
            assertTrue(e.getMessage().contains("trainchain.yaml:2: key 'epoch' is not known"), e.getMessage());
            assertEquals(RunStatus.FAILED, store.getRun(e.runId()).orElseThrow().status());
        }
    }

    @Test
    void installIsRefusedForCodeThatIsNotPython() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("dl4j-install"));
        Files.writeString(repo.resolve("Train.java"), "import org.deeplearning4j.nn.conf.NeuralNetConfiguration;\n");
        Files.writeString(repo.resolve("trainchain.yaml"), "install: true\n");
        try (RunStore store = RunStore.open(tmp.resolve("runs.db"))) {
            ChainException e = runExpectingFailure(repo, store);
            assertEquals(TrainchainException.Kind.BAD_INPUT, e.kind());
            assertTrue(e.getMessage().endsWith("trainchain.yaml: install (pip at build time) is for Python code, but "
                    + "this repository trains with Deeplearning4j; remove install"), e.getMessage());
        }
    }

    @Test
    void aFrameworkWithoutRecipeIsBadInput() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("tf"));
        Files.writeString(repo.resolve("train.py"), "import tensorflow as tf\n");
        try (RunStore store = RunStore.open(tmp.resolve("runs.db"))) {
            ChainException e = runExpectingFailure(repo, store);
            assertEquals(TrainchainException.Kind.BAD_INPUT, e.kind());
            assertTrue(e.getMessage().contains("TensorFlow/Keras code found, but there is no TensorFlow image recipe"),
                    e.getMessage());
            assertEquals("tensorflow", store.getRun(e.runId()).orElseThrow().framework());
        }
    }

    @Test
    void aMissingDatasetFolderIsBadInputAfterTheRunStarted() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("dl4j"));
        Files.writeString(repo.resolve("Train.java"), "import org.deeplearning4j.nn.conf.NeuralNetConfiguration;\n");
        try (RunStore store = RunStore.open(tmp.resolve("runs.db"))) {
            ChainRequest req = ChainRequest.of(repo, tmp.resolve("dist"), Path.of("..", "dockerfiles"))
                    .withData(tmp.resolve("no-such-data"), null);
            ChainException e = assertThrows(ChainException.class,
                    () -> new ChainRunner(NO_DOCKER).run(req, store, listener));
            assertEquals(TrainchainException.Kind.BAD_INPUT, e.kind());
            assertTrue(e.getMessage().contains("no-such-data (" ), e.getMessage());
            assertTrue(e.getMessage().contains("from command line) does not exist"), e.getMessage());
            RunRecord run = store.getRun(e.runId()).orElseThrow();
            assertEquals("dl4j", run.framework());
            assertEquals(tmp.resolve("runs").resolve(e.runId()), e.outputDir());
        }
    }
}

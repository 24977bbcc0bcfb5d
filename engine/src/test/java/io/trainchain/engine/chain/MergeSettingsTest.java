package io.trainchain.engine.chain;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.config.Dataset;
import io.trainchain.engine.config.Limits;
import io.trainchain.engine.config.ProjectConfig;
import io.trainchain.engine.docker.TrainInContainer;
import io.trainchain.engine.gate.Direction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Command line over trainchain.yaml over defaults, field by field. */
class MergeSettingsTest {
    @TempDir
    Path repo;

    private ProjectConfig yaml(String text) throws Exception {
        Files.writeString(repo.resolve("p.json"), "{\"epochs\": 3}");
        Files.writeString(repo.resolve("trainchain.yaml"), text);
        return ProjectConfig.load(repo);
    }

    private ChainRequest request() {
        return ChainRequest.of(repo, null, repo.resolve("dockerfiles"));
    }

    @Test
    void defaultsWhenNeitherCommandLineNorFileSaysAnything() {
        ChainSettings s = MergeSettings.merge(request(), ProjectConfig.defaults());
        assertEquals(Dataset.FASHION_MNIST, s.dataset().name());
        assertEquals(Path.of("/usr/share/datasets/fashion-mnist"), s.dataDir());
        assertNull(s.paramsFile());
        assertNull(s.epochs());
        assertNull(s.limit());
        assertEquals("accuracy", s.gate().metric());
        assertEquals(0.80, s.gate().threshold());
        assertEquals(TrainInContainer.Limits.DEFAULT, s.containerLimits());
        assertEquals("trainchain/base-jre17:bookworm", s.baseImage());
        assertEquals(ChainSettings.DEFAULT, s.origin("gate.threshold"));
        assertEquals(ChainSettings.DEFAULT, s.origin("limits.memory"));
    }

    @Test
    void fileWinsOverDefaults() throws Exception {
        ProjectConfig cfg = yaml("""
                dataset: data/mine
                params: p.json
                epochs: 4
                limit: 500
                gate: {metric: macro_f1, threshold: 0.7, direction: at_least}
                limits: {memory: 3g, cpus: 1.5, pids: 100}
                """);
        ChainSettings s = MergeSettings.merge(request(), cfg);
        assertEquals(repo.resolve("data/mine").normalize(), s.dataDir());
        assertEquals(repo.resolve("p.json").toAbsolutePath().normalize(), s.paramsFile());
        assertEquals(4, s.epochs());
        assertEquals(500, s.limit());
        assertEquals("macro_f1", s.gate().metric());
        assertEquals(0.7, s.gate().threshold());
        assertEquals(new TrainInContainer.Limits(3L << 30, 1.5, 100, 256L << 20), s.containerLimits());
        assertEquals(ChainSettings.FILE, s.origin("gate.metric"));
        assertEquals(ChainSettings.FILE, s.origin("limits.cpus"));
        assertEquals(ChainSettings.FILE, s.origin("epochs"));
    }

    @Test
    void commandLineWinsOverTheFileFieldByField() throws Exception {
        ProjectConfig cfg = yaml("""
                dataset: fashion-mnist
                params: p.json
                epochs: 4
                limit: 500
                gate: {metric: macro_f1, threshold: 0.7}
                limits: {memory: 3g, cpus: 1.5}
                """);
        Path data = Files.createDirectories(repo.resolve("other-data"));
        Path params = Files.writeString(repo.resolve("cli.json"), "{}");
        ChainRequest req = request()
                .withData(data, params)
                .withImages(1000, 1)
                .withGate(new GateOverride(null, 0.9, Direction.AT_LEAST))
                .withContainer(new Limits("1g", 1L << 30, null, 64), "my/jre:17", true);
        ChainSettings s = MergeSettings.merge(req, cfg);
        assertEquals(data, s.dataDir());
        assertEquals(params, s.paramsFile());
        assertEquals(1, s.epochs());
        assertEquals(1000, s.limit());
        assertEquals("macro_f1", s.gate().metric(), "metric kept from the file");
        assertEquals(0.9, s.gate().threshold(), "threshold from the command line");
        assertEquals(1L << 30, s.containerLimits().memoryBytes());
        assertEquals(1.5, s.containerLimits().cpus(), "cpus kept from the file");
        assertEquals(64, s.containerLimits().pids());
        assertEquals("my/jre:17", s.baseImage());
        assertEquals(ChainSettings.CLI, s.origin("gate.threshold"));
        assertEquals(ChainSettings.FILE, s.origin("gate.metric"));
        assertEquals(ChainSettings.CLI, s.origin("dataset"));
        assertEquals(ChainSettings.FILE, s.origin("limits.cpus"));
    }

    @Test
    void builtinDatasetWithoutAFolderIsBadInputNamingTheFile() throws Exception {
        ProjectConfig cfg = yaml("dataset: cifar10\n");
        TrainchainException e = assertThrows(TrainchainException.class, () -> MergeSettings.merge(request(), cfg));
        assertEquals(TrainchainException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().contains("trainchain.yaml: dataset 'cifar10' has no built-in folder"), e.getMessage());
        assertTrue(e.getMessage().contains("--data DIR"), e.getMessage());
    }

    @Test
    void impossibleLimitsAreBadInput() {
        ChainRequest req = request().withContainer(new Limits("1k", 1024L, null, null), null, false);
        TrainchainException e = assertThrows(TrainchainException.class,
                () -> MergeSettings.merge(req, ProjectConfig.defaults()));
        assertEquals(TrainchainException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().contains("at least 6 MB"), e.getMessage());
        TrainchainException epochs = assertThrows(TrainchainException.class,
                () -> MergeSettings.merge(request().withImages(null, 0), ProjectConfig.defaults()));
        assertTrue(epochs.getMessage().contains("--epochs is 0"), epochs.getMessage());
    }

    @Test
    void memorySizesParseLikeDocker() {
        assertEquals(2L << 30, Limits.parseMemory("2g", "--memory"));
        assertEquals(512L << 20, Limits.parseMemory("512m", "--memory"));
        assertEquals(3L << 29, Limits.parseMemory("1.5G", "--memory"));
        TrainchainException e = assertThrows(TrainchainException.class, () -> Limits.parseMemory("lots", "--memory"));
        assertTrue(e.getMessage().contains("--memory is \"lots\""), e.getMessage());
    }

    @Test
    void watchSettingsMergeFieldByFieldAndBecomeThePolicyAndTheTrainersCheckpointOptions() throws Exception {
        ProjectConfig file = yaml("watch:\n  restarts: 5\n  backoff: 2s\n  hot_standby: true\ncheckpoint:\n"
                + "  every_minutes: 10\n");
        ChainRequest cli = request().withWatch(new io.trainchain.engine.config.WatchOptions(1, null, null, null, 1.5,
                null, null, 2, null, null));
        ChainSettings s = MergeSettings.merge(cli, file);
        assertEquals(1, s.watch().maxRestarts(), "the command line wins");
        assertEquals(java.time.Duration.ofSeconds(2), s.watch().backoff(), "the file fills what the command line left");
        assertEquals(1.5, s.watch().oomMemoryFactor());
        assertTrue(s.watch().hotStandby(), "from the file");
        assertFalse(MergeSettings.merge(request().withWatch(new io.trainchain.engine.config.WatchOptions(null, null,
                null, null, null, null, null, null, null, false)), file).watch().hotStandby(), "--no-hot-standby");
        assertEquals(io.trainchain.engine.watch.WatchPolicy.DEFAULT.daemonDeadline(), s.watch().daemonDeadline());
        assertEquals(java.util.List.of("--checkpoint-every-epochs", "2", "--checkpoint-every-minutes", "10"),
                s.checkpointArgs());
        assertEquals(ChainSettings.CLI + " + " + ChainSettings.FILE, s.origin("watch"));

        ChainSettings none = MergeSettings.merge(request(), ProjectConfig.defaults());
        assertEquals(io.trainchain.engine.watch.WatchPolicy.DEFAULT, none.watch(), "watched by default: 3 restarts");
        assertEquals(java.util.List.of(), none.checkpointArgs(), "the trainer's default: every epoch");

        TrainchainException bad = assertThrows(TrainchainException.class, () -> MergeSettings.merge(request()
                .withWatch(new io.trainchain.engine.config.WatchOptions(null, null, 0.5, null, null, null, null,
                        null, null, null)), ProjectConfig.defaults()));
        assertTrue(bad.getMessage().contains("watch settings (from command line): restart backoff factor is 0.5"),
                bad.getMessage());
    }

    @Test
    void aParamsFileOnTheCommandLineWinsOverInlineParamsKeyByKey() throws Exception {
        ProjectConfig cfg = yaml("params: {epochs: 2, lr: 0.002, train_size: 0}\n");
        Path mine = Files.writeString(repo.resolve("mine.json"), "{\"epochs\": 1, \"train_size\": 3000}");
        ChainSettings s = MergeSettings.merge(request().withData(null, mine), cfg);
        TrainingParams p = TrainingParams.resolve(s);
        assertEquals("{\"epochs\":1,\"train_size\":3000,\"lr\":0.002}", p.json(), "the file's keys, then the rest");
        assertEquals(1, p.epochs());
        assertEquals(ChainSettings.CLI + " + " + ChainSettings.FILE, s.origin("params"));
    }
}

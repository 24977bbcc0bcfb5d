package io.trainchain.engine.config;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.detect.Framework;
import io.trainchain.engine.gate.Direction;
import io.trainchain.engine.gate.GateSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class ProjectConfigTest {

    @TempDir
    Path repo;

    private ProjectConfig load(String yaml) throws IOException {
        Files.writeString(repo.resolve("trainchain.yaml"), yaml);
        return ProjectConfig.load(repo);
    }

    private TrainchainException fails(String yaml) throws IOException {
        Files.writeString(repo.resolve("trainchain.yaml"), yaml);
        TrainchainException e = assertThrows(TrainchainException.class, () -> ProjectConfig.load(repo));
        assertEquals(TrainchainException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith(repo.resolve("trainchain.yaml").toString()), e.getMessage());
        return e;
    }

    @Test
    void noFileMeansDefaults() {
        ProjectConfig c = ProjectConfig.load(repo);
        assertTrue(c.framework().isEmpty());
        assertTrue(c.dataset().isEmpty());
        assertEquals(GateSpec.defaults(), c.gate());
        assertEquals(Limits.NONE, c.limits());
        assertTrue(c.epochs().isEmpty());
        assertNull(c.source());
    }

    @Test
    void emptyFileMeansDefaults() throws IOException {
        ProjectConfig c = load("# nothing yet\n");
        assertEquals(GateSpec.defaults(), c.gate());
        assertEquals(repo.resolve("trainchain.yaml"), c.source());
    }

    @Test
    void readsEveryKey() throws IOException {
        ProjectConfig c = load("""
                framework: PyTorch
                dataset: fashion-mnist
                params: {lr: 0.01, batch_size: 64, layers: [128, 64]}
                gate:
                  metric: macro_f1
                  threshold: 0.85
                  direction: at_least
                limits:
                  memory: 2g
                  cpus: 1.5
                  pids: 256
                limit: 2000
                epochs: 3
                """);
        assertEquals(Framework.PYTORCH, c.framework().orElseThrow());
        assertEquals(new Dataset(Dataset.Kind.BUILTIN, "fashion-mnist", null), c.dataset().orElseThrow());
        assertEquals(0.01, c.params().get("lr"));
        assertEquals(64, c.params().get("batch_size"));
        assertEquals(java.util.List.of(128, 64), c.params().get("layers"));
        assertTrue(c.paramsFile().isEmpty());
        assertEquals(new GateSpec("macro_f1", 0.85, Direction.AT_LEAST), c.gate());
        assertEquals(new Limits("2g", 2L << 30, 1.5, 256), c.limits());
        assertEquals(2000, c.limit().getAsInt());
        assertEquals(3, c.epochs().getAsInt());
    }

    @Test
    void datasetPathAndParamsFileResolveAgainstTheRepository() throws IOException {
        Files.createDirectories(repo.resolve("conf"));
        Files.writeString(repo.resolve("conf/params.json"), "{\"lr\": 0.1}");
        ProjectConfig c = load("dataset: data/images\nparams: conf/params.json\nlimit: {images: 500}\n"
                + "gate: {metric: loss, threshold: 0.3, direction: at_most}\n");
        Dataset d = c.dataset().orElseThrow();
        assertEquals(Dataset.Kind.PATH, d.kind());
        assertEquals(repo.resolve("data/images"), d.path());
        assertEquals(repo.toAbsolutePath().resolve("conf/params.json"), c.paramsFile().orElseThrow());
        assertEquals(Map.of(), c.params());
        assertEquals(500, c.limit().getAsInt());
        assertEquals(Direction.AT_MOST, c.gate().direction());
        assertEquals("cifar10", load("dataset: CIFAR-10\n").dataset().orElseThrow().name());
    }

    @Test
    void unknownKeyNamesTheKeyTheLineAndTheAllowedKeys() throws IOException {
        TrainchainException e = fails("framework: dl4j\nepoch: 2\n");
        assertTrue(e.getMessage().contains("trainchain.yaml:2: key 'epoch' is not known"), e.getMessage());
        assertTrue(e.getMessage().contains("framework, dataset, params, gate, limits, limit, epochs"), e.getMessage());
    }

    @Test
    void unknownNestedKeyNamesItsParent() throws IOException {
        TrainchainException e = fails("gate:\n  metric: accuracy\n  treshold: 0.9\n");
        assertTrue(e.getMessage().contains(":3: key 'gate.treshold' is not known; allowed keys under 'gate': "
                + "metric, threshold, direction"), e.getMessage());
    }

    @Test
    void wrongTypesNameTheKeyTheValueAndTheExpectedType() throws IOException {
        TrainchainException epochs = fails("epochs: ten\n");
        assertTrue(epochs.getMessage().contains(":1: 'epochs' is \"ten\" (a string) but must be a positive whole number"),
                epochs.getMessage());
        TrainchainException threshold = fails("gate:\n  threshold: high\n");
        assertTrue(threshold.getMessage().contains(":2: 'gate.threshold' is \"high\" (a string) but must be a number"),
                threshold.getMessage());
        TrainchainException negative = fails("epochs: -1\n");
        assertTrue(negative.getMessage().contains("'epochs' is -1 (a whole number)"), negative.getMessage());
        TrainchainException memory = fails("limits:\n  memory: lots\n");
        assertTrue(memory.getMessage().contains(":2: limits.memory is \"lots\""), memory.getMessage());
        TrainchainException limits = fails("limits: 4\n");
        assertTrue(limits.getMessage().contains("'limits' is 4 (a whole number) but must be a mapping"), limits.getMessage());
        TrainchainException params = fails("params: 3\n");
        assertTrue(params.getMessage().contains("'params' is 3"), params.getMessage());
    }

    @Test
    void unknownFrameworkSaysWhichOnesExist() throws IOException {
        TrainchainException e = fails("dataset: cifar10\nframework: caffe\n");
        assertTrue(e.getMessage().contains(":2: framework 'caffe' is not known; use one of dl4j, pytorch, tensorflow, sklearn"),
                e.getMessage());
    }

    @Test
    void invalidGateValuesAreReportedWithTheirLine() throws IOException {
        TrainchainException e = fails("epochs: 1\ngate:\n  direction: sideways\n");
        assertTrue(e.getMessage().contains(":2: gate direction 'sideways' is not known"), e.getMessage());
        TrainchainException blank = fails("gate: {metric: ''}\n");
        assertTrue(blank.getMessage().contains("gate metric is blank"), blank.getMessage());
    }

    @Test
    void paramsFileMustExistAndStayInsideTheRepository() throws IOException {
        TrainchainException missing = fails("params: nope.json\n");
        assertTrue(missing.getMessage().contains("params file 'nope.json' does not exist"), missing.getMessage());
        TrainchainException outside = fails("params: ../secrets.json\n");
        assertTrue(outside.getMessage().contains("must be a path inside the repository"), outside.getMessage());
    }

    @Test
    void syntaxErrorsAndNonMappingsAreBadInput() throws IOException {
        TrainchainException syntax = fails("gate: {metric: accuracy\nepochs: 2\n");
        assertTrue(syntax.getMessage().contains("not valid YAML"), syntax.getMessage());
        TrainchainException list = fails("- framework\n- dl4j\n");
        assertTrue(list.getMessage().contains("must be a mapping"), list.getMessage());
        TrainchainException dup = fails("epochs: 1\nepochs: 2\n");
        assertTrue(dup.getMessage().contains("not valid YAML"), dup.getMessage());
    }

    @Test
    void yamlTagsThatCouldInstantiateClassesAreRefused() throws IOException {
        TrainchainException e = fails("params: !!java.io.File {}\n");
        assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
    }

    @Test
    void watchAndCheckpointSectionsAreReadWithUnitsAndChecked() throws IOException {
        ProjectConfig c = load("""
                watch:
                  restarts: 5
                  backoff: 250ms
                  backoff_factor: 3
                  max_backoff: 1m
                  oom_memory_factor: 1.5
                  oom_memory_cap: 6g
                  daemon_deadline: 90
                  hot_standby: true
                checkpoint:
                  every_epochs: 2
                  every_minutes: 0.5
                """);
        WatchOptions w = c.watch();
        assertEquals(5, w.restarts());
        assertEquals(java.time.Duration.ofMillis(250), w.backoff());
        assertEquals(3.0, w.backoffFactor());
        assertEquals(java.time.Duration.ofMinutes(1), w.maxBackoff());
        assertEquals(1.5, w.oomMemoryFactor());
        assertEquals(6L << 30, w.oomMemoryCapBytes());
        assertEquals(java.time.Duration.ofSeconds(90), w.daemonDeadline(), "a bare number is seconds");
        assertEquals(true, w.hotStandby());
        assertEquals(2, w.checkpointEveryEpochs());
        assertEquals(0.5, w.checkpointEveryMinutes());
        assertEquals(WatchOptions.NONE, ProjectConfig.load(repo.resolve("..")).watch(), "no file: nothing set");
    }

    @Test
    void badWatchValuesNameTheKeyAndLine() throws IOException {
        assertTrue(fails("epochs: 2\nwatch:\n  restarts: -1\n").getMessage()
                .contains("trainchain.yaml:3: 'watch.restarts' is -1 (a whole number) but must be a whole number from 0"));
        assertTrue(fails("watch:\n  backoff: soon\n").getMessage()
                .contains(":2: watch.backoff is \"soon\" but must be a duration such as 100ms"));
        assertTrue(fails("watch:\n  restart: 3\n").getMessage()
                .contains("key 'watch.restart' is not known; allowed keys under 'watch': restarts, backoff"));
        assertTrue(fails("watch:\n  oom_memory_factor: 0.5\n").getMessage()
                .contains("'watch.oom_memory_factor' is 0.5"));
        assertTrue(fails("checkpoint:\n  every_minutes: 0\n").getMessage()
                .contains(":2: 'checkpoint.every_minutes' is 0 (a whole number) but must be a positive number of minutes"));
        assertTrue(fails("watch:\n  hot_standby: yes please\n").getMessage()
                .contains(":2: 'watch.hot_standby' is \"yes please\""), fails("watch:\n  hot_standby: 1\n").getMessage());
        assertTrue(fails("checkpoint: 5\n").getMessage().contains("'checkpoint' is 5 (a whole number) but must be a "
                + "mapping of every_epochs/every_minutes"));
    }

    @Test
    void pythonScriptKeysAreReadAndEachBadOneNamesTheKeyAndLine() throws IOException {
        ProjectConfig c = load("""
                entrypoint: src/train.py
                args: ["--lr", "{lr}", 3]
                data_path: ../data/MNIST/raw
                metrics:
                  - {name: accuracy, regex: 'Accuracy: (\\d+)%', scale: 0.01}
                  - {name: loss, regex: 'loss ([0-9.]+)', per: epoch}
                  - {name: f1, file: out/f1.txt}
                model_path: model.pt
                """);
        ScriptConfig s = c.script();
        assertEquals("src/train.py", s.entrypoint().orElseThrow());
        assertEquals(List.of("--lr", "{lr}", "3"), s.args().orElseThrow());
        assertEquals("../data/MNIST/raw", s.dataPath().orElseThrow());
        assertEquals(3, s.metrics().size());
        assertEquals(ScriptConfig.Per.EPOCH, s.metrics().get(1).per());
        assertEquals("out/f1.txt", s.metrics().get(2).file());
        assertTrue(s.isTemplate());

        assertTrue(fails("metrics:\n  - {name: acc, regex: 'Accuracy: (\\d+'}\n").getMessage()
                .contains(":1: metrics[1].regex 'Accuracy: (\\d+' does not compile: Unclosed group"));
        assertTrue(fails("metrics:\n  - {name: acc, regex: 'Accuracy: \\d+'}\n").getMessage()
                .contains("has no group: put the number in parentheses"));
        assertTrue(fails("metrics:\n  - {name: acc}\n").getMessage().contains("needs a regex"));
        assertTrue(fails("metrics:\n  - {name: acc, file: a.txt, per: epoch}\n").getMessage()
                .contains("reads a file: it can only be per: final"));
        assertTrue(fails("entrypoint: /etc/passwd\n").getMessage().contains("must be a relative path inside the "
                + "repository"));
        assertTrue(fails("data_path: ../../x\n").getMessage().contains("at most one level up"));
        assertTrue(fails("args: --lr 3\n").getMessage().contains("'args' is \"--lr 3\""));
    }

    @Test
    void installIsTrueOrAnIndexAndWheelsWithoutCredentialsInTheMessageOrTheImage() throws IOException {
        assertEquals(Optional.of(PipInstall.DEFAULT_INDEX), load("install: true\n").script().install());
        assertEquals(Optional.empty(), load("install: false\n").script().install());
        PipInstall p = load("install: {index_url: 'https://pypi.example.com/simple', find_links: wheels/}\n")
                .script().install().orElseThrow();
        assertEquals("https://pypi.example.com/simple", p.indexUrl().orElseThrow().toString());
        assertEquals("wheels", p.findLinks().orElseThrow());
        assertTrue(p.usesIndex());
        assertFalse(load("install: {find_links: wheels}\n").script().install().orElseThrow().usesIndex(),
                "wheels alone: offline");

        String withSecret = fails("install: {index_url: 'https://bob:s3cret@pypi.example.com/simple'}\n")
                .getMessage();
        assertTrue(withSecret.contains(":1: install.index_url carries credentials"), withSecret);
        assertFalse(withSecret.contains("s3cret") || withSecret.contains("bob"), withSecret);
        String asString = fails("install: 'https://bob:s3cret@pypi.example.com/simple'\n").getMessage();
        assertTrue(asString.contains("'install' is a string but must be true or a mapping"), asString);
        assertFalse(asString.contains("s3cret"), asString);
        assertFalse(fails("install: {index_url: 'ftp://bob:s3cret@host/x'}\n").getMessage().contains("s3cret"));
        assertTrue(fails("install: {index_url: 'ftp://host/simple'}\n").getMessage()
                .contains("install.index_url 'ftp://host/simple' must be an http(s) URL"));
        assertTrue(fails("install: {find_links: ../wheels}\n").getMessage()
                .contains("install.find_links '../wheels' must be a relative path inside the repository"));
        assertTrue(fails("install: {index: x}\n").getMessage().contains("key 'install.index' is not known; allowed "
                + "keys under 'install': index_url, find_links"));
        assertTrue(fails("install: [a]\n").getMessage().contains("'install' is [a] (a list) but must be true, or a "
                + "mapping"));
    }

    @Test
    void theGateKeysTheFileSetsAreKnownEvenWhenTheyRepeatTheDefaults() throws IOException {
        assertEquals(Set.of("metric", "threshold"), load("gate: {metric: accuracy, threshold: 0.80}\n").gateKeys());
        assertEquals(Set.of(), load("epochs: 2\n").gateKeys());
        assertEquals(Set.of(), ProjectConfig.defaults().gateKeys());
    }
}

package io.trainchain.cli;

import io.trainchain.engine.chain.ChainRequest;
import io.trainchain.engine.chain.ChainSettings;
import io.trainchain.engine.chain.MergeSettings;
import io.trainchain.engine.config.ProjectConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `trainchain run` without Docker: option parsing, merging with trainchain.yaml, bad input before any container. */
class RunCommandTest {
    @TempDir
    Path tmp;

    private RunCommand parse(String... args) {
        RunCommand cmd = new RunCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd;
    }

    @Test
    void optionsWinOverTrainchainYamlWhichWinsOverDefaults() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        Files.writeString(repo.resolve("trainchain.yaml"), """
                epochs: 3
                limit: 500
                gate: {metric: macro_f1, threshold: 0.7}
                limits: {memory: 3g, pids: 100}
                """);
        ChainRequest req = parse(repo.toString(), "--threshold", "0.9", "--memory", "1g", "--epochs", "1").request();
        ChainSettings s = MergeSettings.merge(req, ProjectConfig.load(repo));
        assertEquals(0.9, s.gate().threshold(), "option");
        assertEquals("macro_f1", s.gate().metric(), "trainchain.yaml");
        assertEquals(1L << 30, s.containerLimits().memoryBytes(), "option");
        assertEquals(100, s.containerLimits().pids(), "trainchain.yaml");
        assertEquals(2.0, s.containerLimits().cpus(), "default");
        assertEquals(1, s.epochs(), "option");
        assertEquals(500, s.limit(), "trainchain.yaml");
        assertEquals("trainchain/base-jre17:bookworm", s.baseImage(), "default");
    }

    @Test
    void withoutOptionsTheRequestLeavesEverythingToTheFile() {
        ChainRequest req = parse().request();
        assertEquals(Path.of("."), req.repository());
        assertNull(req.gate().threshold());
        assertNull(req.limits().memoryBytes());
        assertNull(req.epochs());
        assertNull(req.baseImage());
        assertTrue(req.dockerfilesRoot().endsWith("dockerfiles"));
    }

    @Test
    void aRepositoryWithoutMlCodeExitsTwoWithTheMessage() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("plain"));
        Files.writeString(repo.resolve("README.md"), "no code here\n");
        Path db = tmp.resolve("runs.db");
        TrainCommandIT.Result r = TrainCommandIT.run("run", repo.toString(), "--store", db.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("> detect-framework"), r.out());
        assertTrue(r.out().contains("< detect-framework FAILED"), r.out());
        assertTrue(r.err().contains("error: detect-framework failed: no ML framework found"), r.err());
        assertTrue(r.err().contains("recorded as FAILED in " + db), r.err());

        TrainCommandIT.Result runs = TrainCommandIT.run("runs", "--store", db.toString());
        assertEquals(0, runs.code(), runs.err());
        assertTrue(runs.out().lines().anyMatch(l -> l.contains("FAILED") && l.contains("...")
                || l.contains("FAILED") && l.contains("plain")), runs.out());
    }

    @Test
    void badOptionValuesExitTwoNamingTheOption() {
        TrainCommandIT.Result memory = TrainCommandIT.run("run", tmp.toString(), "--memory", "lots",
                "--store", tmp.resolve("runs.db").toString());
        assertEquals(2, memory.code());
        assertTrue(memory.err().contains("--memory is \"lots\""), memory.err());
        TrainCommandIT.Result direction = TrainCommandIT.run("run", tmp.toString(), "--direction", "upwards",
                "--store", tmp.resolve("runs.db").toString());
        assertEquals(2, direction.code());
        assertTrue(direction.err().contains("gate direction 'upwards' is not known"), direction.err());
    }

    @Test
    void runsShowOfAnUnknownIdIsBadInput() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("plain"));
        Path db = tmp.resolve("runs.db");
        TrainCommandIT.run("run", repo.toString(), "--store", db.toString());
        TrainCommandIT.Result r = TrainCommandIT.run("runs", "show", "nope", "--store", db.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no run nope in " + db), r.err());
    }

    @Test
    void watchOptionsReachThePolicyAndBadOnesAreBadInput() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        ChainRequest req = parse(repo.toString(), "--restarts", "0", "--restart-backoff", "2s",
                "--oom-memory-factor", "1.5", "--oom-memory-cap", "6g", "--daemon-deadline", "90s",
                "--checkpoint-every-minutes", "0.5").request();
        ChainSettings s = MergeSettings.merge(req, ProjectConfig.load(repo));
        assertEquals(0, s.watch().maxRestarts(), "--restarts 0 switches restarts off");
        assertEquals(java.time.Duration.ofSeconds(2), s.watch().backoff());
        assertEquals(1.5, s.watch().oomMemoryFactor());
        assertEquals(6L << 30, s.watch().oomMemoryCapBytes());
        assertEquals(java.time.Duration.ofSeconds(90), s.watch().daemonDeadline());
        assertEquals(java.util.List.of("--checkpoint-every-minutes", "0.5"), s.checkpointArgs());
        assertEquals(false, s.watch().hotStandby(), "off by default");
        assertEquals(true, MergeSettings.merge(parse(repo.toString(), "--hot-standby").request(),
                ProjectConfig.load(repo)).watch().hotStandby());

        for (String[] bad : new String[][]{{"--restarts", "-1", "--restarts is -1"},
                {"--restart-backoff", "soon", "--restart-backoff is \"soon\" but must be a duration"},
                {"--checkpoint-every-epochs", "0", "--checkpoint-every-epochs is 0"},
                {"--oom-memory-cap", "lots", "--oom-memory-cap is \"lots\""}}) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(io.trainchain.engine.TrainchainException.class,
                    () -> parse(repo.toString(), bad[0], bad[1]).request());
            assertEquals(io.trainchain.engine.TrainchainException.Kind.BAD_INPUT, e.kind());
            assertTrue(e.getMessage().contains(bad[2]), e.getMessage());
        }
    }
}

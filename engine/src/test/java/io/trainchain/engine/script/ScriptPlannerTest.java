package io.trainchain.engine.script;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.config.ProjectConfig;
import io.trainchain.engine.docker.ContainerSpec;
import io.trainchain.engine.docker.TrainInContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a Python repository's script is planned: the three modes, and each bad input named where it is. */
class ScriptPlannerTest {
    @TempDir
    Path repo;

    private ScriptPlan plan(String yaml, String params) throws IOException {
        Files.writeString(repo.resolve("trainchain.yaml"), yaml);
        ProjectConfig cfg = ProjectConfig.load(repo);
        return ScriptPlanner.plan(repo, cfg.script(), params, cfg.source());
    }

    private TrainchainException fails(String yaml, String params) {
        TrainchainException e = assertThrows(TrainchainException.class, () -> plan(yaml, params));
        assertEquals(TrainchainException.Kind.BAD_INPUT, e.kind(), e.getMessage());
        return e;
    }

    @Test
    void aScriptWrittenForTrainchainGetsTheContractAndTheLauncherAsEntrypoint() throws IOException {
        Files.writeString(repo.resolve("train.py"), "import trainchain\n");
        ScriptPlan p = plan("framework: pytorch\n", "{}");
        assertEquals(ScriptPlan.Mode.CONTRACT, p.mode());
        assertTrue(p.resumable());
        assertEquals(List.of("python3", PythonImage.LAUNCHER, "--workdir", "/work/code", "--", "python3", "train.py"),
                p.entrypoint());

        ContainerSpec contract = ContainerSpec.lockedDown("img", List.of("--data", "/data", "--out", "/out"), Map.of(),
                List.of(), TrainInContainer.Limits.DEFAULT, "1000:1000", Map.of());
        ContainerSpec spec = p.adapt(contract, repo.resolve("work"));
        assertEquals(List.of("--data", "/data", "--out", "/out"), spec.cmd(), "the contract's arguments stay");
        assertEquals(repo.resolve("work").toString(), spec.mounts().get("/work"));
        assertEquals(Boolean.TRUE, spec.host().getReadonlyRootfs(), "still locked down");
        assertEquals("none", spec.host().getNetworkMode());
    }

    @Test
    void noTrainPyOrAMissingEntrypointIsBadInputSayingWhatIsRun() throws IOException {
        assertTrue(fails("framework: pytorch\n", "{}").getMessage().contains("no train.py in " + repo
                + ": a Python repository is run through train.py, or the script named by 'entrypoint:'"));
        TrainchainException e = fails("entrypoint: src/fit.py\n", "{}");
        assertTrue(e.getMessage().contains("trainchain.yaml 'entrypoint': entrypoint 'src/fit.py' does not exist"),
                e.getMessage());
        Files.writeString(repo.resolve("run.sh"), "echo\n");
        assertTrue(fails("entrypoint: run.sh\n", "{}").getMessage().contains("is not a Python file"));
    }

    @Test
    void anEvaluateScriptRunsUnderTheContractAndAMissingOneIsNamed() throws IOException {
        Files.writeString(repo.resolve("train.py"), "import trainchain\n");
        Files.writeString(repo.resolve("evaluate.py"), "import trainchain\n");
        Files.writeString(repo.resolve("trainchain.yaml"), "framework: sklearn\ndata_path: data\nevaluate: evaluate.py\n");
        ProjectConfig cfg = ProjectConfig.load(repo);
        ScriptPlan e = ScriptPlanner.evaluation(repo, cfg.script(), cfg.source()).orElseThrow();
        assertEquals(ScriptPlan.Mode.CONTRACT, e.mode());
        assertEquals(List.of("python3", PythonImage.LAUNCHER, "--workdir", "/work/code", "--data-path", "data", "--",
                "python3", "evaluate.py"), e.entrypoint());
        Files.writeString(repo.resolve("trainchain.yaml"), "framework: sklearn\n");
        ProjectConfig none = ProjectConfig.load(repo);
        assertTrue(ScriptPlanner.evaluation(repo, none.script(), none.source()).isEmpty());

        Files.writeString(repo.resolve("trainchain.yaml"), "framework: sklearn\nevaluate: eval/score.py\n");
        ProjectConfig missing = ProjectConfig.load(repo);
        TrainchainException x = assertThrows(TrainchainException.class,
                () -> ScriptPlanner.evaluation(repo, missing.script(), missing.source()));
        assertTrue(x.getMessage().contains("trainchain.yaml 'evaluate': evaluate 'eval/score.py' does not exist in "
                + repo), x.getMessage());
    }

    @Test
    void aTemplateExpandsEachPlaceholderIntoOneArgumentAndNeedsItsParams() throws IOException {
        Files.writeString(repo.resolve("fit.py"), "print(1)\n");
        String yaml = """
                entrypoint: fit.py
                args: ["--lr", "{lr}", "--name={name}", "--epochs", "{epochs}"]
                resume_args: ["--from", "ckpt/last.pt"]
                data_path: ../data/MNIST/raw
                metrics:
                  - {name: accuracy, regex: 'Accuracy: (\\\\d+)%', scale: 0.01}
                """;
        ScriptPlan p = plan(yaml, "{\"lr\": 0.01, \"name\": \"a b; rm -rf /\", \"epochs\": 3}");
        assertEquals(ScriptPlan.Mode.TEMPLATE, p.mode());
        assertEquals(List.of("--lr", "0.01", "--name=a b; rm -rf /", "--epochs", "3"), p.args(),
                "a value is one argument, never shell text");
        assertTrue(p.resumable());
        assertEquals(List.of("--data-path", "../data/MNIST/raw", "--template", "--resume-args",
                "[\"--from\",\"ckpt/last.pt\"]"), p.launcher());
        assertEquals(0.01, p.metrics().get(0).scale());

        TrainchainException e = fails(yaml, "{\"lr\": 0.01}");
        assertTrue(e.getMessage().contains("'args': placeholder {name} in '--name={name}' has no param; params "
                + "given: lr"), e.getMessage());
        assertTrue(fails("entrypoint: fit.py\nargs: [\"-v\"]\n", "{}").getMessage()
                .contains("a script run by 'args' needs 'metrics'"));
        assertFalse(plan("entrypoint: fit.py\nargs: [\"-v\"]\nmetrics: [{name: a, regex: 'a=(\\d+)'}]\n", "{}")
                .resumable(), "no resume_args: restarted from scratch");
    }

    @Test
    void anMlprojectEntryPointIsFilledByTypeAndSplitWithoutAShell() throws IOException {
        Files.writeString(repo.resolve("train.py"), "print(1)\n");
        Files.writeString(repo.resolve("MLproject"), """
                name: demo
                conda_env: conda.yaml
                entry_points:
                  main:
                    parameters:
                      alpha: {type: float, default: 0.0001}
                      epochs: {type: int, default: 2}
                      tag: string
                    command: "python train.py --alpha {alpha} --epochs={epochs} --tag '{tag}' --note \\"two words\\""
                  other:
                    command: "python train.py"
                """);
        ScriptPlan p = plan("params: {tag: x y, extra: 7}\n", "{\"tag\": \"x y\", \"extra\": 7}");
        assertEquals(ScriptPlan.Mode.MLPROJECT, p.mode());
        assertEquals("train.py", p.script());
        assertEquals(List.of("--alpha", "0.0001", "--epochs=2", "--tag", "x y", "--note", "two words", "--extra",
                "7"), p.args(), "quotes split as a shell would, undeclared params follow as --name value");
        assertTrue(p.notes().stream().anyMatch(n -> n.startsWith("conda_env in MLproject not installed")), p.notes()
                .toString());

        TrainchainException e = fails("params: {tag: t}\n", "{\"tag\": \"t\", \"epochs\": \"many\"}");
        assertTrue(e.getMessage().contains("MLproject entry point 'main' parameter 'epochs' is an int, but its value "
                + "is 'many'"), e.getMessage());
        assertTrue(fails("params: {tag: t}\n", "{\"tag\": \"t\", \"alpha\": \"fast\"}").getMessage()
                .contains("parameter 'alpha' is a float, but its value is 'fast'"));
        assertTrue(fails("entry_point: nope\n", "{}").getMessage().contains("has no entry point 'nope' (it has main, "
                + "other)"));
        assertTrue(fails("{}\n", "{}").getMessage().contains("parameter 'tag' has no default and no value"));
    }

    @Test
    void anMlprojectCommandWithShellSyntaxIsRefused() throws IOException {
        Files.writeString(repo.resolve("train.py"), "print(1)\n");
        Files.writeString(repo.resolve("MLproject"), "entry_points:\n  main:\n    command: \"python train.py && "
                + "rm -rf /\"\n");
        assertTrue(fails("{}\n", "{}").getMessage().contains("command uses shell syntax '&&'"));
        Files.writeString(repo.resolve("MLproject"), "entry_points:\n  main:\n    parameters:\n      x: {type: "
                + "tensor}\n    command: \"python train.py\"\n");
        assertTrue(fails("{}\n", "{}").getMessage().contains("parameter 'x' has type 'tensor'; use one of float, int, "
                + "path, string, uri"));
    }
}

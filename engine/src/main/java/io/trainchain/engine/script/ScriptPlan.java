package io.trainchain.engine.script;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import io.trainchain.engine.config.ScriptConfig;
import io.trainchain.engine.docker.ContainerSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the user's Python script runs in the training container, decided before the image is built.
 *
 * @param mode      written for Trainchain (the contract), an MLproject, or an unmodified script read by rules
 * @param script    the script, relative to the repository root
 * @param args      the script's arguments: for the contract none (the engine's --data/--out/--params follow), for
 *                  the others the expanded template
 * @param resumable whether a restart can resume it (the contract's --resume, or declared resume_args)
 * @param launcher  the launcher's options (data placement, template handling)
 * @param metrics   rules that read metrics from the output or a file (template mode); empty for the contract
 * @param modelPath the model file the script leaves, relative to its working directory, when declared
 * @param notes     lines for the log (what was decided and why)
 */
public record ScriptPlan(Mode mode, String script, List<String> args, boolean resumable, List<String> launcher,
                         List<ScriptConfig.MetricRule> metrics, Optional<String> modelPath, List<String> notes) {

    public enum Mode {
        CONTRACT("written for Trainchain (train.py gets --data, --out, --params, --resume)"),
        MLPROJECT("an MLproject entry point"),
        TEMPLATE("an unmodified script, run and read as trainchain.yaml says");

        private final String meaning;

        Mode(String meaning) {
            this.meaning = meaning;
        }

        public String meaning() {
            return meaning;
        }
    }

    public ScriptPlan {
        args = List.copyOf(args);
        launcher = List.copyOf(launcher);
        metrics = List.copyOf(metrics);
        notes = List.copyOf(notes);
    }

    /** The launcher, its options and the script: the container's entrypoint (the command follows it). */
    public List<String> entrypoint() {
        List<String> e = new ArrayList<>(List.of("python3", PythonImage.LAUNCHER, "--workdir", PythonImage.WORKDIR));
        e.addAll(launcher);
        e.addAll(List.of("--", "python3", script));
        return e;
    }

    /**
     * The training container for this script: {@code contract}'s spec (the locked-down one the engine builds,
     * whose command is the engine's --data/--out/--params) with the launcher as entrypoint, the working copy
     * mounted, and, outside the contract, the script's own arguments as the command.
     */
    public ContainerSpec adapt(ContainerSpec contract, Path workDir) {
        ContainerSpec s = contract.withEntrypoint(entrypoint())
                .withBind(new Bind(workDir.toString(), new Volume(PythonImage.WORK_MOUNT), AccessMode.rw));
        return mode == Mode.CONTRACT ? s : s.withCmd(args);
    }

    public String describe() {
        return mode.meaning() + ": python3 " + script + (args.isEmpty() ? "" : " " + String.join(" ", args));
    }
}

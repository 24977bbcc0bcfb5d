package io.trainchain.engine.chain;

import io.trainchain.engine.ChainListener;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.config.ProjectConfig;
import io.trainchain.engine.detect.Framework;
import io.trainchain.engine.docker.BuildTrainingImage;
import io.trainchain.engine.docker.ContainerFiles;
import io.trainchain.engine.docker.ContainerSpec;
import io.trainchain.engine.gate.GateResult;
import io.trainchain.engine.gate.GateStatus;
import io.trainchain.engine.script.InstallLayer;
import io.trainchain.engine.script.OutputMetrics;
import io.trainchain.engine.script.PythonImage;
import io.trainchain.engine.script.ScriptPlan;
import io.trainchain.engine.script.ScriptPlanner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The chain's part for the user's own Python code (PyTorch, scikit-learn): the plan of how the script runs, the
 * recipe's helper files, the container's entrypoint and working copy, the metrics collector for a script not
 * written for Trainchain, and the model file it leaves.
 */
final class PythonTraining {
    /** The writable working copy of the code, under the run's folder (mounted at /work). */
    static final String WORK_DIR = "work";
    static final List<String> MODEL_SUFFIXES = List.of(".pt", ".pth", ".joblib", ".pkl");

    private final ScriptPlan plan;
    private final Path workDir;
    private OutputMetrics collector;
    private Map<String, String> unmatched = Map.of();
    private Path collected;

    private PythonTraining(ScriptPlan plan, Path workDir) {
        this.plan = plan;
        this.workDir = workDir;
    }

    /** TensorFlow has no recipe here, but one of the user's own runs under the same Python contract. */
    static boolean isPython(Framework f) {
        return f == Framework.PYTORCH || f == Framework.SKLEARN || f == Framework.TENSORFLOW;
    }

    static PythonTraining plan(Path repo, ProjectConfig cfg, TrainingParams params, Path runDir, ChainListener l) {
        ScriptPlan plan = ScriptPlanner.plan(repo, cfg.script(), params.json(), cfg.source());
        ScriptPlanner.evaluation(repo, cfg.script(), cfg.source()); // a missing evaluate script fails before training
        l.log(ChainRunner.DETECT, "script: " + plan.describe());
        plan.notes().forEach(n -> l.log(ChainRunner.DETECT, n));
        return new PythonTraining(plan, runDir.resolve(WORK_DIR));
    }

    /** The script that trains, for the run's lineage: e.g. "train.py (template mode)". */
    String script() {
        return plan.script() + " (" + plan.mode().name().toLowerCase(java.util.Locale.ROOT) + " mode)";
    }

    /** The helper module, launcher and installer, and the install layer's files (trainchain.yaml install:). */
    static Map<String, byte[]> contextFiles(Project project) {
        Map<String, byte[]> files = new LinkedHashMap<>(PythonImage.contextFiles());
        ProjectConfig cfg = project.config();
        files.putAll(InstallLayer.contextFiles(project.repo(), cfg.script().install(), project.recipeDir(),
                cfg.source() == null ? project.repo().resolve(ProjectConfig.FILE_NAME) : cfg.source()));
        return files;
    }

    /**
     * A build that failed in the install layer because a requirement cannot be met (the installer's exit 2) is the
     * repository's bad input; any other build failure stays as it is.
     */
    static RuntimeException installFailure(BuildTrainingImage.BuildFailedException e) {
        // The classic builder says "returned a non-zero code: 2", BuildKit "exit code: 2".
        String code = Integer.toString(InstallLayer.UNMET_EXIT);
        if (e.step() != null && e.step().contains(InstallLayer.INSTALLER)
                && (e.getMessage().contains("non-zero code: " + code) || e.getMessage().contains("exit code: " + code))) {
            return TrainchainException.badInput(e.getMessage(), e);
        }
        return e;
    }

    /** The contract's extra arguments (the template modes replace the whole command). */
    List<String> extraArgs(ChainSettings s, ChainListener l) {
        if (s.limit() != null && plan.mode() != ScriptPlan.Mode.CONTRACT) {
            l.log(ChainRunner.TRAIN, "limit " + s.limit() + " is not passed to the script (" + plan.mode().meaning()
                    + ": its arguments are its own); give it a param for that (e.g. args: [\"--train-size\", "
                    + "\"{train_size}\"]) and set it with --params");
            return List.of();
        }
        return s.limitArgs();
    }

    /** Threads for every BLAS and OpenMP the script may use; TRAINCHAIN_OUT for the helper outside the contract. */
    static Map<String, String> env(int threads) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
        env.put("MKL_NUM_THREADS", Integer.toString(threads));
        env.put("TRAINCHAIN_OUT", "/out");
        return env;
    }

    /** The listener the training runs under: with the metrics collector when the script is read by rules. */
    ChainListener listener(ChainListener l, Path trainDir) {
        if (plan.metrics().isEmpty()) {
            return l;
        }
        collector = new OutputMetrics(plan.metrics(), trainDir, plan.resumable(), l);
        return collector;
    }

    /** The container of the repository's evaluate script (trainchain.yaml 'evaluate'), when it declares one. */
    /**
     * How the repository's evaluate script (trainchain.yaml {@code evaluate:}) runs in a container whose working
     * copy is under {@code runDir}; empty when it declares none.
     */
    static Optional<UnaryOperator<ContainerSpec>> evaluator(Project project, Path runDir, ChainListener l) {
        Path workDir = runDir.resolve(WORK_DIR);
        return ScriptPlanner.evaluation(project.repo(), project.config().script(), project.config().source())
                .map(e -> {
                    ContainerFiles.prepareOutputDir(workDir, l);
                    return spec -> e.adapt(spec, workDir);
                });
    }

    UnaryOperator<ContainerSpec> adapter(ChainListener l) {
        ContainerFiles.prepareOutputDir(workDir, l);
        return spec -> plan.adapt(spec, workDir);
    }

    /** After the training: the metrics read by rules into evaluation.json, the model file into the train folder. */
    void afterTraining(Path trainDir, ChainListener l) {
        if (collector != null) {
            unmatched = collector.finish(scriptDir());
        }
        Optional<Path> model = model(trainDir);
        collected = model.orElse(null);
        if (model.isPresent() && !model.get().startsWith(trainDir)) {
            Path target = trainDir.resolve(model.get().getFileName());
            try {
                Files.copy(model.get(), target, StandardCopyOption.REPLACE_EXISTING);
                collected = target;
                l.log(ChainRunner.TRAIN, "model: " + model.get() + " collected as " + target);
            } catch (IOException e) {
                throw TrainchainException.infrastructure("cannot copy the model " + model.get() + " into " + trainDir
                        + ": " + e.getMessage(), e);
            }
        } else if (model.isEmpty()) {
            l.log(ChainRunner.TRAIN, "model: the script left no model file (" + String.join(", ", MODEL_SUFFIXES)
                    + (plan.modelPath().isPresent() ? ", or " + plan.modelPath().get() : "") + ")");
        }
    }

    /** A gate without its metric says which rule found nothing, with its regex and the last output lines. */
    GateResult explain(GateResult gate) {
        String why = unmatched.get(gate.metric());
        if (gate.status() != GateStatus.NO_METRIC || why == null) {
            return gate;
        }
        return new GateResult(GateStatus.NO_METRIC, gate.metric(), null, gate.threshold(), gate.direction(), why);
    }

    /** The model file: once collected, the copy in the train folder; before, the declared model_path, else the newest *.pt/.pth/.joblib/.pkl in /out, then in /work. */
    Optional<Path> model(Path trainDir) {
        if (collected != null) {
            return Optional.of(collected);
        }
        if (plan.modelPath().isPresent()) {
            Path p = scriptDir().resolve(plan.modelPath().get()).normalize();
            return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
        }
        for (Path dir : List.of(trainDir, workDir)) {
            Optional<Path> found = newestModel(dir);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> newestModel(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(dir, 3)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !f.toString().contains("/checkpoints/"))
                    .filter(f -> MODEL_SUFFIXES.stream().anyMatch(s -> f.getFileName().toString().endsWith(s)))
                    .max((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The script's working directory on the host (/work/code in the container). */
    private Path scriptDir() {
        return workDir.resolve(PythonImage.WORKDIR.substring(PythonImage.WORK_MOUNT.length() + 1));
    }
}

package io.trainchain.engine.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainchain.engine.ChainListener;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.docker.BuildTrainingImage;
import io.trainchain.engine.docker.DockerConnection;
import io.trainchain.engine.docker.TrainInContainer;
import io.trainchain.engine.gate.CheckAccuracy;
import io.trainchain.engine.gate.GateResult;
import io.trainchain.engine.store.DatasetIdentity;
import io.trainchain.engine.store.GateRecord;
import io.trainchain.engine.store.RunEnvironment;
import io.trainchain.engine.store.RunOutcome;
import io.trainchain.engine.store.RunStatus;
import io.trainchain.engine.store.RunStore;
import io.trainchain.engine.watch.WatchContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One run's trainInContainer (under the watcher) and checkAccuracy, and the run record's end: the chain's single
 * training and each of a search's trials are one of these, in a run folder of their own.
 */
public final class TrainAndGate {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Project project;
    private final ChainSettings settings;
    private final TrainingParams params;
    private final RunStore store;
    private final String runId;
    private final Path runDir;
    private final Path trainDir;
    private final StepRecorder recorder;
    private final PythonTraining python;
    private final boolean keepContainer;
    private final Duration timeout;

    /** What the two steps gave. */
    public record Outcome(WatchContainer.Result train, GateResult gate) {
    }

    /** Plans the user's script (Python) for these params; a bad template is bad input here, before any build. */
    TrainAndGate(Project project, ChainSettings settings, TrainingParams params, RunStore store, String runId,
                 Path runDir, StepRecorder recorder, boolean keepContainer, Duration timeout, ChainListener out) {
        this.keepContainer = keepContainer;
        this.timeout = timeout;
        this.project = project;
        this.settings = settings;
        this.params = params;
        this.store = store;
        this.runId = runId;
        this.runDir = runDir;
        this.trainDir = runDir.resolve(ChainRunner.TRAIN_DIR);
        this.recorder = recorder;
        this.python = project.python() ? PythonTraining.plan(project.repo(), project.config(), params, runDir, out)
                : null;
    }

    Path trainDir() {
        return trainDir;
    }

    /** The dataset folder must exist before any container mounts it. */
    static void requireDataDir(ChainSettings settings) {
        Path d = settings.dataDir();
        if (!Files.isDirectory(d)) {
            throw TrainchainException.badInput("dataset folder " + d + " (" + settings.dataset().name() + ", from "
                    + settings.origin("dataset") + ") does not exist"
                    + (MergeSettings.BUILTIN_DATASETS.containsValue(d)
                    ? "; install Debian's dataset package (apt-get install dataset-fashion-mnist)"
                    : "; fix the path, or pass --data DIR"));
        }
    }

    /**
     * Records what the run trains with (its lineage): the image and the content hash it was built from, the trainer,
     * the container's threads and limits. One that cannot be recorded is said, never a failed run.
     */
    void recordEnvironment(BuildTrainingImage.Result image, ChainListener out) {
        TrainInContainer.Limits l = settings.containerLimits();
        String version = TrainAndGate.class.getPackage().getImplementationVersion();
        String engine = "trainchain " + (version == null ? "(development build)" : version);
        String trainer = python == null ? "built-in DL4J trainer, " + engine
                : python.script() + ", " + project.framework().displayName() + " code, " + engine;
        try {
            store.recordEnvironment(runId, new RunEnvironment(image.imageId(), image.tag(), image.contentHash(),
                    trainer, l.threads(), l.memoryBytes(), l.cpus(), l.pids()));
        } catch (RuntimeException e) {
            out.log(ChainRunner.TRAIN, "could not record the run's environment: " + e.getMessage());
        }
    }

    /**
     * Trains in image {@code tag} and gates the result.
     *
     * @param extraArgs more trainer arguments (a trial resumed after its search was killed gets --resume)
     */
    Outcome run(DockerConnection connection, Supplier<DockerConnection> reconnect, String tag, Path paramsFile,
                List<String> extraArgs) {
        WatchContainer.Result train = recorder.step(ChainRunner.TRAIN,
                l -> train(connection, reconnect, tag, paramsFile, extraArgs, l),
                r -> r.train().message() + ", " + r.train().epochs().size() + " epochs"
                        + (r.attempts().size() > 1 ? ", " + (r.attempts().size() - 1) + " restarts" : ""));
        GateResult gate = recorder.step(ChainRunner.GATE, l -> explain(new CheckAccuracy().check(
                trainDir.resolve("evaluation.json"), settings.gate())), GateResult::message);
        return new Outcome(train, gate);
    }

    private WatchContainer.Result train(DockerConnection connection, Supplier<DockerConnection> reconnect, String tag,
                                        Path paramsFile, List<String> extraArgs, ChainListener l) {
        if (python != null) {
            ChainListener read = python.listener(l, trainDir);
            List<String> args = new ArrayList<>(python.extraArgs(settings, l));
            args.addAll(extraArgs);
            WatchContainer.Result r = TrainStep.run(connection, reconnect, new TrainInContainer.Request(tag,
                    settings.dataDir(), trainDir, paramsFile, settings.containerLimits(), args,
                    python.env(settings.containerLimits().threads()), keepContainer, timeout, read),
                    python.adapter(l), TrainStep.policyFor(project.framework(), settings.watch(), l), store, runId,
                    read);
            python.afterTraining(trainDir, l);
            return r;
        }
        List<String> args = new ArrayList<>(settings.checkpointArgs());
        args.addAll(settings.limitArgs());
        args.addAll(extraArgs);
        return TrainStep.run(connection, reconnect, new TrainInContainer.Request(tag, settings.dataDir(), trainDir,
                paramsFile, settings.containerLimits(), args, Map.of(), keepContainer, timeout, l), s -> s,
                TrainStep.policyFor(project.framework(), settings.watch(), l), store, runId, l);
    }

    private GateResult explain(GateResult gate) {
        return python == null ? gate : python.explain(gate);
    }

    /**
     * Ends the run record as the gate says: evaluation metrics, the dataset's checksums, artifacts.
     *
     * @return the finite numbers of evaluation.json (accuracy, macro_f1, test_loss)
     */
    Map<String, Double> finish(String imageId, GateResult gate) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        JsonNode eval = readJson(trainDir.resolve("evaluation.json"));
        if (eval != null) {
            for (String k : List.of("accuracy", "macro_f1", "test_loss")) {
                JsonNode v = eval.get(k);
                if (v != null && v.isNumber() && Double.isFinite(v.asDouble())) {
                    metrics.put(k, v.asDouble());
                }
            }
            JsonNode ds = eval.get("dataset");
            if (ds != null && ds.isObject()) {
                // The chain's name for the data (the trainer only sees /data), the trainer's checksums.
                store.recordDataset(runId, new DatasetIdentity(settings.dataset().name(), ds.toString()));
            }
        }
        store.finishRun(runId, new RunOutcome(statusOf(gate), imageId, artifacts(), GateRecord.of(gate), metrics,
                gate.message()));
        return metrics;
    }

    static RunStatus statusOf(GateResult gate) {
        return switch (gate.status()) {
            case PASSED -> RunStatus.PASSED;
            case BELOW_THRESHOLD -> RunStatus.BELOW_THRESHOLD;
            case NO_METRIC -> RunStatus.FAILED;
        };
    }

    /** The model file: the built-in trainer's model.zip, or the one the user's script left (null: none). */
    Path model() {
        return python == null ? trainDir.resolve("model.zip") : python.model(trainDir).orElse(null);
    }

    List<String> artifacts() {
        List<String> found = new ArrayList<>();
        Path model = model();
        if (python != null && model != null) {
            found.add(model.toString());
        }
        for (String name : List.of("model.zip", "evaluation.json", "metrics.jsonl", "checkpoints")) {
            if (Files.exists(trainDir.resolve(name))) {
                found.add(trainDir.resolve(name).toString());
            }
        }
        if (params.merged() && Files.exists(runDir.resolve(TrainingParams.MERGED_FILE))) {
            found.add(runDir.resolve(TrainingParams.MERGED_FILE).toString());
        }
        return found;
    }

    private static JsonNode readJson(Path file) {
        try {
            return Files.isRegularFile(file) ? JSON.readTree(file.toFile()) : null;
        } catch (IOException e) {
            return null; // the gate already reported an unreadable evaluation
        }
    }
}

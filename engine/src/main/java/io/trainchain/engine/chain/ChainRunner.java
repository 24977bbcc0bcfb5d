package io.trainchain.engine.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainchain.engine.ChainListener;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.TrainchainException.Kind;
import io.trainchain.engine.config.ProjectConfig;
import io.trainchain.engine.detect.DetectFramework;
import io.trainchain.engine.detect.Detection;
import io.trainchain.engine.detect.Evidence;
import io.trainchain.engine.detect.Framework;
import io.trainchain.engine.detect.Recipes;
import io.trainchain.engine.docker.BaseImage;
import io.trainchain.engine.docker.BuildTrainingImage;
import io.trainchain.engine.docker.DockerConnection;
import io.trainchain.engine.docker.DockerUnavailableException;
import io.trainchain.engine.docker.TrainInContainer;
import io.trainchain.engine.gate.CheckAccuracy;
import io.trainchain.engine.gate.GateResult;
import io.trainchain.engine.store.DatasetIdentity;
import io.trainchain.engine.store.GateRecord;
import io.trainchain.engine.store.GitInfo;
import io.trainchain.engine.store.RunOutcome;
import io.trainchain.engine.store.RunStart;
import io.trainchain.engine.store.RunStatus;
import io.trainchain.engine.store.RunStore;
import io.trainchain.engine.watch.WatchContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The chain: detectFramework (with the recipe lookup) → base image → buildTrainingImage → trainInContainer →
 * checkAccuracy, every step timed and recorded in the {@link RunStore}. A model below the gate is a result; any
 * failure finishes the run record as FAILED and is thrown as a {@link ChainException} of the right kind.
 *
 * <p>Epoch events carry one field more than the trainer's metrics.jsonl line: {@code epochs_total}.
 */
public final class ChainRunner {

    public static final String DETECT = "detect-framework";
    public static final String BASE = BaseImage.STEP;
    public static final String BUILD = BuildTrainingImage.STEP;
    public static final String TRAIN = TrainInContainer.STEP;
    public static final String GATE = "check-accuracy";
    /** The trainer's output folder under the run's folder (mounted at /out). */
    public static final String TRAIN_DIR = "train";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<DockerConnection> docker;

    /** @param docker connects to the engine; called once per run, after detection, and closed at its end */
    public ChainRunner(Supplier<DockerConnection> docker) {
        this.docker = Objects.requireNonNull(docker, "docker");
    }

    public ChainResult run(ChainRequest request, RunStore store, ChainListener listener) {
        return new Run(request, store, listener == null ? ChainListener.NONE : listener).execute();
    }

    /** One execution; holds what is known so far so a failure can still record it. */
    private final class Run {
        private final ChainRequest req;
        private final RunStore store;
        private final ChainListener out;
        private final StepRecorder recorder;
        private Path repo;
        private GitInfo git;
        private Framework framework;
        private ChainSettings settings;
        private TrainingParams params;
        private String runId;
        private Path runDir;
        private Path trainDir;
        private String imageId;
        private PythonTraining python;

        Run(ChainRequest req, RunStore store, ChainListener out) {
            this.req = req;
            this.store = Objects.requireNonNull(store, "store");
            this.out = out;
            this.recorder = new StepRecorder(this.store, out);
        }

        ChainResult execute() {
            try {
                repo = req.repository().toAbsolutePath().normalize();
                if (!Files.isDirectory(repo)) {
                    throw TrainchainException.badInput("repository " + repo + " is not a directory; give the "
                            + "folder of a checked-out repository (trainchain run PATH)");
                }
                git = GitInfo.read(repo).orElse(null);
                ProjectConfig[] config = new ProjectConfig[1];
                Path[] recipeDir = new Path[1];
                Detection detection = step(DETECT, l -> {
                    config[0] = ProjectConfig.load(repo); // a bad trainchain.yaml fails here, before the scan
                    Detection d = detect(l, config[0]);
                    recipeDir[0] = Recipes.require(req.dockerfilesRoot(), framework).getParent();
                    l.log(DETECT, "image recipe: " + recipeDir[0]);
                    return d;
                }, d -> d.summary().split(": ", 2)[0] + ", " + d.evidence().size() + " evidence, recipe "
                        + d.framework().recipe());
                settings = MergeSettings.merge(req, config[0]);
                params = TrainingParams.resolve(settings);
                recorder.epochsTotal(params.epochs());
                start();
                if (PythonTraining.isPython(framework)) {
                    python = PythonTraining.plan(repo, config[0], params, runDir, out);
                }

                requireDataDir();
                Path mounted = params.mountFile(runDir);
                Path dist = framework == Framework.DL4J ? requireTrainerDist() : null;
                try (DockerConnection connection = connect()) {
                    BaseImage.Result base = step(BASE, l -> EnsureBaseImage.ensure(connection, baseImage(),
                                    req.timeouts().baseImage(), l),
                            b -> b.image() + (b.reused() ? " exists" : " built"));
                    BuildTrainingImage.Result image = step(BUILD, l -> new BuildTrainingImage(connection.client())
                                    .run(new BuildTrainingImage.Request(recipeDir[0], dist, repo, baseImage(),
                                            Map.of(), req.timeouts().build(), l,
                                            python == null ? Map.of() : python.contextFiles())),
                            r -> r.tag() + (r.cached() ? " (cached)" : " (built)"));
                    imageId = image.imageId();
                    WatchContainer.Result train = step(TRAIN, l -> train(connection, image.tag(), mounted, l),
                            r -> r.train().message() + ", " + r.train().epochs().size() + " epochs"
                                    + (r.attempts().size() > 1 ? ", " + (r.attempts().size() - 1) + " restarts" : ""));
                    GateResult gate = step(GATE, l -> explain(new CheckAccuracy().check(
                            trainDir.resolve("evaluation.json"), settings.gate())), GateResult::message);
                    return finish(detection, base, image, train, gate);
                }
            } catch (RuntimeException e) {
                throw fail(e);
            }
        }

        private Detection detect(ChainListener l, ProjectConfig config) {
            Detection d = new DetectFramework().detect(repo, config.framework());
            int shown = 0;
            for (Evidence e : d.evidence()) {
                if (shown++ == 8) {
                    l.log(DETECT, "... " + (d.evidence().size() - 8) + " more");
                    break;
                }
                l.log(DETECT, e.framework().displayName() + " at " + e.where() + ": " + e.snippet());
            }
            d.notes().forEach(n -> l.log(DETECT, n));
            if (d.framework() == null) {
                throw TrainchainException.badInput(d.notes().isEmpty() ? "no ML framework found in " + repo
                        : d.notes().get(0));
            }
            framework = d.framework();
            return d;
        }

        private void start() {
            String dataJson = JSON.createObjectNode().put("folder", settings.dataDir().toString()).toString();
            runId = store.startRun(new RunStart(repo, git, framework.recipe(),
                    new DatasetIdentity(settings.dataset().name(), dataJson), params.json()));
            recorder.attach(runId); // records the steps timed before the run existed
            runDir = (req.outputDir() != null ? req.outputDir()
                    : (req.workDir() != null ? req.workDir() : store.path().getParent()).resolve("runs").resolve(runId))
                    .toAbsolutePath().normalize();
            trainDir = runDir.resolve(TRAIN_DIR);
            out.log(DETECT, "run " + runId + " in " + runDir);
        }

        private void requireDataDir() {
            Path d = settings.dataDir();
            if (!Files.isDirectory(d)) {
                throw TrainchainException.badInput("dataset folder " + d + " (" + settings.dataset().name() + ", from "
                        + settings.origin("dataset") + ") does not exist"
                        + (MergeSettings.BUILTIN_DATASETS.containsValue(d)
                        ? "; install Debian's dataset package (apt-get install dataset-fashion-mnist)"
                        : "; fix the path, or pass --data DIR"));
            }
        }

        private Path requireTrainerDist() {
            Path dist = req.trainerDist();
            if (dist == null || !Files.isRegularFile(dist.resolve("trainchain-trainer.jar"))) {
                throw TrainchainException.badInput("no trainchain-trainer.jar in " + dist + "; build it (mvn -B "
                        + "package -DskipTests) or point --trainer-dist at trainer/target/dist");
            }
            return dist;
        }

        private DockerConnection connect() {
            try {
                return docker.get();
            } catch (DockerUnavailableException e) {
                throw TrainchainException.infrastructure(e.getMessage(), e);
            }
        }

        private WatchContainer.Result train(DockerConnection connection, String tag, Path paramsFile,
                                            ChainListener l) {
            if (python != null) {
                ChainListener read = python.listener(l, trainDir);
                WatchContainer.Result r = TrainStep.run(connection, this::connect, new TrainInContainer.Request(tag,
                        settings.dataDir(), trainDir, paramsFile, settings.containerLimits(),
                        python.extraArgs(settings), python.env(settings.containerLimits().threads()),
                        req.keepContainer(), req.timeouts().train(), read), python.adapter(l),
                        TrainStep.policyFor(framework, settings.watch(), l), store, runId, read);
                python.afterTraining(trainDir, l);
                return r;
            }
            List<String> args = new ArrayList<>(settings.checkpointArgs());
            if (settings.limit() != null) {
                args.addAll(List.of("--limit", Integer.toString(settings.limit())));
            }
            return TrainStep.run(connection, this::connect, new TrainInContainer.Request(tag, settings.dataDir(),
                    trainDir, paramsFile, settings.containerLimits(), args, Map.of(), req.keepContainer(),
                    req.timeouts().train(), l), s -> s, TrainStep.policyFor(framework, settings.watch(), l), store,
                    runId, l);
        }

        /** The Python recipes build on the plain Debian base unless a base image was given. */
        private String baseImage() {
            return python != null && ChainSettings.DEFAULT.equals(settings.origin("base-image"))
                    ? BaseImage.Flavor.DEBIAN.image() : settings.baseImage();
        }

        private GateResult explain(GateResult gate) {
            return python == null ? gate : python.explain(gate);
        }

        private ChainResult finish(Detection detection, BaseImage.Result base, BuildTrainingImage.Result image,
                                   WatchContainer.Result train, GateResult gate) {
            Path evaluation = trainDir.resolve("evaluation.json");
            Map<String, Double> metrics = new LinkedHashMap<>();
            JsonNode eval = readJson(evaluation);
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
            RunStatus status = switch (gate.status()) {
                case PASSED -> RunStatus.PASSED;
                case BELOW_THRESHOLD -> RunStatus.BELOW_THRESHOLD;
                case NO_METRIC -> RunStatus.FAILED;
            };
            store.finishRun(runId, new RunOutcome(status, image.imageId(), artifacts(), GateRecord.of(gate), metrics,
                    gate.message()));
            return new ChainResult(runId, status, settings, params, detection, base, image, train.train(), gate,
                    recorder.steps(), runDir, trainDir, metrics, model(), train.attempts());
        }

        /** The model file: the built-in trainer's model.zip, or the one the user's script left (null: none). */
        private Path model() {
            return python == null ? trainDir.resolve("model.zip") : python.model(trainDir).orElse(null);
        }

        private List<String> artifacts() {
            List<String> found = new ArrayList<>();
            if (trainDir != null) {
                Path model = model();
                if (python != null && model != null) {
                    found.add(model.toString());
                }
                for (String name : List.of("model.zip", "evaluation.json", "metrics.jsonl", "checkpoints")) {
                    if (Files.exists(trainDir.resolve(name))) {
                        found.add(trainDir.resolve(name).toString());
                    }
                }
            }
            if (runDir != null && params != null && params.merged()
                    && Files.exists(runDir.resolve(TrainingParams.MERGED_FILE))) {
                found.add(runDir.resolve(TrainingParams.MERGED_FILE).toString());
            }
            return found;
        }

        /** Records the failure (starting the run record if it did not exist yet) and says whose fault it is. */
        private ChainException fail(RuntimeException e) {
            Kind kind = ChainFailures.kindOf(e);
            String message = ChainFailures.messageOf(e);
            String currentStep = recorder.currentStep();
            try {
                if (runId == null) {
                    runId = store.startRun(new RunStart(repo != null ? repo : req.repository(), git,
                            framework == null ? null : framework.recipe(),
                            settings == null ? null : new DatasetIdentity(settings.dataset().name(), null),
                            params == null ? null : params.json()));
                    recorder.attach(runId);
                }
                store.finishRun(runId, new RunOutcome(RunStatus.FAILED, imageId, artifacts(), null, Map.of(),
                        (currentStep == null ? "" : currentStep + ": ") + message));
            } catch (RuntimeException storeFailure) {
                e.addSuppressed(storeFailure);
                out.log(currentStep == null ? DETECT : currentStep, "could not record the failure in "
                        + store.path() + ": " + storeFailure.getMessage());
            }
            return new ChainException(kind, message, e, runId, currentStep, runDir);
        }

        private <T> T step(String name, Function<ChainListener, T> body, Function<T, String> summary) {
            return recorder.step(name, body, summary);
        }
    }

    private static JsonNode readJson(Path file) {
        try {
            return Files.isRegularFile(file) ? JSON.readTree(file.toFile()) : null;
        } catch (IOException e) {
            return null; // the gate already reported an unreadable evaluation
        }
    }
}

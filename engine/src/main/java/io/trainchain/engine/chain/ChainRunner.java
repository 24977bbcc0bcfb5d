package io.trainchain.engine.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.exception.NotFoundException;
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
import io.trainchain.engine.docker.DockerStepException;
import io.trainchain.engine.docker.DockerUnavailableException;
import io.trainchain.engine.docker.TrainInContainer;
import io.trainchain.engine.gate.CheckAccuracy;
import io.trainchain.engine.gate.GateResult;
import io.trainchain.engine.store.DatasetIdentity;
import io.trainchain.engine.store.EpochMetrics;
import io.trainchain.engine.store.GateRecord;
import io.trainchain.engine.store.GitInfo;
import io.trainchain.engine.store.RunOutcome;
import io.trainchain.engine.store.RunStart;
import io.trainchain.engine.store.RunStatus;
import io.trainchain.engine.store.RunStore;
import io.trainchain.engine.store.StepTiming;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
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
    private static final int TAIL_LINES = 12;

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
        private final List<StepTiming> steps = new ArrayList<>();
        private final Deque<String> tail = new ArrayDeque<>();
        private Path repo;
        private GitInfo git;
        private Framework framework;
        private ChainSettings settings;
        private TrainingParams params;
        private String runId;
        private String currentStep;
        private Path runDir;
        private Path trainDir;
        private String imageId;

        Run(ChainRequest req, RunStore store, ChainListener out) {
            this.req = req;
            this.store = Objects.requireNonNull(store, "store");
            this.out = out;
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
                    Detection d = detect(l);
                    recipeDir[0] = Recipes.require(req.dockerfilesRoot(), framework).getParent();
                    l.log(DETECT, "image recipe: " + recipeDir[0]);
                    return d;
                }, d -> d.summary().split(": ", 2)[0] + ", " + d.evidence().size() + " evidence, recipe "
                        + d.framework().recipe());
                settings = MergeSettings.merge(req, config[0]);
                params = TrainingParams.resolve(settings);
                start();

                requireDataDir();
                Path mounted = params.mountFile(runDir);
                Path dist = framework == Framework.DL4J ? requireTrainerDist() : null;
                try (DockerConnection connection = connect()) {
                    BaseImage.Result base = step(BASE, l -> ensureBase(connection, l),
                            b -> b.image() + (b.reused() ? " exists" : " built"));
                    BuildTrainingImage.Result image = step(BUILD, l -> new BuildTrainingImage(connection.client())
                                    .run(new BuildTrainingImage.Request(recipeDir[0], dist, repo, settings.baseImage(),
                                            Map.of(), req.timeouts().build(), l)),
                            r -> r.tag() + (r.cached() ? " (cached)" : " (built)"));
                    imageId = image.imageId();
                    TrainInContainer.Result train = step(TRAIN, l -> train(connection, image.tag(), mounted, l),
                            r -> r.message() + ", " + r.epochs().size() + " epochs");
                    GateResult gate = step(GATE, l -> new CheckAccuracy().check(
                            trainDir.resolve("evaluation.json"), settings.gate()), GateResult::message);
                    return finish(detection, base, image, train, gate);
                }
            } catch (RuntimeException e) {
                throw fail(e);
            }
        }

        private Detection detect(ChainListener l) {
            Detection d = new DetectFramework().detect(repo);
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
            steps.forEach(s -> store.recordStep(runId, s)); // steps timed before the run existed
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

        private BaseImage.Result ensureBase(DockerConnection connection, ChainListener l) {
            String image = settings.baseImage();
            for (BaseImage.Flavor f : BaseImage.Flavor.values()) {
                if (f.image().equals(image)) {
                    if (!exists(connection, image)) {
                        l.log(BASE, image + " is not here and no registry can be reached: building it from Debian "
                                + "packages with debootstrap (about a minute, once)");
                    }
                    return new BaseImage(connection).ensure(new BaseImage.Request(f, false, null,
                            req.timeouts().baseImage(), l));
                }
            }
            long t0 = System.nanoTime();
            if (!exists(connection, image)) {
                throw TrainchainException.badInput("base image " + image + " (--base-image) is not on this Docker "
                        + "engine and cannot be pulled by Trainchain; load it first (docker pull / docker load), or "
                        + "leave --base-image out to use " + BaseImage.Flavor.JRE17.image()
                        + " (built here when missing)");
            }
            return new BaseImage.Result(image, null, true, (System.nanoTime() - t0) / 1e9);
        }

        private boolean exists(DockerConnection connection, String image) {
            try {
                connection.client().inspectImageCmd(image).exec();
                return true;
            } catch (NotFoundException e) {
                return false;
            }
        }

        private TrainInContainer.Result train(DockerConnection connection, String tag, Path paramsFile,
                                              ChainListener l) {
            List<String> args = settings.limit() == null ? List.of()
                    : List.of("--limit", Integer.toString(settings.limit()));
            TrainInContainer.Result r = new TrainInContainer(connection.client()).run(new TrainInContainer.Request(
                    tag, settings.dataDir(), trainDir, paramsFile, settings.containerLimits(), args, Map.of(),
                    req.keepContainer(), req.timeouts().train(), l));
            if (!r.succeeded()) {
                throw trainFailure(r, lastLines());
            }
            return r;
        }

        private ChainResult finish(Detection detection, BaseImage.Result base, BuildTrainingImage.Result image,
                                   TrainInContainer.Result train, GateResult gate) {
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
            return new ChainResult(runId, status, settings, params, detection, base, image, train, gate, steps,
                    runDir, trainDir, metrics, trainDir.resolve("model.zip"));
        }

        private List<String> artifacts() {
            List<String> found = new ArrayList<>();
            if (trainDir != null) {
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
            Kind kind = kindOf(e);
            String message = messageOf(e);
            try {
                if (runId == null) {
                    runId = store.startRun(new RunStart(repo != null ? repo : req.repository(), git,
                            framework == null ? null : framework.recipe(),
                            settings == null ? null : new DatasetIdentity(settings.dataset().name(), null),
                            params == null ? null : params.json()));
                    for (StepTiming s : steps) {
                        store.recordStep(runId, s);
                    }
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
            currentStep = name;
            Instant startedAt = Instant.now();
            long t0 = System.nanoTime();
            out.stepStarted(name);
            T value;
            try {
                value = body.apply(inner(name));
            } catch (RuntimeException e) {
                String m = messageOf(e);
                timing(new StepTiming(name, startedAt, Duration.ofNanos(System.nanoTime() - t0), "failed: " + m));
                out.stepFinished(name, false, m);
                throw e;
            }
            String s = summary.apply(value);
            timing(new StepTiming(name, startedAt, Duration.ofNanos(System.nanoTime() - t0), "ok: " + s));
            out.stepFinished(name, true, s);
            currentStep = null;
            return value;
        }

        private void timing(StepTiming t) {
            steps.add(t);
            if (runId != null) {
                try {
                    store.recordStep(runId, t);
                } catch (RuntimeException e) {
                    out.log(t.step(), "could not record the step timing: " + e.getMessage());
                }
            }
        }

        /**
         * The listener handed to a step: the runner reports step start and end itself (with the same names and the
         * timings it records), so the step's own events are dropped; epochs are stored as they stream.
         */
        private ChainListener inner(String name) {
            return new ChainListener() {
                @Override
                public void log(String step, String line) {
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > TAIL_LINES) {
                            tail.removeFirst();
                        }
                    }
                    out.log(step, line);
                }

                @Override
                public void epoch(String step, JsonNode metrics) {
                    if (runId != null) {
                        try {
                            store.recordEpoch(runId, epochOf(metrics));
                        } catch (RuntimeException e) {
                            out.log(step, "could not store epoch " + metrics.path("epoch") + ": " + e.getMessage());
                        }
                    }
                    JsonNode shown = metrics;
                    if (metrics.isObject() && params != null) {
                        shown = ((ObjectNode) metrics.deepCopy()).put("epochs_total", params.epochs());
                    }
                    out.epoch(step, shown);
                }
            };
        }

        private List<String> lastLines() {
            synchronized (tail) {
                return List.copyOf(tail);
            }
        }
    }

    /** Maps a failed training container to the exception kind: the trainer's exit 2 is the user's input. */
    static TrainchainException trainFailure(TrainInContainer.Result r, List<String> lastLines) {
        String tail = lastLines.isEmpty() ? "" : "\nlast lines of the container log:\n  "
                + String.join("\n  ", lastLines);
        return switch (r.outcome()) {
            case FAILED -> r.exitCode() == 2
                    ? TrainchainException.badInput("the trainer refused its input: " + r.message()
                    + "; fix the data or params it names" + tail)
                    : TrainchainException.infrastructure("training failed: " + r.message() + tail, null);
            case OOM_KILLED -> TrainchainException.infrastructure("training was killed: " + r.message(), null);
            case TIMED_OUT -> TrainchainException.infrastructure("training " + r.message()
                    + "; raise the train timeout or lower epochs/--limit" + tail, null);
            case SUCCEEDED -> throw new IllegalArgumentException("not a failure");
        };
    }

    static Kind kindOf(Throwable e) {
        if (e instanceof TrainchainException t) {
            return t.kind();
        }
        if (e instanceof DockerUnavailableException || e instanceof DockerStepException
                || e instanceof CancellationException || e instanceof UncheckedIOException
                || e.getClass().getName().startsWith("com.github.dockerjava.")) {
            return Kind.INFRASTRUCTURE;
        }
        return Kind.INTERNAL;
    }

    static String messageOf(Throwable e) {
        if (e instanceof CancellationException) {
            return "interrupted: " + e.getMessage();
        }
        if (e instanceof TrainchainException || e instanceof DockerStepException
                || e instanceof DockerUnavailableException) {
            return e.getMessage();
        }
        if (e.getClass().getName().startsWith("com.github.dockerjava.")) {
            return "Docker engine error: " + e.getMessage();
        }
        return e.toString();
    }

    static EpochMetrics epochOf(JsonNode m) {
        return new EpochMetrics(m.path("epoch").asInt(), num(m, "train_loss"), num(m, "val_loss"),
                num(m, "val_accuracy"), num(m, "val_macro_f1"), num(m, "seconds"), num(m, "images_per_second"));
    }

    private static Double num(JsonNode m, String key) {
        JsonNode v = m.get(key);
        return v != null && v.isNumber() && Double.isFinite(v.asDouble()) ? v.asDouble() : null;
    }

    private static JsonNode readJson(Path file) {
        try {
            return Files.isRegularFile(file) ? JSON.readTree(file.toFile()) : null;
        } catch (IOException e) {
            return null; // the gate already reported an unreadable evaluation
        }
    }
}

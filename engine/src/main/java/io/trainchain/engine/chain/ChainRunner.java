package io.trainchain.engine.chain;

import io.trainchain.engine.ChainListener;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.TrainchainException.Kind;
import io.trainchain.engine.detect.Framework;
import io.trainchain.engine.docker.BaseImage;
import io.trainchain.engine.docker.BuildTrainingImage;
import io.trainchain.engine.docker.DockerConnection;
import io.trainchain.engine.docker.DockerUnavailableException;
import io.trainchain.engine.docker.TrainInContainer;
import io.trainchain.engine.registry.ModelRegistry;
import io.trainchain.engine.report.RunReport;
import io.trainchain.engine.store.DatasetIdentity;
import io.trainchain.engine.store.GitInfo;
import io.trainchain.engine.store.RunOutcome;
import io.trainchain.engine.store.RunRecord;
import io.trainchain.engine.store.RunStart;
import io.trainchain.engine.store.RunStatus;
import io.trainchain.engine.store.RunStore;

import java.nio.file.Files;
import java.nio.file.Path;
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

    private final Supplier<DockerConnection> docker;

    /** @param docker connects to the engine; called once per run, after detection, and closed at its end */
    public ChainRunner(Supplier<DockerConnection> docker) {
        this.docker = Objects.requireNonNull(docker, "docker");
    }

    public ChainResult run(ChainRequest request, RunStore store, ChainListener listener) {
        return new Run(request, store, listener == null ? ChainListener.NONE : listener, false).execute();
    }

    /**
     * As {@link #run}, continuing the training from the newest checkpoint in the request's output folder (a run
     * whose process was killed: the server re-runs its queued chain into the same folder); a container the killed
     * process left behind on that folder is removed first.
     */
    public ChainResult resume(ChainRequest request, RunStore store, ChainListener listener) {
        if (request.outputDir() == null) {
            throw new IllegalArgumentException("a resumed chain needs the output folder its checkpoints are in");
        }
        return new Run(request, store, listener == null ? ChainListener.NONE : listener, true).execute();
    }

    /** The trainer's jar and lib/ for the built-in trainer's image (null for other frameworks). */
    static Path trainerDist(ChainRequest req, Project project) {
        if (project.framework() != Framework.DL4J) {
            return null;
        }
        Path dist = req.trainerDist();
        if (dist == null || !Files.isRegularFile(dist.resolve("trainchain-trainer.jar"))) {
            throw TrainchainException.badInput("no trainchain-trainer.jar in " + dist + "; build it (mvn -B "
                    + "package -DskipTests) or point --trainer-dist at trainer/target/dist");
        }
        return dist;
    }

    /** A connection to the engine; an unreachable one is infrastructure, with what was tried. */
    static DockerConnection connect(Supplier<DockerConnection> docker) {
        try {
            return docker.get();
        } catch (DockerUnavailableException e) {
            throw TrainchainException.infrastructure(e.getMessage(), e);
        }
    }

    /** One execution; holds what is known so far so a failure can still record it. */
    private final class Run {
        private final ChainRequest req;
        private final RunStore store;
        private final ChainListener out;
        private final StepRecorder recorder;
        private Path repo;
        private GitInfo git;
        private Project project;
        private Framework framework;
        private ChainSettings settings;
        private TrainingParams params;
        private String runId;
        private Path runDir;
        private String imageId;
        private TrainAndGate training;
        private final boolean resume;

        Run(ChainRequest req, RunStore store, ChainListener out, boolean resume) {
            this.req = req;
            this.resume = resume;
            this.store = Objects.requireNonNull(store, "store");
            this.out = out;
            this.recorder = new StepRecorder(this.store, out);
        }

        ChainResult execute() {
            try {
                repo = Project.requireRepo(req.repository());
                git = GitInfo.read(repo).orElse(null);
                project = step(DETECT, l -> Project.detect(repo, git, req.dockerfilesRoot(), l,
                        f -> framework = f), Project::summary);
                settings = MergeSettings.merge(req, project.config());
                params = TrainingParams.resolve(settings);
                recorder.epochsTotal(params.epochs());
                start();
                training = new TrainAndGate(project, settings, params, store, runId, runDir, recorder,
                        req.keepContainer(), req.timeouts().train(), out);

                TrainAndGate.requireDataDir(settings);
                Path mounted = params.mountFile(runDir);
                Path dist = trainerDist(req, project);
                try (DockerConnection connection = connect()) {
                    TrainingImage.Built built = TrainingImage.build(connection, req, project, settings, dist,
                            recorder);
                    BuildTrainingImage.Result image = built.image();
                    imageId = image.imageId();
                    training.recordEnvironment(image, out);
                    if (resume) {
                        for (String left : TrainInContainer.removeLeftovers(connection.client(), training.trainDir())) {
                            out.log(TRAIN, "removed " + left + ", left running by the process that was killed");
                        }
                    }
                    TrainAndGate.Outcome o = training.run(connection, this::connect, image.tag(), mounted,
                            resume ? List.of("--resume") : List.of());
                    Map<String, Double> metrics = training.finish(image.imageId(), o.gate());
                    Registration registration = Registration.ifPassed(store, project, runId, o.gate(),
                            training.model(), training.trainDir(), settings.dataset().name(),
                            new ChampionOnTestSet(connection, project, image.tag(), settings, runDir,
                                    req.timeouts().train(), out), out);
                    writeReport();
                    return new ChainResult(runId, TrainAndGate.statusOf(o.gate()), settings, params,
                            project.detection(), built.base(), image, o.train().train(), o.gate(), recorder.steps(), runDir,
                            training.trainDir(), metrics, training.model(), o.train().attempts(), registration);
                }
            } catch (RuntimeException e) {
                throw fail(e);
            }
        }

        /**
         * The run's HTML report next to its files, beside the champion it was compared with (when it did not become
         * champion itself); one that cannot be written is said, never a failed run.
         */
        private void writeReport() {
            Path file = runDir.resolve(RunReport.FILE_NAME);
            try {
                RunRecord champion = new ModelRegistry(store).champion(Registration.modelName(project))
                        .flatMap(c -> store.getRun(c.runId())).filter(c -> !c.id().equals(runId)).orElse(null);
                out.log(GATE, "report: " + RunReport.write(store.getRun(runId).orElseThrow(), champion,
                        store.environment(runId).orElse(null), file));
            } catch (TrainchainException | java.util.NoSuchElementException e) {
                out.log(GATE, "could not write the run's report " + file + ": " + e.getMessage());
            }
        }

        private void start() {
            runId = store.startRun(new RunStart(repo, git, project.framework().recipe(),
                    settings.startingDataset(), params.json(), req.trigger()));
            recorder.attach(runId); // records the steps timed before the run existed
            runDir = (req.outputDir() != null ? req.outputDir()
                    : (req.workDir() != null ? req.workDir() : store.path().getParent()).resolve("runs").resolve(runId))
                    .toAbsolutePath().normalize();
            out.log(DETECT, "run " + runId + " in " + runDir);
        }

        private DockerConnection connect() {
            return ChainRunner.connect(docker);
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
                            params == null ? null : params.json(), req.trigger()));
                    recorder.attach(runId);
                }
                store.finishRun(runId, new RunOutcome(RunStatus.FAILED, imageId,
                        training == null ? List.of() : training.artifacts(), null, Map.of(),
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
}

package io.trainchain.engine.chain;

import io.trainchain.engine.ChainListener;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.docker.BuildTrainingImage;
import io.trainchain.engine.docker.DockerConnection;
import io.trainchain.engine.docker.TrainInContainer;
import io.trainchain.engine.gate.GateResult;
import io.trainchain.engine.registry.ModelRegistry;
import io.trainchain.engine.store.GitInfo;
import io.trainchain.engine.store.RunOutcome;
import io.trainchain.engine.store.RunStart;
import io.trainchain.engine.store.RunStatus;
import io.trainchain.engine.store.RunStore;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The chain's steps for a search: detect-framework, the base image and buildTrainingImage once, then any number of
 * trials, each "trainInContainer under the watcher, then checkAccuracy" as a run of its own in the run store (the
 * same {@link TrainAndGate} the chain runs). Thread-safe for trials run at once.
 */
public final class TrialRunner implements AutoCloseable {

    /**
     * @param number  the trial's number in its search
     * @param params  the searched params, over the run's own
     * @param epochs  epochs to train; null: as the params say (a script without an epochs param)
     * @param share   how many trials run at once (each gets this share of CPUs and memory)
     * @param runDir  the trial's folder (its checkpoints live there, so a resumed trial finds them)
     * @param resume  continue from the newest checkpoint in runDir (the trial of a search that was killed)
     * @param started told the trial's run id once its run record exists
     */
    public record Trial(int number, Map<String, Object> params, Integer epochs, int share, Path runDir, boolean resume,
                        ChainListener listener, Consumer<String> started) {
        public Trial {
            params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
            listener = listener == null ? ChainListener.NONE : listener;
            started = started == null ? id -> { } : started;
        }
    }

    /**
     * @param status  PASSED, BELOW_THRESHOLD, FAILED (the gate found no metric, or the training failed), or
     *                STOPPED (the thread was interrupted: the search ended the trial early)
     * @param gate    null unless the trial got as far as the gate
     * @param failure the failure's kind when FAILED by an exception, else null
     */
    public record Result(String runId, RunStatus status, GateResult gate, Map<String, Double> metrics, Path model,
                         Path trainDir, String message, TrainchainException.Kind failure) {
    }

    private final ChainRequest req;
    private final RunStore store;
    private final Supplier<DockerConnection> docker;
    private final Project project;
    private final ChainSettings settings;
    private final TrainingParams params;
    private final DockerConnection connection;
    private final BuildTrainingImage.Result image;

    private TrialRunner(ChainRequest req, RunStore store, Supplier<DockerConnection> docker, Project project,
                        ChainSettings settings, TrainingParams params, DockerConnection connection,
                        BuildTrainingImage.Result image) {
        this.req = req;
        this.store = store;
        this.docker = docker;
        this.project = project;
        this.settings = settings;
        this.params = params;
        this.connection = connection;
        this.image = image;
    }

    /** What detection and the merge decided, for the caller to check before any image is built. */
    public record Plan(Project project, ChainSettings settings, TrainingParams params) {
    }

    /**
     * Runs detect-framework, the base image and buildTrainingImage (reported to {@code out}, not recorded).
     *
     * @param check called after detection and the merge, before Docker: a bad search is refused there
     */
    public static TrialRunner prepare(ChainRequest req, RunStore store, Supplier<DockerConnection> docker,
                                      ChainListener out, Consumer<Plan> check) {
        Objects.requireNonNull(store, "store");
        StepRecorder steps = new StepRecorder(store, out);
        Path repo = Project.requireRepo(req.repository());
        GitInfo git = GitInfo.read(repo).orElse(null);
        Project project = steps.step(ChainRunner.DETECT, l -> Project.detect(repo, git, req.dockerfilesRoot(), l,
                f -> { }), Project::summary);
        ChainSettings settings = MergeSettings.merge(req, project.config());
        TrainingParams params = TrainingParams.resolve(settings);
        check.accept(new Plan(project, settings, params));
        TrainAndGate.requireDataDir(settings);
        Path dist = ChainRunner.trainerDist(req, project);
        DockerConnection connection = ChainRunner.connect(docker);
        try {
            BuildTrainingImage.Result image = TrainingImage.build(connection, req, project, settings, dist, steps)
                    .image();
            return new TrialRunner(req, store, docker, project, settings, params, connection, image);
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    public Project project() {
        return project;
    }

    public ChainSettings settings() {
        return settings;
    }

    /** The params every trial starts from (the run's own, as JSON). */
    public TrainingParams params() {
        return params;
    }

    /** Measures a champion on the test set of this search's trials (in {@code dir}), in their image and container. */
    public ModelRegistry.Remeasure remeasure(Path dir, ChainListener out) {
        return new ChampionOnTestSet(connection, project, image.tag(), settings, dir,
                req.timeouts().train(), out);
    }

    public String imageTag() {
        return image.tag();
    }

    /**
     * Trains and gates one trial as a run of its own. Never throws for the trial's own failure or an interrupt:
     * they are results (FAILED with the failure's kind, STOPPED); the store's failures do throw.
     */
    public Result run(Trial t) {
        ChainSettings s = settings.forTrial(t.params(), t.epochs(), t.share());
        TrainingParams p = TrainingParams.resolve(s);
        String runId = store.startRun(new RunStart(project.repo(), project.git(), project.framework().recipe(),
                s.startingDataset(), p.json(), req.trigger()));
        t.started().accept(runId);
        StepRecorder recorder = new StepRecorder(store, t.listener());
        recorder.attach(runId);
        recorder.epochsTotal(p.epochs());
        TrainAndGate training = null;
        try {
            training = new TrainAndGate(project, s, p, store, runId, t.runDir(), recorder, false,
                    req.timeouts().train(), t.listener());
            Path mounted = p.mountFile(t.runDir());
            if (t.resume()) {
                for (String left : TrainInContainer.removeLeftovers(connection.client(), training.trainDir())) {
                    t.listener().log(ChainRunner.TRAIN, "removed " + left + ", left running by the search's "
                            + "process that ended");
                }
            }
            training.recordEnvironment(image, t.listener());
            TrainAndGate.Outcome o = training.run(connection, () -> ChainRunner.connect(docker), image.tag(), mounted,
                    t.resume() ? List.of("--resume") : List.of());
            Map<String, Double> metrics = training.finish(image.imageId(), o.gate());
            return new Result(runId, TrainAndGate.statusOf(o.gate()), o.gate(), metrics, training.model(),
                    training.trainDir(), o.gate().message(), null);
        } catch (CancellationException e) {
            Thread.interrupted(); // the search stopped this trial; the thread goes on to record it
            String m = e.getMessage() == null || e.getMessage().isBlank() ? "stopped by the search" : e.getMessage();
            store.finishRun(runId, new RunOutcome(RunStatus.STOPPED, image.imageId(),
                    training == null ? List.of() : training.artifacts(), null, Map.of(), m));
            return new Result(runId, RunStatus.STOPPED, null, Map.of(), null,
                    t.runDir().resolve(ChainRunner.TRAIN_DIR), m, null);
        } catch (RuntimeException e) {
            String step = recorder.currentStep();
            String m = (step == null ? "" : step + ": ") + ChainFailures.messageOf(e);
            store.finishRun(runId, new RunOutcome(RunStatus.FAILED, image.imageId(),
                    training == null ? List.of() : training.artifacts(), null, Map.of(), m));
            return new Result(runId, RunStatus.FAILED, null, Map.of(), null, t.runDir().resolve(ChainRunner.TRAIN_DIR),
                    m, ChainFailures.kindOf(e));
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}

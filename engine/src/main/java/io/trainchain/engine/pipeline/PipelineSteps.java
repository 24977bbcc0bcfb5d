package io.trainchain.engine.pipeline;

import io.trainchain.engine.ChainListener;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.chain.ChainException;
import io.trainchain.engine.chain.ChainRequest;
import io.trainchain.engine.chain.ImageStep;
import io.trainchain.engine.chain.MergeSettings;
import io.trainchain.engine.config.ProjectConfig;
import io.trainchain.engine.config.WatchOptions;
import io.trainchain.engine.detect.DetectFramework;
import io.trainchain.engine.detect.Detection;
import io.trainchain.engine.detect.Recipes;
import io.trainchain.engine.docker.DockerConnection;
import io.trainchain.engine.gate.CheckAccuracy;
import io.trainchain.engine.gate.Direction;
import io.trainchain.engine.gate.GateResult;
import io.trainchain.engine.gate.GateSpec;
import io.trainchain.engine.watch.Attempt;
import io.trainchain.engine.watch.WatchContainer;
import io.trainchain.engine.watch.WatchPolicy;
import io.trainchain.engine.watch.WatchTarget;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;

/**
 * The one path from a caller's step (a Jenkins Pipeline step or freestyle build step) into the engine: a
 * {@link StepRequest} in, a {@link StepResult} out, every engine event to the listener. It only maps requests to the
 * engine's own entry points (the same the CLI drives) and their results back; failures leave as
 * {@link StepFailedException}, an interrupt (an aborted build) as {@link CancellationException} after the engine has
 * stopped and removed its container.
 */
public final class PipelineSteps {
    private final EngineSetup setup;
    private final Path workspace;
    private final ChainListener out;

    public PipelineSteps(EngineSetup setup, Path workspace, ChainListener out) {
        this.setup = Objects.requireNonNull(setup, "setup");
        this.workspace = workspace.toAbsolutePath().normalize();
        this.out = out == null ? ChainListener.NONE : out;
    }

    public StepResult run(StepRequest request) {
        try {
            if (request instanceof StepRequest.Detect d) {
                return detect(d);
            } else if (request instanceof StepRequest.Image i) {
                return image(i);
            } else if (request instanceof StepRequest.Gate g) {
                return gate(g);
            } else if (request instanceof StepRequest.Watch w) {
                return watch(w);
            }
            return new TrainAndTune(setup, workspace, out).run(request);
        } catch (CancellationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw failure(request, e);
        }
    }

    /**
     * The caller's view of a failure. An interrupt (an aborted build) is an abort, however the engine surfaced it: a
     * chain's CancellationException, or any failure while the interrupt flag is set (an interrupted image build
     * leaves as a DockerStepException); the flag stays set for the caller.
     */
    private static RuntimeException failure(StepRequest request, RuntimeException e) {
        String runId = e instanceof ChainException c ? c.runId() : null;
        if (e.getCause() instanceof CancellationException || Thread.currentThread().isInterrupted()) {
            // A chain has recorded the run as FAILED and removed its container; to the caller it is an abort. No
            // cause: it crosses the Jenkins agent channel, and the engine's exceptions hold paths.
            return new CancellationException(request.step() + " interrupted"
                    + (runId == null ? "" : "; run " + runId + " recorded as FAILED"));
        }
        if (e instanceof TrainchainException t) {
            return new StepFailedException(t.kind().name(), request.step(), e.getMessage(), runId);
        }
        return new StepFailedException(TrainchainException.Kind.INTERNAL.name(), request.step(),
                e.getClass().getSimpleName() + ": " + e.getMessage(), null);
    }

    Path resolve(String path) {
        return workspace.resolve(path).toAbsolutePath().normalize();
    }

    private StepResult.Detected detect(StepRequest.Detect req) {
        Path repo = resolve(req.repository());
        if (!Files.isDirectory(repo)) {
            throw TrainchainException.badInput("repository " + repo + " is not a directory; give a folder of the "
                    + "workspace (detectFramework repository: 'examples/fashion-cnn')");
        }
        Detection d = new DetectFramework().detect(repo, ProjectConfig.load(repo).framework());
        d.evidence().forEach(e -> out.log(req.step(), e.framework().displayName() + " at " + e.where() + ": "
                + e.snippet()));
        d.notes().forEach(n -> out.log(req.step(), n));
        if (d.framework() == null) {
            throw TrainchainException.badInput(d.notes().isEmpty() ? "no ML framework found in " + repo
                    : d.notes().get(0));
        }
        Recipes.Lookup recipe = Recipes.find(setup.dockerfiles(workspace), d.framework());
        out.log(req.step(), recipe.message());
        return new StepResult.Detected(d.framework().recipe(), d.framework().displayName(), d.confidence(),
                d.overridden(), recipe.dockerfile().toString(), recipe.exists(), recipe.message(),
                d.evidence().stream().map(e -> e.where() + ": " + e.snippet()).toList(), d.notes());
    }

    private StepResult.Image image(StepRequest.Image req) {
        ChainRequest chain = ChainRequest.of(resolve(req.repository()), setup.trainerDist(workspace),
                        setup.dockerfiles(workspace))
                .withContainer(null, blankToNull(req.baseImage()), false);
        ImageStep.TrainingImageResult r = ImageStep.build(setup.docker(), chain, out);
        return new StepResult.Image(r.image().tag(), r.image().imageId(), r.image().cached(), r.image().seconds(),
                r.baseImage(), r.framework());
    }

    private StepResult.Gate gate(StepRequest.Gate req) {
        Path file = evaluationFile(resolve(req.evaluation() == null ? "." : req.evaluation()));
        GateResult g = new CheckAccuracy().check(file, gateSpec(req));
        out.log(req.step(), g.message());
        return gateResult(g);
    }

    /** evaluation.json itself, the folder holding it, or a run folder with train/evaluation.json. */
    static Path evaluationFile(Path given) {
        if (!Files.isDirectory(given)) {
            return given;
        }
        Path direct = given.resolve("evaluation.json");
        Path inRun = given.resolve("train").resolve("evaluation.json");
        return Files.isRegularFile(direct) || !Files.isRegularFile(inRun) ? direct : inRun;
    }

    static GateSpec gateSpec(StepRequest.Gate g) {
        return new GateSpec(g.metric() == null ? GateSpec.DEFAULT_METRIC : g.metric(),
                g.threshold() == null ? GateSpec.DEFAULT_THRESHOLD : g.threshold(),
                g.direction() == null ? Direction.AT_LEAST : Direction.parse(g.direction()));
    }

    static StepResult.Gate gateResult(GateResult g) {
        return new StepResult.Gate(g.status().name(), g.metric(), g.value(), g.threshold(), g.direction().name(),
                g.passed(), g.message());
    }

    private StepResult.Watched watch(StepRequest.Watch req) {
        if (req.timeoutMinutes() <= 0) {
            throw TrainchainException.badInput("watchContainer timeoutMinutes is " + req.timeoutMinutes()
                    + "; use 1 or more minutes");
        }
        // The CLI's path: a restarts value out of range is the user's input, with the CLI's message.
        WatchPolicy policy = MergeSettings.watchPolicy(new WatchOptions(req.restarts(), null, null, null, null, null,
                null, null, null, null), req.step());
        try (DockerConnection docker = setup.docker().get()) {
            WatchTarget target = WatchTarget.of(docker.client(), req.container(),
                    req.outputDir() == null ? null : resolve(req.outputDir()), out);
            out.log(req.step(), "watching " + target.name() + ", checkpoints in " + target.outputDir()
                    + "; at most " + policy.maxRestarts() + " restarts");
            WatchContainer w = new WatchContainer(docker, setup.docker());
            try {
                WatchContainer.Result r = w.run(new WatchContainer.Request(target.spec(), target.outputDir(),
                        target.name(), target.id(), policy, Duration.ofMinutes(req.timeoutMinutes()), true, out,
                        null));
                return new StepResult.Watched(target.name(), r.train().succeeded(), target.outputDir().toString(),
                        attempts(r.attempts()));
            } finally {
                if (w.connection() != docker) {
                    w.connection().close();
                }
            }
        }
    }

    static List<StepResult.AttemptRow> attempts(List<Attempt> attempts) {
        return attempts.stream().map(a -> new StepResult.AttemptRow(a.number(), a.cause() == null ? null
                : a.cause().name(), a.exitCode(), a.oomKilled(), a.containerName(), a.seconds(), a.describe()))
                .toList();
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}

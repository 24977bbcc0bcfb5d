package io.trainchain.engine.chain;

import io.trainchain.engine.ChainListener;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.detect.Framework;
import io.trainchain.engine.docker.ContainerRun;
import io.trainchain.engine.docker.ContainerSpec;
import io.trainchain.engine.docker.DockerConnection;
import io.trainchain.engine.docker.DockerStepException;
import io.trainchain.engine.docker.MetricsTail;
import io.trainchain.engine.docker.TrainInContainer;
import io.trainchain.engine.gate.CheckAccuracy;
import io.trainchain.engine.gate.GateResult;
import io.trainchain.engine.registry.ModelRegistry.Remeasure;
import io.trainchain.engine.registry.ModelRegistry.Remeasured;
import io.trainchain.engine.registry.TestSet;
import io.trainchain.engine.store.ModelRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The champion measured on a challenger's test set: its registered model file is evaluated in the challenger's
 * image, in the same locked-down container, on the same data and {@code --limit} — by the built-in trainer's
 * {@code --evaluate}, or by the repository's evaluate script ({@code evaluate:} in trainchain.yaml, given
 * {@code --model FILE}). Its evaluation.json gives the gate metric and the test set's key. Without a way to
 * evaluate, the decision stays "not comparable" and says why.
 */
final class ChampionOnTestSet implements Remeasure {
    private final DockerConnection connection;
    private final Project project;
    private final String image;
    private final ChainSettings settings;
    private final Path dir;
    private final Duration timeout;
    private final ChainListener out;

    /** @param dir the folder whose champion-vN/ subfolders hold each evaluation (the run's, or the search's) */
    ChampionOnTestSet(DockerConnection connection, Project project, String image, ChainSettings settings, Path dir,
                      Duration timeout, ChainListener out) {
        this.connection = connection;
        this.project = project;
        this.image = image;
        this.settings = settings;
        this.dir = dir;
        this.timeout = timeout;
        this.out = out;
    }

    /** How the model is evaluated: the container's arguments, environment and adaptation. */
    private record Evaluator(List<String> args, Map<String, String> env, UnaryOperator<ContainerSpec> adapt) {
    }

    @Override
    public Remeasured measure(ModelRecord champion) {
        Path model = Path.of(champion.path());
        if (!Files.isRegularFile(model)) {
            return Remeasured.failed("its model file " + model + " is missing");
        }
        Path evalDir = dir.resolve("champion-v" + champion.version());
        ChainListener quiet = quiet(champion.label());
        try {
            Files.createDirectories(evalDir);
            Optional<Evaluator> how = evaluator(model.getFileName().toString(), evalDir, quiet);
            if (how.isEmpty()) {
                return Remeasured.failed(project.framework() == Framework.DL4J
                        ? "its model file " + model.getFileName() + " is not the trainer's model.zip"
                        : project.framework().displayName() + " code declares no evaluate script (trainchain.yaml "
                        + "'evaluate: evaluate.py', run with --model FILE --data DIR --out DIR [--limit N], writing "
                        + "evaluation.json)");
            }
            out.log(ChainRunner.GATE, champion.label() + " was measured on another test set: evaluating it on this "
                    + "one, in " + evalDir);
            Files.copy(model, evalDir.resolve(model.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            TrainInContainer containers = new TrainInContainer(connection.client());
            ContainerSpec spec = how.get().adapt().apply(containers.spec(new TrainInContainer.Request(image,
                    settings.dataDir(), evalDir, null, settings.containerLimits(), how.get().args(), how.get().env(),
                    false, timeout, quiet)));
            long start = System.nanoTime();
            MetricsTail metrics = TrainInContainer.metricsOf(evalDir, quiet);
            ContainerRun.Exit exit = containers.attempt(spec, TrainInContainer.containerName(),
                    start + timeout.toNanos(), false, metrics, quiet);
            TrainInContainer.Result r = TrainInContainer.result(exit, start, metrics, timeout, spec.memoryBytes());
            if (!r.succeeded()) {
                return Remeasured.failed("its evaluation container: " + r.message());
            }
        } catch (IOException | DockerStepException | TrainchainException e) {
            return Remeasured.failed(e.getMessage());
        }
        Path evaluation = evalDir.resolve("evaluation.json");
        GateResult g = new CheckAccuracy().check(evaluation, settings.gate());
        if (g.value() == null) {
            return Remeasured.failed(g.message());
        }
        return new Remeasured(g.value(), TestSet.key(evaluation, settings.dataset().name()), null);
    }

    private Optional<Evaluator> evaluator(String modelFile, Path evalDir, ChainListener l) {
        List<String> args = new ArrayList<>();
        if (project.framework() == Framework.DL4J) {
            if (!modelFile.endsWith(".zip")) {
                return Optional.empty();
            }
            args.addAll(List.of("--evaluate", "/out/" + modelFile));
            args.addAll(settings.limitArgs());
            return Optional.of(new Evaluator(args, Map.of(), s -> s));
        }
        if (!PythonTraining.isPython(project.framework())) {
            return Optional.empty();
        }
        return PythonTraining.evaluator(project, evalDir, l).map(adapt -> {
            args.addAll(settings.limitArgs());
            args.addAll(List.of("--model", "/out/" + modelFile));
            return new Evaluator(args, PythonTraining.env(settings.containerLimits().threads()), adapt);
        });
    }

    /** The container's lines under the gate step, marked; its own step events would read as a second training. */
    private ChainListener quiet(String label) {
        return (step, line) -> out.log(ChainRunner.GATE, label + ": " + line);
    }
}

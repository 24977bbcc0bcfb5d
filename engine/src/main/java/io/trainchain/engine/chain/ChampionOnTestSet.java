package io.trainchain.engine.chain;

import io.trainchain.engine.ChainListener;
import io.trainchain.engine.detect.Framework;
import io.trainchain.engine.docker.DockerConnection;
import io.trainchain.engine.docker.DockerStepException;
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
import java.util.concurrent.CancellationException;

/**
 * The champion measured on a challenger's test set: its registered model.zip runs through the built-in trainer's
 * {@code --evaluate} in the challenger's image, in the same locked-down container, on the same data and
 * {@code --limit}; its evaluation.json gives the gate metric and the test set's key. Only the built-in trainer has
 * an evaluate-only mode; for other code the decision stays "not comparable" and says so.
 */
final class ChampionOnTestSet implements Remeasure {
    private final DockerConnection connection;
    private final Framework framework;
    private final String image;
    private final ChainSettings settings;
    private final Path runDir;
    private final Duration timeout;
    private final ChainListener out;

    ChampionOnTestSet(DockerConnection connection, Framework framework, String image, ChainSettings settings,
                      Path runDir, Duration timeout, ChainListener out) {
        this.connection = connection;
        this.framework = framework;
        this.image = image;
        this.settings = settings;
        this.runDir = runDir;
        this.timeout = timeout;
        this.out = out;
    }

    @Override
    public Remeasured measure(ModelRecord champion) {
        if (framework != Framework.DL4J) {
            return Remeasured.failed("only the built-in trainer can evaluate a saved model (this is "
                    + framework.displayName() + " code)");
        }
        Path model = Path.of(champion.path());
        if (!Files.isRegularFile(model) || !model.getFileName().toString().endsWith(".zip")) {
            return Remeasured.failed("its model file " + model + " is missing or not the trainer's model.zip");
        }
        Path dir = runDir.resolve("champion-v" + champion.version());
        List<String> args = new ArrayList<>(List.of("--evaluate", "/out/model.zip"));
        if (settings.limit() != null) {
            args.addAll(List.of("--limit", Integer.toString(settings.limit())));
        }
        out.log(ChainRunner.GATE, champion.label() + " was measured on another test set: evaluating it on this "
                + "run's, in " + dir);
        try {
            Files.createDirectories(dir);
            Files.copy(model, dir.resolve("model.zip"), StandardCopyOption.REPLACE_EXISTING);
            TrainInContainer.Result r = new TrainInContainer(connection.client()).run(new TrainInContainer.Request(
                    image, settings.dataDir(), dir, null, settings.containerLimits(), args, Map.of(), false, timeout,
                    quiet(champion.label())));
            if (!r.succeeded()) {
                return Remeasured.failed("its evaluation container: " + r.message());
            }
        } catch (IOException | DockerStepException e) {
            return Remeasured.failed(e.getMessage());
        } catch (CancellationException e) {
            throw e; // interrupted: the container is gone, the run ends
        } catch (RuntimeException e) {
            return Remeasured.failed(e.toString());
        }
        Path evaluation = dir.resolve("evaluation.json");
        GateResult g = new CheckAccuracy().check(evaluation, settings.gate());
        if (g.value() == null) {
            return Remeasured.failed(g.message());
        }
        return new Remeasured(g.value(), TestSet.key(evaluation, settings.dataset().name()), null);
    }

    /** The container's lines under the gate step, marked; its own step events would read as a second training. */
    private ChainListener quiet(String label) {
        return (step, line) -> out.log(ChainRunner.GATE, label + ": " + line);
    }
}

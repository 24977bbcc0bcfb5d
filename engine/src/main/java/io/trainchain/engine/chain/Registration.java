package io.trainchain.engine.chain;

import io.trainchain.engine.ChainListener;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.gate.GateResult;
import io.trainchain.engine.registry.ModelRegistry;
import io.trainchain.engine.registry.TestSet;
import io.trainchain.engine.store.ModelRecord;
import io.trainchain.engine.store.PromotionRecord;
import io.trainchain.engine.store.RunStore;

import java.nio.file.Path;

/**
 * A model that passed the gate goes into the registry and the champion rule decides on it; the chain's run and a
 * search's best trial both end here. A registry that fails is said, never a failed run: the model stays in its run.
 *
 * @param model    the registered version, null when nothing was registered
 * @param decision the champion rule's decision, null when nothing was registered
 * @param problem  why nothing was registered (the gate failed, no model file, the registry failed), else null
 */
public record Registration(ModelRecord model, PromotionRecord decision, String problem) {

    /** The registered model's name: registry.name, else the repository folder's name. */
    public static String modelName(Project project) {
        return project.config().registry().name()
                .orElseGet(() -> project.repo().getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "-"));
    }

    /**
     * @param remeasure measures the champion on this run's test set when it was measured on another (null: such a
     *                  champion is not comparable)
     */
    public static Registration ifPassed(RunStore store, Project project, String runId, GateResult gate, Path model,
                                        Path trainDir, String datasetName, ModelRegistry.Remeasure remeasure,
                                        ChainListener out) {
        if (!gate.passed()) {
            return new Registration(null, null, "not registered: below the gate");
        }
        if (model == null) {
            return new Registration(null, null, "not registered: the run left no model file");
        }
        try {
            ModelRegistry registry = new ModelRegistry(store);
            ModelRecord m = registry.register(modelName(project), runId, model, gate.metric(), gate.value(),
                    gate.direction(), TestSet.key(trainDir.resolve("evaluation.json"), datasetName));
            PromotionRecord d = registry.decide(m, project.config().registry().margin(), remeasure);
            out.log(ChainRunner.GATE, "registered " + m.label() + " (sha256 " + m.sha256().substring(0, 12) + ", "
                    + m.path() + "); champion: " + d.action() + ", " + d.reason());
            return new Registration(m, d, null);
        } catch (TrainchainException e) {
            out.log(ChainRunner.GATE, "could not register the model " + model + ": " + e.getMessage());
            return new Registration(null, null, "not registered: " + e.getMessage());
        }
    }

    /** One line for summaries: "fashion-cnn v3, champion PROMOTED: accuracy 0.8912 against fashion-cnn v2's ...". */
    public String summary() {
        if (model == null) {
            return problem;
        }
        return model.label() + ", champion " + decision.action() + ": " + decision.reason();
    }
}

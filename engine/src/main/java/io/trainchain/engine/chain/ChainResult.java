package io.trainchain.engine.chain;

import io.trainchain.engine.detect.Detection;
import io.trainchain.engine.docker.BaseImage;
import io.trainchain.engine.docker.BuildTrainingImage;
import io.trainchain.engine.docker.TrainInContainer;
import io.trainchain.engine.gate.GateResult;
import io.trainchain.engine.store.RunStatus;
import io.trainchain.engine.store.StepTiming;
import io.trainchain.engine.watch.Attempt;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chain run that got as far as the gate. A failure before that is a {@link ChainException} instead.
 *
 * @param status    PASSED, BELOW_THRESHOLD, or FAILED when the gate found no metric
 * @param outputDir the run's folder; the trainer wrote into {@code trainOutputDir} under it
 * @param metrics   the finite numbers of evaluation.json (accuracy, macro_f1, test_loss)
 * @param model     the trained model file (may be missing if the trainer did not write one)
 * @param attempts  every training container and how it ended (more than one after restarts)
 * @param registration the registered model version and the champion decision, or why there is none
 */
public record ChainResult(String runId, RunStatus status, ChainSettings settings, TrainingParams params,
                          Detection detection, BaseImage.Result baseImage, BuildTrainingImage.Result image,
                          TrainInContainer.Result train, GateResult gate, List<StepTiming> steps, Path outputDir,
                          Path trainOutputDir, Map<String, Double> metrics, Path model, List<Attempt> attempts,
                          Registration registration) {

    public ChainResult {
        steps = List.copyOf(steps);
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
        metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }
}

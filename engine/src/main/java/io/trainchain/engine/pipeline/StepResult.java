package io.trainchain.engine.pipeline;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What a step hands back to its caller, 1:1 with {@link StepRequest}. Serializable and made of strings, numbers,
 * lists and maps only, so the Jenkins adapter can bring it back from the agent and turn it into a script's map.
 * Paths are absolute paths on the machine that ran the step.
 */
public sealed interface StepResult extends Serializable {

    /**
     * @param framework  the recipe name (dl4j, pytorch...)
     * @param evidence   "file:line: snippet" per place that counted
     * @param recipe     the image recipe's Dockerfile
     * @param recipeFound whether that recipe exists
     */
    record Detected(String framework, String displayName, double confidence, boolean overridden, String recipe,
                    boolean recipeFound, String recipeMessage, List<String> evidence, List<String> notes)
            implements StepResult {
    }

    /** @param cached whether an image of the same content was reused instead of built */
    record Image(String tag, String imageId, boolean cached, double seconds, String baseImage, String framework)
            implements StepResult {
    }

    /**
     * @param status PASSED, BELOW_THRESHOLD or NO_METRIC
     * @param value  null when the metric is missing
     */
    record Gate(String status, String metric, Double value, double threshold, String direction, boolean passed,
                String message) implements StepResult {
    }

    /** One training container and how it ended. */
    record AttemptRow(int number, String cause, Integer exitCode, boolean oomKilled, String containerName,
                      double seconds, String description) implements Serializable {
    }

    /**
     * @param status     the run's status: PASSED, BELOW_THRESHOLD or FAILED (no metric)
     * @param artifacts  name → absolute path: outputDir, trainOutputDir, evaluation, metricsFile, model, report
     * @param champion   the registry's decision on the model, or why there is none
     * @param reportHtml the run's HTML report (self-contained), or null when it could not be rendered
     */
    record Trained(String runId, String status, String image, Map<String, Double> metrics,
                   Map<String, String> artifacts, Gate gate, List<AttemptRow> attempts, String champion,
                   String reportHtml) implements StepResult {
    }

    /** One trial of a search. @param value the gate metric, null when it did not complete */
    record TrialRow(int number, Map<String, Object> params, String status, Double value, int epochs, boolean passed,
                    String runId, String model) implements Serializable {
    }

    /** An e-mail composed for the caller to send (deferred mail). */
    record OutgoingMail(List<String> to, String subject, String text, String html) implements Serializable {
    }

    /**
     * @param status     PASSED, BELOW_THRESHOLD, or FAILED when no trial completed
     * @param bestParams the best trial's hyperparameters (empty when none completed)
     * @param mail       what became of the owner's e-mail
     * @param outgoing   the composed e-mail when the caller sends it, else null
     */
    record Tuned(String searchId, String status, boolean passed, String stopReason, String metric, Double bestValue,
                 Map<String, Object> bestParams, String bestModel, String bestRunId, List<TrialRow> trials,
                 int epochsSpent, String mail, OutgoingMail outgoing, String champion, String reportHtml)
            implements StepResult {
    }

    /** @param completed whether the training ended with exit code 0 */
    record Watched(String container, boolean completed, String outputDir, List<AttemptRow> attempts)
            implements StepResult {
    }
}

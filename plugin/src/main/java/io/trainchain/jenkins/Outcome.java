package io.trainchain.jenkins;

import io.trainchain.engine.pipeline.StepResult;

import java.util.Locale;

/**
 * The build result a step's outcome asks for, as a plain value (the adapter maps it to {@code hudson.model.Result}).
 * A model below the gate is a result, not an error: UNSTABLE by default, FAILURE when configured, SUCCESS when the
 * script decides itself (it branches on the returned map). Failures of the work itself are exceptions instead.
 */
public enum Outcome {
    SUCCESS, UNSTABLE, FAILURE;

    /**
     * @param belowGate the step's choice (UNSTABLE, FAILURE, SUCCESS; any case), else {@code configured}, else
     *                  UNSTABLE
     */
    public static Outcome of(StepResult result, String belowGate, String configured) {
        if (passedOrNoGate(result)) {
            return SUCCESS;
        }
        String chosen = Requests.trim(belowGate) != null ? belowGate : configured;
        return chosen == null || chosen.isBlank() ? UNSTABLE : parse(chosen);
    }

    static boolean passedOrNoGate(StepResult result) {
        if (result instanceof StepResult.Gate g) {
            return g.passed();
        } else if (result instanceof StepResult.Trained t) {
            return t.gate().passed();
        } else if (result instanceof StepResult.Tuned t) {
            return t.passed();
        }
        return true;
    }

    /** @throws IllegalArgumentException with what is accepted */
    public static Outcome parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("belowGate is '" + text + "'; use UNSTABLE (the default), FAILURE, "
                    + "or SUCCESS (the script decides from the returned map)");
        }
    }
}

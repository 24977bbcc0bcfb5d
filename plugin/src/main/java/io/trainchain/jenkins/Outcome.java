package io.trainchain.jenkins;

import io.trainchain.engine.pipeline.StepRequest;
import io.trainchain.engine.pipeline.StepResult;

import java.util.Locale;

/**
 * The build result a step's outcome asks for, as a plain value (the adapter maps it to {@code hudson.model.Result}).
 * A model below the gate is a result, not an error: UNSTABLE by default, FAILURE when configured, SUCCESS when the
 * script decides itself (it branches on the returned map). Failures of the work itself are exceptions instead.
 */
public enum Outcome {
    SUCCESS, UNSTABLE, FAILURE;

    /** {@code belowGate} (as chosen by {@link #belowGate(StepRequest, String, String)}) when the gate was missed. */
    public static Outcome of(StepResult result, Outcome belowGate) {
        return passedOrNoGate(result) ? SUCCESS : belowGate;
    }

    /**
     * The result a missed gate will set: the step's choice (UNSTABLE, FAILURE, SUCCESS; any case), else
     * {@code configured} (the global configuration's), else UNSTABLE. Resolved before the step runs, so that a
     * typo fails at once rather than after hours of training; both values are checked for a step with a gate, and
     * a step without one ignores them (SUCCESS).
     *
     * @throws IllegalArgumentException naming the step or the global configuration, and what is accepted
     */
    public static Outcome belowGate(StepRequest request, String belowGate, String configured) {
        if (!(request instanceof StepRequest.Train || request instanceof StepRequest.Gate
                || request instanceof StepRequest.Tune)) {
            return SUCCESS;
        }
        Outcome global;
        try {
            global = blank(configured) ? UNSTABLE : parse(configured);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the global configuration's build result below the gate (Manage "
                    + "Jenkins > System > Trainchain): " + e.getMessage());
        }
        try {
            return blank(belowGate) ? global : parse(belowGate);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(request.step() + ": " + e.getMessage());
        }
    }

    private static boolean blank(String s) {
        return Requests.trim(s) == null;
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

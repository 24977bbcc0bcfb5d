package io.trainchain.cli;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.chain.ChainResult;

/** The exit codes of {@code trainchain run}, so scripts and CI can tell a weak model from a broken setup. */
final class ExitCodes {
    static final int GATE_PASSED = 0;
    static final int GATE_FAILED = 1;
    static final int BAD_INPUT = 2;
    static final int INFRASTRUCTURE = 3;

    private ExitCodes() {
    }

    /** 0 when the gate passed; 1 when the model is below it or the metric is missing. */
    static int of(ChainResult result) {
        return result.gate() != null && result.gate().passed() ? GATE_PASSED : GATE_FAILED;
    }

    /** 2 for the user's input; 3 for the machine (and for Trainchain's own bugs, which the user cannot fix either). */
    static int of(TrainchainException.Kind kind) {
        return kind == TrainchainException.Kind.BAD_INPUT ? BAD_INPUT : INFRASTRUCTURE;
    }
}

package io.trainchain.engine.tune;

import io.trainchain.engine.chain.TrialRunner;

/**
 * Runs one trial to its end (the chain's {@link TrialRunner}). An interrupt of the calling thread stops the trial:
 * the result is then STOPPED. Tests script trials through it without Docker.
 */
@FunctionalInterface
public interface TrialExecutor {
    TrialRunner.Result run(TrialRunner.Trial trial);
}

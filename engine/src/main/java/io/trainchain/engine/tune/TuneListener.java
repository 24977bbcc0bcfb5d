package io.trainchain.engine.tune;

import io.trainchain.engine.ChainListener;

import java.util.Map;

/** What a search reports besides its trials' own steps and logs (which arrive through the ChainListener side). */
public interface TuneListener extends ChainListener {

    String STEP = "tune";

    default void trialStarted(int number, Map<String, Object> params, boolean resumed) {
        log(STEP, "trial " + number + (resumed ? " resumed" : " started") + ": " + params);
    }

    default void trialEnded(TrialSummary trial) {
        log(STEP, "trial " + trial.number() + " " + trial.status() + ": " + trial.message());
    }

    /** A rung decision: the trial goes on, or stops, with the value it needed. */
    default void rung(int number, int epoch, Strategy.Decision d, double value) {
        log(STEP, "trial " + number + " at rung " + d.rung() + " (epoch " + epoch + "): " + value
                + (d.stop() ? " < " : " >= ") + d.cut() + " of " + d.compared() + (d.stop() ? ": stopped" : ": goes on"));
    }

    /** The budget spent so far, each part between 0 and 1 (null: that part has no limit). */
    default void budget(int trials, Integer maxTrials, int epochs, Integer maxEpochs, double minutes,
                        Double maxMinutes) {
    }

    /** A listener from a plain ChainListener. */
    static TuneListener of(ChainListener l) {
        if (l instanceof TuneListener t) {
            return t;
        }
        ChainListener base = l == null ? ChainListener.NONE : l;
        return new TuneListener() {
            @Override
            public void log(String step, String line) {
                base.log(step, line);
            }

            @Override
            public void epoch(String step, com.fasterxml.jackson.databind.JsonNode metrics) {
                base.epoch(step, metrics);
            }

            @Override
            public void stepStarted(String step) {
                base.stepStarted(step);
            }

            @Override
            public void stepFinished(String step, boolean success, String summary) {
                base.stepFinished(step, success, summary);
            }
        };
    }
}

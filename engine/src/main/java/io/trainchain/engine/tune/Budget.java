package io.trainchain.engine.tune;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a search has spent of its budget: trials started, epochs trained (all trials together, each epoch once),
 * and wall time (this process's, plus what a resumed search had spent before). Epochs arrive on the trials' threads.
 */
final class Budget {
    private final TuneSettings settings;
    private final AtomicInteger epochs = new AtomicInteger();
    private volatile int trials;
    private double secondsBefore;
    private long startNanos = System.nanoTime();

    Budget(TuneSettings settings) {
        this.settings = settings;
    }

    /** A resumed search's past: its trials, their epochs and the seconds they ran (shared by concurrent trials). */
    void spentBefore(int trialCount, int epochCount, double seconds) {
        trials = Math.max(trials, trialCount);
        epochs.addAndGet(epochCount);
        secondsBefore += seconds / settings.concurrency();
    }

    void start() {
        startNanos = System.nanoTime();
    }

    void trialStarted(int number) {
        trials = Math.max(trials, number);
    }

    /** Counts one more epoch trained; returns the total. */
    int epochTrained() {
        return epochs.incrementAndGet();
    }

    int epochs() {
        return epochs.get();
    }

    int trials() {
        return trials;
    }

    double minutes() {
        return (secondsBefore + (System.nanoTime() - startNanos) / 1e9) / 60;
    }

    boolean epochsSpent() {
        return settings.maxEpochs() != null && epochs.get() >= settings.maxEpochs();
    }

    /** Why no trial may start now (or, with {@code toStart} false, why running ones must stop), or null. */
    String spent(boolean toStart) {
        if (toStart && settings.maxTrials() != null && trials >= settings.maxTrials()) {
            return "trials budget spent (" + settings.maxTrials() + " trials)";
        }
        // A trial starts only with room for its first rung (ASHA) or for its whole run.
        int cost = toStart ? (settings.strategy().equals("asha") ? settings.minEpochs() : settings.trialEpochs()) : 0;
        if (settings.maxEpochs() != null && epochs.get() + cost > settings.maxEpochs()) {
            return "epochs budget spent (" + epochs.get() + " of " + settings.maxEpochs() + " epochs)";
        }
        if (settings.maxMinutes() != null && minutes() >= settings.maxMinutes()) {
            return "time budget spent (" + settings.maxMinutes() + " min)";
        }
        return null;
    }

    void report(TuneListener out) {
        out.budget(trials, settings.maxTrials(), epochs.get(), settings.maxEpochs(), minutes(), settings.maxMinutes());
    }
}

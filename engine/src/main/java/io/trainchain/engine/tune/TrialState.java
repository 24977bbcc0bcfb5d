package io.trainchain.engine.tune;

import io.trainchain.engine.chain.TrialRunner;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** A trial while the search runs. */
final class TrialState {
    final int number;
    final Map<String, Object> params;
    final Path runDir;
    final boolean resume;
    final Map<Integer, Double> values = new TreeMap<>();
    int epochs;
    Thread worker;
    String stopReason;
    Integer rung;
    boolean linked;
    TrialRunner.Result result;
    TrialSummary summary;

    TrialState(int number, Map<String, Object> params, Path runDir, boolean resume) {
        this.number = number;
        this.params = params;
        this.runDir = runDir;
        this.resume = resume;
    }
}

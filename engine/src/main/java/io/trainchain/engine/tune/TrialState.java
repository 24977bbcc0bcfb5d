package io.trainchain.engine.tune;

import io.trainchain.engine.chain.TrialRunner;
import io.trainchain.engine.store.RunStatus;
import io.trainchain.engine.store.SearchRecord;

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

    /** How the trial ended: stopped (by the search, or before it began), completed with its gate value, or failed. */
    TrialSummary summarize() {
        TrialRunner.Result r = result;
        SearchRecord.TrialStatus status;
        Double value = null;
        String message;
        if (r == null) {
            status = SearchRecord.TrialStatus.STOPPED;
            message = stopReason;
        } else if (r.status() == RunStatus.STOPPED || stopReason != null && r.status() == RunStatus.FAILED) {
            status = SearchRecord.TrialStatus.STOPPED;
            message = stopReason != null ? stopReason : r.message();
        } else if (r.status() == RunStatus.PASSED || r.status() == RunStatus.BELOW_THRESHOLD) {
            status = SearchRecord.TrialStatus.COMPLETED;
            value = r.gate().value();
            message = r.gate().message();
        } else {
            status = SearchRecord.TrialStatus.FAILED;
            message = r.message();
        }
        boolean passed = status == SearchRecord.TrialStatus.COMPLETED && r.status() == RunStatus.PASSED;
        return new TrialSummary(number, params, status, value, epochs, rung, passed, r == null ? null : r.runId(),
                runDir, r == null ? null : r.model(), message);
    }
}

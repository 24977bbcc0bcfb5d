package io.trainchain.engine.tune;

import io.trainchain.engine.store.SearchRecord.TrialStatus;

import java.nio.file.Path;
import java.util.Map;

/**
 * One trial as the search ends it.
 *
 * @param value   the gate metric on the test set (completed trials), else null
 * @param epochs  epochs it trained
 * @param rung    the rung it was stopped at, or null
 * @param passed  whether it passed the gate
 * @param model   its model file, null when none
 */
public record TrialSummary(int number, Map<String, Object> params, TrialStatus status, Double value, int epochs,
                           Integer rung, boolean passed, String runId, Path runDir, Path model, String message) {
}

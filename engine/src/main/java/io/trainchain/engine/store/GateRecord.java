package io.trainchain.engine.store;

import io.trainchain.engine.gate.Direction;
import io.trainchain.engine.gate.GateResult;
import io.trainchain.engine.gate.GateStatus;

/** The gate as stored with a run. */
public record GateRecord(String metric, GateStatus status, Double value, double threshold, Direction direction) {

    public static GateRecord of(GateResult result) {
        return new GateRecord(result.metric(), result.status(), result.value(), result.threshold(), result.direction());
    }
}

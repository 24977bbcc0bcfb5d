package io.trainchain.engine.gate;

/** Outcome of the gate. Only PASSED lets the chain go on to publish the model. */
public enum GateStatus { PASSED, BELOW_THRESHOLD, NO_METRIC }

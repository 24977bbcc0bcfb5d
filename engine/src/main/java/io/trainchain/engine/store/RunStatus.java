package io.trainchain.engine.store;

/** Lifecycle of a chain run: RUNNING until finishRun, then one of the three outcomes. */
public enum RunStatus { RUNNING, PASSED, BELOW_THRESHOLD, FAILED }

package io.trainchain.engine.store;

/** Lifecycle of a chain run: RUNNING until finishRun, then an outcome; STOPPED: a trial its search ended early. */
public enum RunStatus { RUNNING, PASSED, BELOW_THRESHOLD, FAILED, STOPPED }

package io.trainchain.jenkins;

import io.trainchain.engine.ChainListener;

import java.io.PrintStream;

/** The engine's events as build-log lines: "[trainchain] train: epoch 3 ...". Thread-safe (one println each). */
public final class ConsoleListener implements ChainListener {
    private final PrintStream log;

    public ConsoleListener(PrintStream log) {
        this.log = log;
    }

    @Override
    public void log(String step, String line) {
        log.println("[trainchain] " + step + ": " + line);
    }

    @Override
    public void stepStarted(String step) {
        log.println("[trainchain] " + step + " ...");
    }

    @Override
    public void stepFinished(String step, boolean success, String summary) {
        log.println("[trainchain] " + step + (success ? " done: " : " FAILED: ") + summary);
    }
}

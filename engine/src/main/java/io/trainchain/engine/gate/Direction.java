package io.trainchain.engine.gate;

import io.trainchain.engine.TrainchainException;

import java.util.Locale;

/** Which side of the threshold passes: accuracy-like metrics pass AT_LEAST, losses pass AT_MOST. */
public enum Direction {
    AT_LEAST("≥", "<"),
    AT_MOST("≤", ">");

    private final String passSymbol;
    private final String failSymbol;

    Direction(String passSymbol, String failSymbol) {
        this.passSymbol = passSymbol;
        this.failSymbol = failSymbol;
    }

    public boolean passes(double value, double threshold) {
        return this == AT_LEAST ? value >= threshold : value <= threshold;
    }

    /** Symbol shown between value and threshold when the value passes. */
    public String passSymbol() {
        return passSymbol;
    }

    /** Symbol shown between value and threshold when the value fails. */
    public String failSymbol() {
        return failSymbol;
    }

    /** Accepts at_least / at-least / AT_LEAST / ">=" and the AT_MOST equivalents. */
    public static Direction parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        switch (t) {
            case "at_least": case ">=": case "≥": case "min": return AT_LEAST;
            case "at_most": case "<=": case "≤": case "max": return AT_MOST;
            default:
                throw TrainchainException.badInput("gate direction '" + text
                        + "' is not known; use at_least (accuracy-like metrics) or at_most (losses)");
        }
    }
}

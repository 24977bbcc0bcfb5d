package io.trainchain.engine.config;

import io.trainchain.engine.TrainchainException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A hyperparameter search space: per param a choice list, a uniform or log-uniform range, or an integer range
 * (both ends included). Param names are the trainer's params (the DL4J trainer's params.json fields, a Python
 * script's params or MLproject parameters); the search only fills values in.
 */
public record SearchSpace(Map<String, Dimension> dimensions) {

    public static final SearchSpace EMPTY = new SearchSpace(Map.of());

    public SearchSpace {
        dimensions = Collections.unmodifiableMap(new LinkedHashMap<>(dimensions));
    }

    public boolean isEmpty() {
        return dimensions.isEmpty();
    }

    /** One param's values. */
    public sealed interface Dimension {
        /** As written in trainchain.yaml, for tables and the e-mail. */
        String describe();
    }

    public record Choice(List<Object> values) implements Dimension {
        public Choice {
            values = Collections.unmodifiableList(new ArrayList<>(values));
        }

        @Override
        public String describe() {
            return "choice " + values;
        }
    }

    public record Uniform(double low, double high, boolean log) implements Dimension {
        @Override
        public String describe() {
            return (log ? "log_uniform [" : "uniform [") + low + ", " + high + "]";
        }
    }

    public record IntRange(long low, long high) implements Dimension {
        @Override
        public String describe() {
            return "int [" + low + ", " + high + "]";
        }
    }

    /** This space with {@code other}'s dimensions added or replacing same-named ones. */
    public SearchSpace with(SearchSpace other) {
        Map<String, Dimension> all = new LinkedHashMap<>(dimensions);
        all.putAll(other.dimensions);
        return new SearchSpace(all);
    }

    /** The number of points when every dimension is finite (choices, integer ranges), else -1. */
    public long finiteSize() {
        long n = 1;
        for (Dimension d : dimensions.values()) {
            long k = d instanceof Choice c ? c.values().size()
                    : d instanceof IntRange r ? r.high() - r.low() + 1 : -1;
            if (k < 0) {
                return -1;
            }
            n = Math.multiplyExact(n, k);
        }
        return n;
    }

    /**
     * A command-line dimension: {@code NAME=choice:a,b,c}, {@code NAME=uniform:LOW,HIGH},
     * {@code NAME=log_uniform:LOW,HIGH}, {@code NAME=int:LOW,HIGH}. Choice values are numbers when they read as
     * numbers, true/false as booleans, otherwise strings.
     */
    public static SearchSpace parseOption(String text, String option) {
        Objects.requireNonNull(text, "text");
        int eq = text.indexOf('=');
        int colon = text.indexOf(':', Math.max(eq, 0));
        String example = "; write NAME=choice:0.001,0.002 or NAME=log_uniform:0.0001,0.01 (also uniform:, int:)";
        if (eq <= 0 || colon < 0) {
            throw TrainchainException.badInput(option + " '" + text + "' is not NAME=KIND:VALUES" + example);
        }
        String name = text.substring(0, eq).trim();
        String kind = text.substring(eq + 1, colon).trim();
        String[] parts = text.substring(colon + 1).split(",");
        String where = option + " " + name;
        Dimension d = switch (kind) {
            case "choice" -> {
                List<Object> values = new ArrayList<>();
                for (String p : parts) {
                    values.add(scalar(p.trim()));
                }
                yield choice(values, where);
            }
            case "uniform", "log_uniform" -> range(number(parts, 0, where), number(parts, 1, where),
                    kind.equals("log_uniform"), parts.length, where);
            case "int" -> intRange(number(parts, 0, where), number(parts, 1, where), parts.length, where);
            default -> throw TrainchainException.badInput(option + " '" + text + "': kind '" + kind
                    + "' is not known; use choice, uniform, log_uniform or int" + example);
        };
        return new SearchSpace(Map.of(name, d));
    }

    static Choice choice(List<Object> values, String where) {
        if (values.isEmpty()) {
            throw TrainchainException.badInput(where + ": the choice list is empty; give at least one value");
        }
        if (values.size() != values.stream().distinct().count()) {
            throw TrainchainException.badInput(where + ": the choice list " + values + " repeats a value; "
                    + "each value once");
        }
        return new Choice(values);
    }

    static Uniform range(double low, double high, boolean log, int count, String where) {
        String kind = log ? "log_uniform" : "uniform";
        if (count != 2) {
            throw TrainchainException.badInput(where + ": " + kind + " takes two numbers [LOW, HIGH], got " + count);
        }
        if (!(low < high)) {
            throw TrainchainException.badInput(where + ": " + kind + " [" + low + ", " + high + "] is empty; "
                    + "LOW must be below HIGH");
        }
        if (log && !(low > 0)) {
            throw TrainchainException.badInput(where + ": log_uniform needs LOW > 0 (got " + low + "); use "
                    + "uniform for ranges that reach 0");
        }
        return new Uniform(low, high, log);
    }

    static IntRange intRange(double low, double high, int count, String where) {
        if (count != 2 || low != Math.rint(low) || high != Math.rint(high)) {
            throw TrainchainException.badInput(where + ": int takes two whole numbers [LOW, HIGH], e.g. [1, 5]");
        }
        if (low > high) {
            throw TrainchainException.badInput(where + ": int [" + (long) low + ", " + (long) high + "] is empty; "
                    + "LOW must not be above HIGH");
        }
        return new IntRange((long) low, (long) high);
    }

    private static double number(String[] parts, int i, String where) {
        if (i >= parts.length) {
            throw TrainchainException.badInput(where + ": two numbers LOW,HIGH are needed");
        }
        try {
            double d = Double.parseDouble(parts[i].trim());
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // below
        }
        throw TrainchainException.badInput(where + ": '" + parts[i].trim() + "' is not a number");
    }

    private static Object scalar(String s) {
        if (s.equals("true") || s.equals("false")) {
            return Boolean.valueOf(s);
        }
        try {
            return Integer.valueOf(s);
        } catch (NumberFormatException ignored) {
            // not an int
        }
        try {
            double d = Double.parseDouble(s);
            return Double.isFinite(d) ? d : s;
        } catch (NumberFormatException ignored) {
            return s;
        }
    }
}

package io.trainchain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.trainchain.engine.ChainListener;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Prints a chain run as it happens: each step as it starts and ends with its time, the step's own output indented,
 * one progress line per epoch. ASCII only: a terminal without a UTF-8 locale would print '?'.
 */
class ConsolePrinter implements ChainListener {
    private static final int BAR = 20;

    private final PrintStream out;
    private final Map<String, Long> started = new HashMap<>();

    ConsolePrinter(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void stepStarted(String step) {
        started.put(step, System.nanoTime());
        out.println("> " + step);
    }

    @Override
    public synchronized void stepFinished(String step, boolean success, String summary) {
        Long t0 = started.remove(step);
        String time = t0 == null ? "" : String.format(Locale.ROOT, " %.2f s", (System.nanoTime() - t0) / 1e9);
        String first = summary == null ? "" : ascii(summary.lines().findFirst().orElse(""));
        out.println("< " + step + (success ? " ok" : " FAILED") + time + (first.isEmpty() ? "" : ": " + first));
    }

    @Override
    public synchronized void log(String step, String line) {
        out.println("    " + line);
    }

    @Override
    public synchronized void epoch(String step, JsonNode m) {
        out.println("    " + epochLine(m));
    }

    /** The gate's messages compare with ≥ and ≤; the watcher's attempts carry a dash. */
    static String ascii(String s) {
        return s.replace("≥", ">=").replace("≤", "<=").replace("—", "-");
    }

    /** "epoch 1/2 [##########..........] val_accuracy 0.8512  val_macro_f1 0.8490  480 images/s  12.3 s". */
    static String epochLine(JsonNode m) {
        int k = m.path("epoch").asInt();
        int n = m.path("epochs_total").asInt(0);
        StringBuilder s = new StringBuilder(m.has("trial") ? "trial " + m.get("trial").asInt() + " " : "")
                .append("epoch ").append(k);
        if (n > 0) {
            int filled = Math.min(BAR, Math.round(BAR * (float) k / n));
            s.append('/').append(n).append(" [").append("#".repeat(filled)).append(".".repeat(BAR - filled))
                    .append(']');
        }
        for (String key : new String[]{"val_accuracy", "val_macro_f1"}) {
            JsonNode v = m.get(key);
            if (v != null && v.isNumber()) {
                s.append(String.format(Locale.ROOT, " %s %.4f", key, v.asDouble()));
            }
        }
        if (m.path("images_per_second").isNumber()) {
            s.append(String.format(Locale.ROOT, "  %.0f images/s", m.get("images_per_second").asDouble()));
        }
        if (m.path("seconds").isNumber()) {
            s.append(String.format(Locale.ROOT, "  %.1f s", m.get("seconds").asDouble()));
        }
        return s.toString();
    }
}

package io.trainchain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.trainchain.engine.tune.Strategy;
import io.trainchain.engine.tune.TrialSummary;
import io.trainchain.engine.tune.TuneListener;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Prints a search as it happens: the chain's steps as {@link ConsolePrinter} does, a line per trial start and end
 * and per rung decision, and after each trial a bar of the budget spent (the part nearest its end).
 */
final class TunePrinter extends ConsolePrinter implements TuneListener {
    private static final int BAR = 20;
    private final PrintStream out;

    TunePrinter(PrintStream out) {
        super(out);
        this.out = out;
    }

    @Override
    public synchronized void log(String step, String line) {
        super.log(step, ascii(line));
    }

    @Override
    public synchronized void epoch(String step, JsonNode m) {
        super.epoch(step, m);
    }

    @Override
    public synchronized void trialStarted(int number, Map<String, Object> params, boolean resumed) {
        out.println("* trial " + number + (resumed ? " resumed from its checkpoint: " : ": ") + params);
    }

    @Override
    public synchronized void trialEnded(TrialSummary t) {
        out.println("* trial " + t.number() + " " + t.status()
                + (t.value() == null ? "" : String.format(Locale.ROOT, " %.4f", t.value()))
                + " after " + t.epochs() + " epochs: " + ascii(t.message() == null ? "" : t.message()));
    }

    @Override
    public synchronized void rung(int number, int epoch, Strategy.Decision d, double value) {
        out.println(String.format(Locale.ROOT, "* trial %d rung %d (epoch %d): %.4f %s cut %.4f of %d -> %s", number,
                d.rung(), epoch, value, d.stop() ? "misses the" : "makes the", d.cut(), d.compared(),
                d.stop() ? "stopped" : "goes on"));
    }

    @Override
    public synchronized void budget(int trials, Integer maxTrials, int epochs, Integer maxEpochs, double minutes,
                                    Double maxMinutes) {
        double spent = 0;
        spent = maxTrials == null ? spent : Math.max(spent, (double) trials / maxTrials);
        spent = maxEpochs == null ? spent : Math.max(spent, (double) epochs / maxEpochs);
        spent = maxMinutes == null ? spent : Math.max(spent, minutes / maxMinutes);
        int filled = (int) Math.min(BAR, Math.round(BAR * spent));
        out.println("  budget [" + "#".repeat(filled) + ".".repeat(BAR - filled) + "] "
                + trials + (maxTrials == null ? "" : "/" + maxTrials) + " trials, "
                + epochs + (maxEpochs == null ? "" : "/" + maxEpochs) + " epochs, "
                + String.format(Locale.ROOT, "%.1f", minutes)
                + (maxMinutes == null ? "" : String.format(Locale.ROOT, "/%.0f", maxMinutes)) + " min");
    }
}

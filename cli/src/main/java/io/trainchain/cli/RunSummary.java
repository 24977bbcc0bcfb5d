package io.trainchain.cli;

import io.trainchain.engine.chain.ChainResult;
import io.trainchain.engine.gate.Direction;
import io.trainchain.engine.gate.GateResult;
import io.trainchain.engine.store.StepTiming;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The table printed at the end of {@code trainchain run}. */
final class RunSummary {
    private RunSummary() {
    }

    static String render(ChainResult r, Path store) {
        StringBuilder s = new StringBuilder("\nSummary\n");
        double total = 0;
        for (StepTiming t : r.steps()) {
            double sec = t.duration().toNanos() / 1e9;
            total += sec;
            s.append(String.format(Locale.ROOT, "  %-18s %8.2f s%n", t.step(), sec));
        }
        s.append(String.format(Locale.ROOT, "  %-18s %8.2f s%n", "total", total));
        row(s, "framework", r.detection().framework().displayName() + " (" + r.detection().evidence().size()
                + " evidence" + (r.detection().overridden() ? ", set in trainchain.yaml" : "") + ")");
        row(s, "image", r.image().tag() + (r.image().cached() ? " (cached)" : " (built)"));
        if (r.train().epochs().isEmpty()) {
            row(s, "epochs", "0 recorded");
        } else {
            var last = r.train().epochs().get(r.train().epochs().size() - 1);
            row(s, "epochs", r.train().epochs().size() + (last.path("val_accuracy").isNumber()
                    ? String.format(Locale.ROOT, " (last val_accuracy %.4f)", last.get("val_accuracy").asDouble())
                    : ""));
        }
        if (r.attempts().size() > 1) {
            // What the watcher did: each container that died, why, and what it cost.
            StringBuilder restarts = new StringBuilder((r.attempts().size() - 1) + " restart"
                    + (r.attempts().size() == 2 ? "" : "s") + ":");
            r.attempts().subList(0, r.attempts().size() - 1).forEach(a -> restarts.append(' ').append(a.cause())
                    .append(a.exitCode() == null ? "" : " (exit " + a.exitCode() + ")")
                    .append(a.lostSeconds() == null ? "" : String.format(Locale.ROOT, " lost %.1f s", a.lostSeconds()))
                    .append(';'));
            row(s, "watch", restarts.substring(0, restarts.length() - 1));
        }
        Double acc = r.metrics().get("accuracy");
        Double f1 = r.metrics().get("macro_f1");
        row(s, "test", (acc == null ? "accuracy n/a" : String.format(Locale.ROOT, "accuracy %.4f", acc))
                + (f1 == null ? ", macro F1 n/a" : String.format(Locale.ROOT, ", macro F1 %.4f", f1)));
        row(s, "gate", verdict(r.gate()));
        row(s, "run", r.runId() + " (" + r.status() + ", store " + store + ")");
        row(s, "model", r.model() == null ? "none (the script left no model file)" : r.model().toString());
        if (r.registration() != null) {
            row(s, "registry", ConsolePrinter.ascii(r.registration().summary()));
        }
        Path report = r.outputDir() == null ? null : r.outputDir().resolve("report.html");
        if (report != null && Files.isRegularFile(report)) {
            row(s, "report", report.toString());
        }
        return s.toString();
    }

    /** "PASSED: accuracy 0.8123 >= 0.50" with ASCII comparison signs. */
    static String verdict(GateResult g) {
        if (g.value() == null) {
            return g.status() + ": " + g.message();
        }
        boolean atLeast = g.direction() == Direction.AT_LEAST;
        String sign = g.passed() ? (atLeast ? ">=" : "<=") : (atLeast ? "<" : ">");
        return String.format(Locale.ROOT, "%s: %s %.4f %s %s", g.status(), g.metric(), g.value(), sign,
                threshold(g.threshold()));
    }

    static String threshold(double t) {
        String s = java.math.BigDecimal.valueOf(t).stripTrailingZeros().toPlainString();
        return s.contains(".") && s.length() - s.indexOf('.') - 1 >= 2 ? s : String.format(Locale.ROOT, "%.2f", t);
    }

    private static void row(StringBuilder s, String key, String value) {
        s.append(String.format(Locale.ROOT, "  %-10s %s%n", key, value));
    }
}

package io.trainchain.cli;

import io.trainchain.engine.store.SearchRecord;
import io.trainchain.engine.tune.SearchResult;
import io.trainchain.engine.tune.TrialSummary;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The table at the end of a search: every trial sorted by the gate metric, then the best one and the verdict. */
final class TuneSummary {
    private TuneSummary() {
    }

    static String render(SearchResult r, Path store) {
        String metric = r.settings().gate().metric();
        StringBuilder s = new StringBuilder("\nsearch ").append(r.searchId()).append(": ").append(r.settings()
                .strategy()).append(", ended: ").append(r.stopReason()).append('\n');
        s.append(String.format(Locale.ROOT, "  %-5s %-10s %-6s %-9s %s%n", "trial", metric, "epochs", "status",
                "params"));
        for (TrialSummary t : r.ranked()) {
            s.append(String.format(Locale.ROOT, "  %-5d %-10s %-6d %-9s %s%n", t.number(),
                    t.value() == null ? "-" : String.format(Locale.ROOT, "%.4f", t.value()), t.epochs(),
                    t.status() + (t.rung() == null ? "" : "@" + t.rung()), t.params()));
        }
        s.append(String.format(Locale.ROOT, "  spent      %d trials, %d epochs, %.1f min (budget %s)%n",
                r.trials().size(), r.epochsSpent(), r.seconds() / 60, r.settings().budget()));
        if (r.best().isPresent()) {
            TrialSummary b = r.best().get();
            s.append(String.format(Locale.ROOT, "  best       trial %d: %s %.4f, %s%n", b.number(), metric, b.value(),
                    b.params()));
            s.append("  model      ").append(b.model() == null ? "(none written)" : b.model()).append('\n');
            s.append("  run        ").append(b.runId()).append('\n');
        }
        s.append("  gate       ").append(r.passed() ? "PASSED" : r.best().isPresent() ? "BELOW_THRESHOLD"
                : "no trial completed").append(String.format(Locale.ROOT, ": %s %s %.2f%n", metric,
                r.settings().higherIsBetter() ? ">=" : "<=", r.settings().gate().threshold()));
        if (r.registration() != null) {
            s.append("  registry   ").append(ConsolePrinter.ascii(r.registration().summary())).append('\n');
        }
        if (r.report() != null) {
            s.append("  report     ").append(r.report()).append('\n');
        }
        if (r.mail() != null) {
            s.append("  e-mail     ").append(ConsolePrinter.ascii(r.mail())).append('\n');
        }
        s.append("  store      ").append(store).append('\n');
        return s.toString();
    }

    /** One line a search: id, start, status, strategy, trials (completed), best value, why it ended, repository. */
    static String list(List<SearchRecord> searches) {
        if (searches.isEmpty()) {
            return "no searches yet (trainchain tune REPO, or trainchain run REPO below its gate with a tune: section)\n";
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-26s %-20s %-15s %-7s %-8s %-8s %s%n",
                "search", "started (UTC)", "status", "strategy", "trials", "best", "ended / repository"));
        for (SearchRecord r : searches) {
            long completed = r.trials().stream().filter(t -> t.status() == SearchRecord.TrialStatus.COMPLETED).count();
            Double best = r.trials().stream().filter(t -> t.runId() != null && t.runId().equals(r.bestRunId()))
                    .map(SearchRecord.Trial::value).findFirst().orElse(null);
            s.append(String.format(Locale.ROOT, "%-26s %-20s %-15s %-7s %-8s %-8s %s%n", r.id(),
                    r.startedAt().toString().substring(0, 19).replace('T', ' '), r.status(), r.strategy(),
                    r.trials().size() + " (" + completed + ")", best == null ? "-" : String.format(Locale.ROOT,
                            "%.4f", best), (r.stopReason() == null ? "not ended (--resume continues it)"
                            : r.stopReason()) + " / " + r.repository()));
        }
        return s.toString();
    }
}

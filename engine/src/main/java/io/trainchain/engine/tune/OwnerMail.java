package io.trainchain.engine.tune;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.chain.Project;
import io.trainchain.engine.notify.Delivery;
import io.trainchain.engine.notify.Mail;
import io.trainchain.engine.notify.Mailer;
import io.trainchain.engine.store.GitInfo;

import java.util.List;
import java.util.Locale;

/**
 * The e-mail to a model's owner at the end of a search, passed or not: the best value and its params, the gate
 * verdict, the budget spent, the trials table and where the model is; plain text plus HTML. The owner is
 * tune.notify (or --notify), else the author of the commit that was trained.
 */
public final class OwnerMail implements SearchMailer {
    private final Mailer mailer;

    public OwnerMail(Mailer mailer) {
        this.mailer = mailer;
    }

    @Override
    public String send(SearchResult result, Project project, TuneListener out) {
        List<String> to = recipients(result, project);
        if (to.isEmpty()) {
            String why = "no e-mail: no owner (set tune.notify in trainchain.yaml or --notify; the repository has "
                    + "no commit author)";
            out.log(TuneListener.STEP, why);
            return why;
        }
        try {
            Delivery d = mailer.deliver(compose(result, project, to));
            String line = switch (d.status()) {
                case SENT -> "e-mail sent to " + String.join(", ", to);
                case QUEUED -> "e-mail to " + String.join(", ", to) + " queued in " + d.outboxFile() + " ("
                        + d.reason() + "); trainchain outbox send retries it";
                case FAILED -> "e-mail to " + String.join(", ", to) + " not sent and not queued: " + d.reason();
            };
            out.log(TuneListener.STEP, line);
            return line;
        } catch (TrainchainException e) {
            String line = "no e-mail: " + e.getMessage();
            out.log(TuneListener.STEP, line);
            return line;
        }
    }

    /** tune.notify (or --notify), else the author of the commit that was trained; empty when neither is known. */
    static List<String> recipients(SearchResult result, Project project) {
        List<String> to = result.settings().owners();
        return to.isEmpty() ? GitInfo.authorEmail(project.repo()).map(List::of).orElse(List.of()) : to;
    }

    static Mail compose(SearchResult r, Project project, List<String> to) {
        String metric = r.settings().gate().metric();
        String name = project.repo().getFileName().toString();
        String verdict = r.passed() ? "passed" : r.best().isPresent() ? "below the gate" : "no trial completed";
        String best = r.best().map(b -> metric + " " + fmt(b.value())).orElse("no completed trial");
        String subject = "[trainchain] " + name + ": search " + verdict + " (" + best + ")";
        StringBuilder text = new StringBuilder();
        text.append("Search ").append(r.searchId()).append(" on ").append(project.repo()).append(" ended: ")
                .append(r.stopReason()).append(".\n\n");
        text.append("Gate: ").append(metric).append(' ').append(r.settings().higherIsBetter() ? ">=" : "<=")
                .append(' ').append(fmt(r.settings().gate().threshold())).append(": ").append(verdict).append('\n');
        r.best().ifPresent(b -> {
            text.append("Best: trial ").append(b.number()).append(", ").append(metric).append(' ')
                    .append(fmt(b.value())).append('\n');
            text.append("Hyperparameters: ").append(b.params()).append('\n');
            text.append("Model: ").append(b.model() == null ? b.runDir() : b.model()).append(" (run ")
                    .append(b.runId()).append(")\n");
        });
        text.append("Budget: ").append(r.settings().budget()).append("; spent ").append(r.trials().size())
                .append(" trials, ").append(r.epochsSpent()).append(" epochs, ")
                .append(String.format(Locale.ROOT, "%.1f", r.seconds() / 60)).append(" min\n");
        if (r.registration() != null) {
            text.append("Registry: ").append(r.registration().summary()).append('\n');
        }
        if (r.report() != null) {
            text.append("Report: ").append(r.report()).append('\n');
        }
        text.append('\n');
        text.append(String.format(Locale.ROOT, "%-6s %-10s %-8s %-10s %s%n", "trial", metric, "epochs", "status",
                "params"));
        for (TrialSummary t : r.ranked()) {
            text.append(String.format(Locale.ROOT, "%-6d %-10s %-8d %-10s %s%n", t.number(),
                    t.value() == null ? "-" : fmt(t.value()), t.epochs(), t.status(), t.params()));
        }
        StringBuilder html = new StringBuilder("<html><body style=\"font-family:sans-serif\">");
        html.append("<h2>").append(esc(name)).append(": search ").append(esc(verdict)).append("</h2>");
        html.append("<p>").append(esc("Search " + r.searchId() + " ended: " + r.stopReason() + ".")).append("</p>");
        html.append("<p><b>Best</b>: ").append(esc(best));
        r.best().ifPresent(b -> html.append(", trial ").append(b.number()).append("<br><b>Hyperparameters</b>: ")
                .append(esc(String.valueOf(b.params()))).append("<br><b>Model</b>: <code>")
                .append(esc(String.valueOf(b.model() == null ? b.runDir() : b.model()))).append("</code>"));
        html.append("<br><b>Budget</b>: ").append(esc(r.settings().budget())).append("; spent ")
                .append(r.trials().size()).append(" trials, ").append(r.epochsSpent()).append(" epochs</p>");
        html.append("<table border=\"1\" cellpadding=\"4\" style=\"border-collapse:collapse\"><tr><th>trial</th><th>")
                .append(esc(metric)).append("</th><th>epochs</th><th>status</th><th>params</th></tr>");
        for (TrialSummary t : r.ranked()) {
            html.append("<tr><td>").append(t.number()).append("</td><td>")
                    .append(t.value() == null ? "-" : fmt(t.value())).append("</td><td>").append(t.epochs())
                    .append("</td><td>").append(t.status()).append("</td><td>").append(esc(String.valueOf(t.params())))
                    .append("</td></tr>");
        }
        html.append("</table></body></html>");
        return new Mail(to, subject, text.toString(), html.toString());
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

package io.trainchain.engine.server;

import io.trainchain.engine.store.QueuedChain;

import java.time.Instant;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * The server's HTML page: queued, running and finished chains, newest first, each with its trigger, commit and run,
 * and a link to the run's report once it was written. Plain HTML, no script: it refreshes itself.
 */
public final class StatusPage {
    private StatusPage() {
    }

    /** @param hasReport whether queued chain {@code seq} has a report.html (served at /runs/SEQ/report.html) */
    public static String render(List<QueuedChain> chains, LongPredicate hasReport, Instant now) {
        StringBuilder b = new StringBuilder(4096);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta http-equiv=\"refresh\" content=\"10\"><title>Trainchain server</title><style>"
                + "body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}"
                + "td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left}"
                + ".QUEUED{background:#eef}.RUNNING{background:#ffd}.DONE{background:#efe}"
                + ".FAILED{background:#fee}.SUPERSEDED{color:#777}</style></head><body>\n"
                + "<h1>Trainchain server</h1>\n<p id=\"counts\">");
        for (QueuedChain.State s : QueuedChain.State.values()) {
            long n = chains.stream().filter(c -> c.state() == s).count();
            b.append(s.name().toLowerCase(java.util.Locale.ROOT)).append(": <span id=\"count-")
                    .append(s.name()).append("\">").append(n).append("</span> ");
        }
        b.append("</p>\n<p>as of ").append(esc(now.toString())).append(" · <a href=\"/runs\">JSON</a></p>\n");
        if (chains.isEmpty()) {
            b.append("<p id=\"empty\">Nothing queued yet: push to a configured branch.</p>\n");
        } else {
            b.append("<table id=\"chains\"><thead><tr><th>#</th><th>state</th><th>repository</th><th>branch</th>"
                    + "<th>commit</th><th>trigger</th><th>pusher</th><th>run</th><th>report</th><th>message</th>"
                    + "</tr></thead><tbody>\n");
            for (QueuedChain c : chains) {
                b.append("<tr id=\"chain-").append(c.seq()).append("\" class=\"").append(c.state().name())
                        .append("\"><td>").append(c.seq()).append("</td><td class=\"state\">")
                        .append(c.state().name()).append("</td><td>").append(esc(c.repository())).append("</td><td>")
                        .append(esc(c.branch())).append("</td><td><code>")
                        .append(esc(c.commitId().substring(0, Math.min(12, c.commitId().length()))))
                        .append("</code></td><td>").append(esc(c.trigger().toString())).append("</td><td>")
                        .append(esc(c.pusher())).append("</td><td>").append(esc(c.runId()))
                        .append(c.runStatus() == null ? "" : " " + c.runStatus().name()).append("</td><td>");
                if (hasReport.test(c.seq())) {
                    b.append("<a class=\"report\" href=\"/runs/").append(c.seq()).append("/report.html\">report</a>");
                }
                b.append("</td><td>").append(esc(c.message())).append("</td></tr>\n");
            }
            b.append("</tbody></table>\n");
        }
        return b.append("</body></html>\n").toString();
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }
}

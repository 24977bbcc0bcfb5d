package io.trainchain.engine.report;

import io.trainchain.engine.TrainchainException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The page around the reports: one file with its CSS, its script and its charts inline. The Content-Security-Policy
 * lets the page load nothing at all (no fonts, scripts, images or connections from anywhere), so a report opens the
 * same on an air-gapped machine and would show a console error, not a silent request, if anything tried.
 */
final class Html {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
            + "img-src data:; base-uri 'none'; form-action 'none'";

    private static final String CSS = """
            body{font-family:sans-serif;margin:1.5em auto;max-width:1100px;padding:0 1em;color:#222}
            h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}
            .sub{color:#555;margin-top:0}
            table{border-collapse:collapse;margin:.5em 0;font-size:.9em}
            th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
            th{background:#f2f2f2}td.n{text-align:right;font-variant-numeric:tabular-nums}
            table.sortable th{cursor:pointer;user-select:none}
            th[aria-sort=ascending]::after{content:" \\25B2"}th[aria-sort=descending]::after{content:" \\25BC"}
            tr.best td{background:#eef7ee}td.diff{background:#fff3cd;font-weight:bold}
            .verdict{display:inline-block;padding:.2em .7em;border-radius:.3em;font-weight:bold;color:#fff}
            .PASSED{background:#2e7d32}.BELOW_THRESHOLD,.STOPPED{background:#b26a00}
            .FAILED,.NO_METRIC{background:#c62828}.RUNNING{background:#1565c0}
            .charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(440px,1fr));gap:1em}
            section>svg{max-width:820px}svg[id=chart-confusion]{max-width:680px}
            #compare td{overflow-wrap:anywhere}.wide{overflow-x:auto}
            svg{max-width:100%;height:auto}pre{background:#f6f6f6;padding:.5em;overflow-x:auto;font-size:.85em}
            .note{color:#555;font-size:.9em}
            """;

    /** Sorts a table.sortable by the clicked header: numbers by data-v, empty cells last either way. */
    private static final String SCRIPT = """
            document.querySelectorAll('table.sortable th').forEach(function (th) {
              th.tabIndex = 0;
              th.addEventListener('click', function () { sort(th); });
              th.addEventListener('keydown', function (e) { if (e.key === 'Enter') sort(th); });
            });
            function sort(th) {
              var table = th.closest('table'), body = table.tBodies[0], col = th.cellIndex;
              var up = th.getAttribute('aria-sort') !== 'ascending', numeric = th.dataset.type === 'number';
              table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
              th.setAttribute('aria-sort', up ? 'ascending' : 'descending');
              function key(row) {
                var c = row.cells[col], v = c.hasAttribute('data-v') ? c.getAttribute('data-v') : c.textContent.trim();
                return numeric ? (v === '' ? NaN : parseFloat(v)) : v;
              }
              Array.from(body.rows).sort(function (a, b) {
                var x = key(a), y = key(b);
                if (numeric) {
                  if (isNaN(x) || isNaN(y)) return isNaN(x) - isNaN(y);
                  return up ? x - y : y - x;
                }
                return up ? String(x).localeCompare(y) : String(y).localeCompare(x);
              }).forEach(function (r) { body.appendChild(r); });
            }
            """;

    private Html() {
    }

    static String esc(Object value) {
        String s = String.valueOf(value);
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Four decimals, or "-" for a missing or non-finite number. */
    static String num(Double v) {
        return v == null || !Double.isFinite(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    static String time(Instant t) {
        return t == null ? "-" : TIME.format(t);
    }

    static String page(String title, String subtitle, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"" + CSP + "\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + esc(title) + "</title>\n<style>" + CSS + "</style></head>\n<body>\n"
                + "<h1>" + esc(title) + "</h1>\n<p class=\"sub\">" + esc(subtitle) + "</p>\n"
                + body + "\n<script>" + SCRIPT + "</script>\n</body></html>\n";
    }

    static String section(String id, String title, String content) {
        return "<section id=\"" + esc(id) + "\"><h2>" + esc(title) + "</h2>\n" + content + "</section>\n";
    }

    static String verdict(Object status) {
        return "<span class=\"verdict " + esc(status) + "\">" + esc(status) + "</span>";
    }

    /** A two-column table of names and already escaped HTML values. */
    static String keyValues(String id, List<String[]> rows) {
        StringBuilder b = new StringBuilder("<table id=\"" + esc(id) + "\" class=\"kv\"><tbody>");
        for (String[] r : rows) {
            b.append("<tr><th>").append(esc(r[0])).append("</th><td>").append(r[1]).append("</td></tr>");
        }
        return b.append("</tbody></table>\n").toString();
    }

    /** A table built row by row; cells are HTML already escaped by the caller (use {@link #esc}). */
    static final class Table {
        private final StringBuilder b = new StringBuilder();

        /** @param numeric per column: sorted as numbers (by data-v) and right-aligned */
        Table(String id, boolean sortable, List<String> headers, List<Boolean> numeric) {
            b.append("<table id=\"").append(esc(id)).append('"').append(sortable ? " class=\"sortable\"" : "")
                    .append("><thead><tr>");
            for (int i = 0; i < headers.size(); i++) {
                b.append("<th").append(numeric.get(i) ? " data-type=\"number\"" : "").append('>')
                        .append(esc(headers.get(i))).append("</th>");
            }
            b.append("</tr></thead><tbody>\n");
        }

        Table row(String cssClass, List<String> cells) {
            b.append(cssClass == null ? "<tr>" : "<tr class=\"" + esc(cssClass) + "\">");
            cells.forEach(b::append);
            b.append("</tr>\n");
            return this;
        }

        String html() {
            return b + "</tbody></table>\n";
        }
    }

    static String td(Object text) {
        return "<td>" + esc(text) + "</td>";
    }

    /** A number cell: four decimals shown, the exact value kept for sorting. */
    static String tdNum(Double v) {
        return tdNum(v, 4);
    }

    static String tdNum(Double v, int decimals) {
        return v == null || !Double.isFinite(v) ? "<td class=\"n\" data-v=\"\">-</td>"
                : "<td class=\"n\" data-v=\"" + v + "\">" + String.format(Locale.ROOT, "%." + decimals + "f", v) + "</td>";
    }

    static String tdInt(Number v) {
        return v == null ? "<td class=\"n\" data-v=\"\">-</td>" : "<td class=\"n\" data-v=\"" + v + "\">" + v + "</td>";
    }

    /** Writes through a temporary file so a reader (a browser, Jenkins) never sees half a report. */
    static Path write(String html, Path out) {
        Path tmp = out.toAbsolutePath().resolveSibling("." + out.getFileName() + ".tmp");
        try {
            Files.createDirectories(tmp.getParent());
            Files.writeString(tmp, html);
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return out;
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write's failure is the one worth reporting
            }
            throw TrainchainException.infrastructure("cannot write the report " + out + ": " + e.getMessage(), e);
        }
    }
}

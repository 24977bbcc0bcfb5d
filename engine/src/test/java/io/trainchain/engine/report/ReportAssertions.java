package io.trainchain.engine.report;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Checks shared by the report tests. */
final class ReportAssertions {
    /** Namespace names in SVG are identifiers, never fetched. */
    private static final Pattern XMLNS = Pattern.compile("\\sxmlns(:\\w+)?=(['\"])[^'\"]*\\2");
    private static final Pattern MARKUP = Pattern.compile("(?s)<style>.*?</style>|<script>.*?</script>|<[^>]*>");
    /** What would make a browser ask for something: a URL, a scheme-relative one, an import, a src or href. */
    private static final Pattern FETCH = Pattern.compile("(?i)[a-z][a-z0-9+.-]*://|//[a-z0-9]|@import|@font-face"
            + "|\\bsrc\\s*=|\\bhref\\s*=\\s*['\"]?[^#'\"]|url\\(\\s*['\"]?[^#'\"\\s]|\\bfetch\\(|XMLHttpRequest|WebSocket"
            + "|\\bimport\\(|<link|<iframe|<img|<object|<embed|<base");

    private ReportAssertions() {
    }

    /**
     * Nothing in the page's markup, CSS or script refers to anything outside it; text between tags may say
     * anything, since it is escaped and never fetched.
     */
    static void assertSelfContained(String html) {
        String markup = XMLNS.matcher(html).replaceAll("");
        Matcher m = MARKUP.matcher(markup);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            Matcher bad = FETCH.matcher(m.group());
            while (bad.find()) {
                found.add(m.group().substring(Math.max(0, bad.start() - 40), Math.min(m.group().length(), bad.end() + 40)));
            }
        }
        if (!found.isEmpty()) {
            fail("the report refers to something outside itself: " + found);
        }
        assertEquals(1, count(html, "<script"), "only the report's own inline script");
        assertTrue(html.startsWith("<!DOCTYPE html>"), "a complete page");
    }

    static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    /** The inline SVG element with this id. */
    static String svg(String html, String id) {
        int start = html.indexOf("<svg id='" + id + "'");
        assertTrue(start >= 0, "no chart " + id);
        return html.substring(start, html.indexOf("</svg>", start) + 6);
    }

    /** The element with this id, up to its closing tag (tables and sections do not nest in themselves here). */
    static String element(String html, String tag, String id) {
        int start = html.indexOf("<" + tag + " id=\"" + id + "\"");
        assertTrue(start >= 0, "no <" + tag + " id=" + id + ">");
        return html.substring(start, html.indexOf("</" + tag + ">", start) + tag.length() + 3);
    }
}

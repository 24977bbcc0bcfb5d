package io.trainchain.engine.report;

import io.trainchain.engine.store.RunStatus;
import io.trainchain.engine.store.SearchRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.trainchain.engine.report.ReportAssertions.assertSelfContained;
import static io.trainchain.engine.report.ReportAssertions.count;
import static io.trainchain.engine.report.ReportAssertions.element;
import static io.trainchain.engine.report.ReportAssertions.svg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A 4-trial ASHA search (rungs at 1 and 2 epochs) from real trainer output, recorded in a real store. */
class SearchReportTest {
    @TempDir
    Path tmp;

    @Test
    void everyTrialsCurveWithTheRungsAndTheGate() {
        try (ReportFixtures.Fixture f = ReportFixtures.create(tmp, "/repos/fashion")) {
            String html = SearchReport.html(f.search(), f.trialRuns());
            assertSelfContained(html);
            String chart = svg(html, "chart-trials");
            for (int n = 1; n <= 4; n++) {
                assertEquals(1, count(chart, ">trial " + n + "<"), "trial " + n + " in the legend");
            }
            assertEquals(1, count(chart, ">rung 0<"));
            assertEquals(1, count(chart, ">rung 1<"));
            assertEquals(0, count(chart, ">rung 2<"), "no rung at the trial's last epoch");
            assertTrue(chart.contains(">gate: accuracy ≥ 0.8<"), "the threshold line");
            assertTrue(html.contains("data-rungs=\"1,2\""));
        }
    }

    @Test
    void theTrialsTableSortsAndMarksTheBest() {
        try (ReportFixtures.Fixture f = ReportFixtures.create(tmp, "/repos/fashion")) {
            String table = element(SearchReport.html(f.search(), f.trialRuns()), "table", "trials-table");
            assertTrue(table.startsWith("<table id=\"trials-table\" class=\"sortable\">"), table);
            assertTrue(table.contains("<th data-type=\"number\">trial</th><th>status</th>"
                    + "<th data-type=\"number\">accuracy</th><th data-type=\"number\">epochs</th>"), table);
            assertTrue(table.contains("<th data-type=\"number\">learning_rate</th>"
                    + "<th data-type=\"number\">batch_size</th>"), table);
            assertEquals(4, count(table, "<tr") - 1);
            assertEquals(1, count(table, "<tr class=\"best\">"));
            String best = table.substring(table.indexOf("<tr class=\"best\">"));
            assertTrue(best.substring(0, best.indexOf("</tr>")).contains(">0.7200<"), best);
            assertTrue(table.contains("data-v=\"0.695\">0.6950</td>"), table);
            assertTrue(table.contains(">0 (1 epoch)</td>"), "the stopped trials' rung");
            assertTrue(table.contains(">0.0005</td>"), "plain numbers, not 5.0E-4");
        }
    }

    @Test
    void oneChartPerHyperparameterAndTheVerdict() {
        try (ReportFixtures.Fixture f = ReportFixtures.create(tmp, "/repos/fashion")) {
            String html = SearchReport.html(f.search(), f.trialRuns());
            assertTrue(svg(html, "chart-param-0").contains(">learning_rate<"));
            assertTrue(svg(html, "chart-param-1").contains(">batch_size<"));
            assertTrue(svg(html, "chart-param-0").contains(">completed: accuracy<"));
            String summary = element(html, "table", "search-summary");
            assertTrue(summary.contains("verdict BELOW_THRESHOLD") && summary.contains(ReportFixtures.STOP_REASON), summary);
            assertTrue(summary.contains("trial 2: accuracy 0.7200") && summary.contains(f.run().id()), summary);
            assertTrue(summary.contains("4 (2 completed, 2 stopped early, 0 failed, 0 running)"), summary);
        }
    }

    @Test
    void aGridSearchHasNoRungs() {
        try (ReportFixtures.Fixture f = ReportFixtures.create(tmp, "/repos/fashion")) {
            SearchRecord s = f.search();
            SearchRecord grid = new SearchRecord(s.id(), null, s.repository(), "grid",
                    s.specJson().replace("\"asha\"", "\"grid\""), s.status(), s.bestRunId(), s.stopReason(), null,
                    s.startedAt(), s.finishedAt(), s.trials());
            String html = SearchReport.html(grid, f.trialRuns());
            assertFalse(html.contains(">rung 0<") || html.contains("id=\"rungs\""));
            assertEquals(1, count(svg(html, "chart-trials"), ">trial 4<"));
        }
    }

    @Test
    void aGateAboveEveryCurveIsStillDrawn() {
        try (ReportFixtures.Fixture f = ReportFixtures.create(tmp, "/repos/fashion")) {
            SearchRecord s = f.search();
            SearchRecord high = new SearchRecord(s.id(), null, s.repository(), s.strategy(),
                    s.specJson().replace("\"threshold\":0.8", "\"threshold\":0.95"), s.status(), s.bestRunId(),
                    s.stopReason(), null, s.startedAt(), s.finishedAt(), s.trials());
            assertTrue(svg(SearchReport.html(high, f.trialRuns()), "chart-trials").contains(">gate: accuracy ≥ 0.95<"));
        }
    }

    @Test
    void aSearchThatHasJustStartedHasAReportToo() {
        SearchRecord empty = new SearchRecord("s1", null, "/repos/x", "random", "not json", RunStatus.RUNNING, null,
                null, null, Instant.EPOCH, null, List.of());
        String html = SearchReport.html(empty, Map.of());
        assertSelfContained(html);
        assertTrue(html.contains("No trial has recorded an epoch yet"));
        assertTrue(SearchReport.defaultFile(empty).isEmpty());
    }

    @Test
    void theReportGoesIntoTheSearchsFolder() throws Exception {
        try (ReportFixtures.Fixture f = ReportFixtures.create(tmp, "/repos/fashion")) {
            Path file = SearchReport.defaultFile(f.search()).orElseThrow();
            assertEquals(tmp.resolve("searches/search-1/report.html").toAbsolutePath(), file);
            SearchReport.write(f.search(), f.store(), file);
            assertTrue(Files.readString(file).contains("<table id=\"trials-table\""));
        }
    }

    @Test
    void ashaRungsAreWhereTheStrategyPutsThem() {
        assertEquals(List.of(1, 3, 9), new SearchSpec("asha", "accuracy", 0.9, "AT_LEAST", 27, 1, 3).rungs());
        assertEquals(List.of(1, 2), new SearchSpec("asha", "accuracy", 0.9, "AT_LEAST", 3, 1, 2).rungs());
        assertEquals(List.of(2), new SearchSpec("asha", "accuracy", 0.9, "AT_LEAST", 5, 2, 3).rungs());
        assertEquals(List.of(), new SearchSpec("grid", "accuracy", 0.9, "AT_LEAST", 5, 1, 0).rungs());
        assertEquals("val_loss", new SearchSpec("asha", "test_loss", 0.5, "AT_MOST", 5, 1, 3).curveName());
        assertEquals("test_loss ≤ 0.5", new SearchSpec("asha", "test_loss", 0.5, "AT_MOST", 5, 1, 3).gateText());
    }
}

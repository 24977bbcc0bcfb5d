package io.trainchain.engine.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.trainchain.engine.report.ReportAssertions.assertSelfContained;
import static io.trainchain.engine.report.ReportAssertions.element;
import static io.trainchain.engine.report.ReportAssertions.svg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompareReportTest {
    @TempDir
    Path tmp;

    private static Comparison.Row row(Comparison c, String group, String name) {
        return c.rows().stream().filter(r -> r.group().equals(group) && r.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void paramsAndMetricsSideBySideWithTheDifferences() {
        try (ReportFixtures.Fixture f = ReportFixtures.create(tmp, "/repos/fashion")) {
            Comparison c = Comparison.of(List.of(f.run(), f.trialRun(1), f.trialRun(3)));
            assertEquals(new Comparison.Row("params", "learning_rate", List.of("0.002", "0.0005", "0.01"), true),
                    row(c, "params", "learning_rate"));
            assertEquals(List.of("3", "-", "-"), row(c, "params", "epochs").values());
            assertEquals(new Comparison.Row("metrics", "accuracy", List.of("0.7535", "0.6950", "-"), true),
                    row(c, "metrics", "accuracy"));
            assertEquals(List.of("BELOW_THRESHOLD", "BELOW_THRESHOLD", "STOPPED"), row(c, "run", "status").values());
            assertFalse(row(c, "run", "framework").differs());
            assertTrue(c.differences().stream().allMatch(Comparison.Row::differs));
            assertTrue(c.differences().contains(row(c, "run", "epochs trained")));
        }
    }

    @Test
    void theHtmlMarksDifferingCellsAndDrawsEveryRunsCurves() {
        try (ReportFixtures.Fixture f = ReportFixtures.create(tmp, "/repos/fashion")) {
            String html = CompareReport.html(List.of(f.run(), f.trialRun(1), f.trialRun(3)));
            assertSelfContained(html);
            String table = element(html, "table", "compare");
            assertTrue(table.contains("<tr class=\"differs\"><th>params</th><th>learning_rate</th><td class=\"diff\">0.002"
                    + "</td><td class=\"diff\">0.0005</td><td class=\"diff\">0.01</td></tr>"), table);
            assertTrue(table.contains("<tr><th>run</th><th>framework</th><td>dl4j</td><td>dl4j</td><td>dl4j</td></tr>"));
            String chart = svg(html, "chart-compare-accuracy");
            for (var r : List.of(f.run(), f.trialRun(1), f.trialRun(3))) {
                assertTrue(chart.contains(">" + r.id() + "<"), "the legend names " + r.id());
            }
            svg(html, "chart-compare-val-loss");
            svg(html, "chart-compare-train-loss");
        }
    }

    @Test
    void oneRunIsNoComparison() {
        try (ReportFixtures.Fixture f = ReportFixtures.create(tmp, "/repos/fashion")) {
            assertThrows(IllegalArgumentException.class, () -> CompareReport.html(List.of(f.run())));
        }
    }
}

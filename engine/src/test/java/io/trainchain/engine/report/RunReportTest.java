package io.trainchain.engine.report;

import io.trainchain.engine.store.RunRecord;
import io.trainchain.engine.store.RunStatus;
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

/** A run's report from real trainer output (src/test/resources/report/run) recorded in a real store. */
class RunReportTest {
    @TempDir
    Path tmp;

    @Test
    void theRunsNumbersChartsAndLineageAreInOneSelfContainedPage() {
        try (ReportFixtures.Fixture f = ReportFixtures.create(tmp, "/repos/fashion")) {
            String html = RunReport.html(f.run(), null);
            assertSelfContained(html);

            assertTrue(element(html, "section", "gate").contains("accuracy 0.7535 &lt; 0.8 (at_least)"), html);
            assertTrue(html.contains("<span class=\"verdict BELOW_THRESHOLD\">"));

            // Learning curves: two charts and the epochs of metrics.jsonl.
            assertTrue(svg(html, "chart-loss").contains(">validation loss<"));
            assertTrue(svg(html, "chart-accuracy").contains(">validation accuracy<"));
            String epochs = element(html, "table", "epochs");
            assertEquals(3, count(epochs, "<tr>") - 1);
            assertTrue(epochs.contains(">0.7550<") && epochs.contains(">1.5866<"), epochs);

            // evaluation.json: test metrics, the confusion matrix's counts in its heat map, the per-class table.
            assertTrue(element(html, "table", "test-metrics").contains("<td>0.7535</td>"));
            assertTrue(element(html, "table", "test-metrics").contains("<td>0.7453</td>"));
            String heat = svg(html, "chart-confusion");
            assertTrue(heat.contains(">131<") && heat.contains(">182<") && heat.contains(">176<"), "diagonal counts");
            assertTrue(heat.contains(">Ankle boot<") && heat.contains(">predicted class<"));
            String perClass = element(html, "table", "per-class");
            assertEquals(10, count(perClass, "<tr>") - 1);
            assertTrue(perClass.contains("<td>T-shirt/top</td><td class=\"n\" data-v=\"0.8397435897435898\">0.8397</td>"),
                    perClass);
            assertTrue(perClass.contains("class=\"sortable\""));

            String lineage = element(html, "section", "lineage");
            assertTrue(lineage.contains(ReportFixtures.COMMIT) && lineage.contains("yes: the commit alone"), lineage);
            assertTrue(lineage.contains("b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7"),
                    "the dataset's checksum");
            assertTrue(lineage.contains("sha256:0a1b2c3d4e5f") && lineage.contains("&quot;learning_rate&quot; : 0.002"));
            String attempts = element(html, "table", "attempts");
            assertTrue(attempts.contains("0123456789ab") && attempts.contains("checkpoint-epoch-0001.zip"), attempts);
            assertFalse(html.contains("id=\"champion\""), "no champion, no champion section");
        }
    }

    @Test
    void theLineageNamesTheImageTrainerAndLimitsWhenTheyWereRecorded() {
        try (ReportFixtures.Fixture f = ReportFixtures.create(tmp, "/repos/fashion")) {
            var env = new io.trainchain.engine.store.RunEnvironment("sha256:0f1e", "trainchain/train-dl4j:5e75712746e4",
                    "5e75712746e4aa", "built-in DL4J trainer, trainchain 0.1.0", 2, 2L << 30, 1.5, 512);
            String lineage = element(RunReport.html(f.run(), null, env), "section", "lineage");
            assertTrue(lineage.contains("<td>trainchain/train-dl4j:5e75712746e4</td>")
                    && lineage.contains("<td>5e75712746e4aa</td>")
                    && lineage.contains("<td>built-in DL4J trainer, trainchain 0.1.0</td>")
                    && lineage.contains("<td>2 threads, 1.5 CPUs, 2048 MiB memory, 512 processes</td>"), lineage);
            assertFalse(element(RunReport.html(f.run(), null), "section", "lineage").contains("image content hash"),
                    "not recorded, not shown");
        }
    }

    @Test
    void aChampionIsComparedSideBySide() {
        try (ReportFixtures.Fixture f = ReportFixtures.create(tmp, "/repos/fashion")) {
            String champion = element(RunReport.html(f.run(), f.trialRun(2)), "section", "champion");
            assertTrue(champion.contains(f.trialRun(2).id()), champion);
            assertTrue(champion.contains("<td class=\"diff\">0.7535</td><td class=\"diff\">0.7200</td>"), champion);
        }
    }

    @Test
    void theReportGoesIntoTheRunsFolder() throws Exception {
        try (ReportFixtures.Fixture f = ReportFixtures.create(tmp, "/repos/fashion")) {
            Path file = RunReport.defaultFile(f.run()).orElseThrow();
            assertEquals(tmp.resolve("runs/run-1/report.html").toAbsolutePath(), file);
            assertEquals(file, RunReport.write(f.run(), file));
            assertEquals(RunReport.html(f.run(), null), Files.readString(file), "the same page, byte for byte");
            try (var left = Files.list(file.getParent())) {
                assertEquals(List.of("report.html", "train"), left.map(p -> p.getFileName().toString()).sorted().toList(),
                        "no temporary file left");
            }
        }
    }

    @Test
    void metricsJsonlStandsInForEpochsTheStoreDoesNotHave() {
        try (ReportFixtures.Fixture f = ReportFixtures.create(tmp, "/repos/fashion")) {
            RunRecord r = f.run();
            RunRecord noEpochs = new RunRecord(r.id(), r.repository(), r.git(), r.framework(), r.dataset(), r.paramsJson(),
                    r.imageId(), r.artifacts(), r.gate(), r.metrics(), r.status(), r.message(), r.startedAt(),
                    r.finishedAt(), List.of(), r.steps(), r.attempts());
            assertTrue(element(RunReport.html(noEpochs, null), "table", "epochs").contains(">0.7550<"));
        }
    }

    @Test
    void aFailedRunWithoutFilesStillGetsAReport() {
        RunRecord failed = new RunRecord("20260101T000000000Z-000001", "/repos/x", null, null, null, null, null,
                List.of(), null, Map.of(), RunStatus.FAILED, "the image did not build", Instant.EPOCH, Instant.EPOCH,
                List.of(), List.of(), List.of());
        String html = RunReport.html(failed, null);
        assertSelfContained(html);
        assertTrue(html.contains("No evaluation.json was recorded") && html.contains("No epoch was recorded"));
        assertTrue(element(html, "section", "gate").contains("the image did not build"));
        assertFalse(html.contains("<svg"));
        assertTrue(RunReport.defaultFile(failed).isEmpty());
    }

    @Test
    void everythingARunRecordsIsEscaped() {
        String hostile = "/repos/<script>alert('x')</script>";
        try (ReportFixtures.Fixture f = ReportFixtures.create(tmp, hostile)) {
            RunRecord r = f.run();
            RunRecord bad = new RunRecord(r.id(), r.repository(), r.git(), "\"><img src=x onerror=alert(1)>",
                    r.dataset(), "{\"<b>\": \"https://cdn.example/x.css\"}", r.imageId(), r.artifacts(), r.gate(),
                    r.metrics(), r.status(), "url(https://evil.example/) & <iframe>", r.startedAt(), r.finishedAt(),
                    r.epochs(), r.steps(), r.attempts());
            String html = RunReport.html(bad, null);
            assertSelfContained(html);
            assertTrue(html.contains("/repos/&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
            assertTrue(html.contains("&quot;&lt;b&gt;&quot; : &quot;https://cdn.example/x.css&quot;"), "params");
            assertTrue(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
            assertTrue(html.contains("url(https://evil.example/) &amp; &lt;iframe&gt;"));
        }
    }
}

package io.trainchain.cli;

import io.trainchain.engine.server.GitRemote;
import io.trainchain.engine.report.Chromium;
import io.trainchain.engine.report.RunReport;
import io.trainchain.engine.server.ChainExecutor;
import io.trainchain.engine.server.ServerConfig;
import io.trainchain.engine.server.Signatures;
import io.trainchain.engine.store.GitInfo;
import io.trainchain.engine.store.QueuedChain;
import io.trainchain.engine.store.RunOutcome;
import io.trainchain.engine.store.RunStart;
import io.trainchain.engine.store.RunStatus;
import io.trainchain.engine.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's status page in Debian's headless chromium (as ReportBrowserIT drives it): queued, running and
 * finished chains with their commits and pushers, and the link to a finished run's report that opens it. The chain
 * records a run and writes its real report without training (see RecordingExecutor for why no training here).
 */
class ServerPageIT {
    @TempDir
    Path tmp;

    @Test
    void thePageListsTheChainsAndLinksEachFinishedRunsReport() throws Exception {
        Chromium.assertInstalled();
        try (GitRemote remote = new GitRemote(tmp.resolve("git")); RunStore store = RunStore.open(tmp.resolve("r.db"))) {
            ChainExecutor reporting = job -> {
                String id = store.startRun(new RunStart(job.checkout(), GitInfo.read(job.checkout()).orElse(null),
                        "dl4j", null, "{}", job.chain().trigger()));
                store.finishRun(id, new RunOutcome(RunStatus.PASSED, "sha256:none", List.of(), null,
                        Map.of("accuracy", 0.91), null));
                RunReport.write(store.getRun(id).orElseThrow(), job.runDir().resolve(RunReport.FILE_NAME));
                return new ChainExecutor.Result(id, "run " + id + " PASSED");
            };
            ServerConfig cfg = new ServerConfig("127.0.0.1", 0, 65536, 1, 1, true, tmp, List.of(
                    new ServerConfig.Repository("fashion", remote.url(), List.of("acme/fashion"), List.of("main"),
                            null, ServerConfig.ChainOptions.NONE, List.of())));
            try (TrainchainServer server = new TrainchainServer(cfg, store, new Signatures(Deliveries.SECRET),
                    reporting, Clock.systemUTC(), tmp.resolve("work"), 0, true, l -> { })) {
                Deliveries send = new Deliveries(server.port());
                String c = remote.push("main", "train.py", "print('<b>not bold</b>')");
                assertEquals(202, send.github("push", "p-1", Deliveries.githubPush("acme/fashion", "refs/heads/main",
                        c, "ada <script>"), Deliveries.SECRET).statusCode());
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (store.queued(1).orElseThrow().state() != QueuedChain.State.DONE && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                ChromeDriver driver = Chromium.driver(tmp.resolve("profile"));
                try {
                    driver.get("http://127.0.0.1:" + server.port() + "/");
                    assertEquals("Trainchain server", driver.getTitle());
                    WebElement row = driver.findElement(By.id("chain-1"));
                    assertEquals("DONE", row.findElement(By.className("state")).getText());
                    assertTrue(row.getText().contains(c.substring(0, 12)), row.getText());
                    assertTrue(row.getText().contains("ada <script>"), "escaped, shown as text: " + row.getText());
                    assertEquals("1", driver.findElement(By.id("count-DONE")).getText());
                    assertTrue(row.getText().contains("PASSED"), "the run's status: " + row.getText());
                    row.findElement(By.className("report")).click();
                    assertTrue(driver.getCurrentUrl().endsWith("/runs/1/report.html"), driver.getCurrentUrl());
                    String runId = store.queued(1).orElseThrow().runId();
                    assertTrue(driver.getPageSource().contains(runId), "the run's own report");
                } finally {
                    driver.quit();
                }
            }
        }
    }
}

package io.trainchain.engine.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainchain.engine.store.SearchRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.devtools.DevTools;
import org.openqa.selenium.devtools.v156.log.Log;
import org.openqa.selenium.devtools.v156.log.model.LogEntry;
import org.openqa.selenium.devtools.v156.network.Network;
import org.openqa.selenium.devtools.v156.runtime.Runtime;
import org.openqa.selenium.devtools.v156.runtime.model.ConsoleAPICalled;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reports in a real browser: Debian's headless chromium driven by its chromedriver (packages chromium and
 * chromium-driver; scripts/setup.sh installs them). The page's console and network are watched through the
 * DevTools protocol: a report must log no error and ask for nothing but itself. Screenshots go to
 * target/report-screenshots/. Without chromium this test fails: a report nobody has opened is not checked.
 */
class ReportBrowserIT {
    private static final Path SHOTS = Path.of("target/report-screenshots");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ChromeDriver driver;
    private static DevTools devTools;
    private static final List<String> requests = new ArrayList<>();
    private static final List<String> errors = new ArrayList<>();
    private static final List<String> blocked = new ArrayList<>();

    @TempDir
    Path tmp;

    @BeforeAll
    static void startChromium(@TempDir Path profile) throws Exception {
        Chromium.assertInstalled();
        driver = Chromium.driver(profile);
        devTools = driver.getDevTools();
        devTools.createSession();
        devTools.send(Network.enable(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty()));
        devTools.send(Runtime.enable());
        devTools.send(Log.enable());
        // Only what a page asks for: chromium's own pages (a new-tab page some builds open beside ours) load
        // chrome:// resources of their own, which are no request of a report.
        devTools.addListener(Network.requestWillBeSent(), e -> {
            if (!isBrowsersOwn(String.valueOf(e.getDocumentURL())) && !isBrowsersOwn(e.getRequest().getUrl())) {
                record(requests, e.getRequest().getUrl());
            }
        });
        devTools.addListener(Network.loadingFailed(), e -> e.getBlockedReason()
                .ifPresent(r -> record(blocked, r.toString())));
        devTools.addListener(Runtime.consoleAPICalled(), e -> {
            if (e.getType() == ConsoleAPICalled.Type.ERROR || e.getType() == ConsoleAPICalled.Type.ASSERT) {
                record(errors, "console." + e.getType() + ": " + e.getArgs().stream()
                        .map(a -> String.valueOf(a.getValue().orElse(a.getDescription().orElse("")))).toList());
            }
        });
        devTools.addListener(Runtime.exceptionThrown(), e -> record(errors, "exception: "
                + e.getExceptionDetails().getText() + " " + e.getExceptionDetails().getException()
                .flatMap(x -> x.getDescription()).orElse("")));
        // Failed loads, CSP violations and other errors the browser itself logs.
        devTools.addListener(Log.entryAdded(), e -> {
            if (e.getLevel() == LogEntry.Level.ERROR && !isBrowsersOwn(e.getUrl().orElse(""))) {
                record(errors, "log " + e.getSource() + ": " + e.getText());
            }
        });
        Files.createDirectories(SHOTS);
    }

    private static boolean isBrowsersOwn(String url) {
        return url.startsWith("chrome://") || url.startsWith("chrome-untrusted://") || url.startsWith("devtools://");
    }

    private static void record(List<String> list, String what) {
        synchronized (list) {
            list.add(what);
        }
    }

    @AfterAll
    static void quit() {
        if (driver != null) {
            driver.quit();
        }
    }

    @BeforeEach
    void clear() {
        synchronized (requests) {
            requests.clear();
        }
        synchronized (errors) {
            errors.clear();
        }
        synchronized (blocked) {
            blocked.clear();
        }
    }

    @Test
    void theWatchSeesRequestsAndErrorsAndTheReportsPolicyBlocksThem() throws Exception {
        // Proof that the listeners work: a page that asks the network and logs an error is caught...
        Path leaky = Files.writeString(tmp.resolve("leaky.html"), "<!DOCTYPE html><html><body>"
                + "<img src=\"http://127.0.0.1:9/probe.png\"><script>console.error('probe')</script></body></html>");
        open(leaky);
        assertTrue(snapshot(requests).contains("http://127.0.0.1:9/probe.png"), "requests seen: " + snapshot(requests));
        assertTrue(snapshot(errors).stream().anyMatch(e -> e.contains("probe")), "errors seen: " + snapshot(errors));
        clear();
        assertEquals(List.of(), snapshot(blocked));
        clear();
        // ...and the same request from inside a report's page is refused by its Content-Security-Policy: chromium
        // still announces it (so assertQuiet fails on any attempt), then blocks it and logs the violation.
        Path page = Files.writeString(tmp.resolve("blocked.html"),
                Html.page("probe", "", "<img src=\"http://127.0.0.1:9/blocked.png\">"));
        open(page);
        assertTrue(snapshot(requests).contains("http://127.0.0.1:9/blocked.png"), "requests: " + snapshot(requests));
        assertEquals(List.of("csp"), snapshot(blocked));
        assertTrue(snapshot(errors).stream().anyMatch(e -> e.contains("Content Security Policy")),
                "the violation is logged: " + snapshot(errors));
    }

    @Test
    void aRunsReportShowsItsChartsAndNumbersAndSortsItsTables() throws Exception {
        try (ReportFixtures.Fixture f = ReportFixtures.create(tmp, "/repos/fashion")) {
            Path file = RunReport.write(f.run(), RunReport.defaultFile(f.run()).orElseThrow());
            open(file);
            assertQuiet(file);

            JsonNode eval = JSON.readTree(ReportFixtures.RESOURCES.resolve("run/evaluation.json").toFile());
            for (String id : List.of("chart-loss", "chart-accuracy", "chart-confusion")) {
                WebElement chart = driver.findElement(By.id(id));
                assertTrue(chart.isDisplayed() && chart.getSize().getWidth() > 300, id + " is drawn: " + chart.getSize());
            }
            assertEquals(String.format(Locale.ROOT, "%.4f", eval.get("accuracy").asDouble()),
                    driver.findElement(By.cssSelector("#test-metrics tr:first-child td")).getText());
            List<String> counts = texts(By.cssSelector("#chart-confusion text"));
            for (int i = 0; i < eval.get("confusion_matrix").size(); i++) {
                assertTrue(counts.contains(eval.get("confusion_matrix").get(i).get(i).asText()), "diagonal " + i);
            }
            assertEquals(eval.get("class_names").size(), driver.findElements(By.cssSelector("#per-class tbody tr")).size());

            // Clicking "recall" sorts the classes by it, a second click the other way round.
            List<JsonNode> byRecall = StreamSupport.stream(eval.get("per_class").spliterator(), false)
                    .sorted(Comparator.comparingDouble(c -> c.get("recall").asDouble())).toList();
            assertEquals(eval.get("class_names").get(0).asText(), firstCell("per-class"));
            header("per-class", "recall").click();
            assertEquals(byRecall.get(0).get("class").asText(), firstCell("per-class"));
            assertEquals("ascending", header("per-class", "recall").getAttribute("aria-sort"));
            header("per-class", "recall").click();
            assertEquals(byRecall.get(byRecall.size() - 1).get("class").asText(), firstCell("per-class"));
            screenshot("run-report.png");
            assertQuiet(file);
        }
    }

    @Test
    void aSearchsReportShowsEveryTrialAndSortsTheTrials() throws Exception {
        try (ReportFixtures.Fixture f = ReportFixtures.create(tmp, "/repos/fashion")) {
            Path file = SearchReport.write(f.search(), f.trialRuns(), SearchReport.defaultFile(f.search()).orElseThrow());
            open(file);
            assertQuiet(file);

            List<String> legend = texts(By.cssSelector("#chart-trials text"));
            for (SearchRecord.Trial t : f.search().trials()) {
                assertTrue(legend.contains("trial " + t.number()), "trial " + t.number() + " in " + legend);
            }
            assertEquals(2, legend.stream().filter(s -> s.startsWith("rung ")).count(), "two rung markers: " + legend);
            assertTrue(driver.findElement(By.id("chart-param-0")).isDisplayed());
            assertTrue(driver.findElement(By.id("chart-param-1")).isDisplayed());
            List<String> values = texts(By.cssSelector("#trials-table tbody td:nth-child(3)"));
            assertEquals(f.search().trials().stream().map(t -> Html.num(t.value())).toList(), values);

            // The trials by their last validation value: lowest first, then highest first.
            List<String> before = texts(By.cssSelector("#trials-table tbody td:first-child"));
            assertEquals(List.of("1", "2", "3", "4"), before);
            header("trials-table", "last val_accuracy").click();
            assertEquals(List.of("3", "4", "2", "1"), texts(By.cssSelector("#trials-table tbody td:first-child")));
            header("trials-table", "last val_accuracy").click();
            List<String> after = texts(By.cssSelector("#trials-table tbody td:first-child"));
            assertEquals(List.of("1", "2", "4", "3"), after);
            assertNotEquals(before, after);
            screenshot("search-report.png");
            assertQuiet(file);
        }
    }

    @Test
    void aComparisonMarksItsDifferences() throws Exception {
        try (ReportFixtures.Fixture f = ReportFixtures.create(tmp, "/repos/fashion")) {
            Path file = CompareReport.write(List.of(f.run(), f.trialRun(1), f.trialRun(3)), tmp.resolve("compare.html"));
            open(file);
            assertQuiet(file);
            assertEquals(Comparison.of(List.of(f.run(), f.trialRun(1), f.trialRun(3))).differences().size(),
                    driver.findElements(By.cssSelector("#compare tr.differs")).size());
            assertTrue(texts(By.cssSelector("#compare td.diff")).contains("0.0005"));
            for (String id : List.of("chart-compare-accuracy", "chart-compare-val-loss", "chart-compare-train-loss")) {
                assertTrue(driver.findElement(By.id(id)).isDisplayed(), id);
            }
            screenshot("compare-report.png");
        }
    }

    private static void open(Path file) throws InterruptedException {
        driver.get(file.toUri().toString());
        Thread.sleep(300); // DevTools events arrive asynchronously
    }

    /** No error logged and nothing asked for but the page itself (and data: URLs, which are no request). */
    private static void assertQuiet(Path file) {
        String self = file.toUri().toString();
        List<String> others = snapshot(requests).stream()
                .filter(u -> !u.equals(self) && !u.equals(self.replace("file:///", "file:/")) && !u.startsWith("data:"))
                .toList();
        assertEquals(List.of(), others, "requests besides " + self);
        assertEquals(List.of(), snapshot(errors), "console errors");
    }

    private static List<String> snapshot(List<String> list) {
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    private static WebElement header(String table, String text) {
        return driver.findElements(By.cssSelector("#" + table + " thead th")).stream()
                .filter(th -> th.getText().replaceAll("[▲▼]", "").trim().equals(text)).findFirst().orElseThrow();
    }

    private static String firstCell(String table) {
        return driver.findElement(By.cssSelector("#" + table + " tbody tr:first-child td")).getText();
    }

    private static List<String> texts(By by) {
        return driver.findElements(by).stream().map(e -> e.getText().trim()).toList();
    }

    /** The whole page: the window is made as tall as the document first. */
    private static void screenshot(String name) throws Exception {
        Number height = (Number) driver.executeScript("return document.documentElement.scrollHeight");
        driver.manage().window().setSize(new Dimension(1280, Math.min(8000, height.intValue() + 40)));
        driver.executeScript("window.scrollTo(0, 0)");
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        driver.manage().window().setSize(new Dimension(1280, 1000));
    }
}

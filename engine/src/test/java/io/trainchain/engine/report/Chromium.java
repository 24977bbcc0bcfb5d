package io.trainchain.engine.report;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Debian's headless chromium driven by its chromedriver (packages chromium and chromium-driver; scripts/setup.sh
 * installs them): the one browser setup of the report and status-page tests, shared with the CLI's through the
 * engine's test-jar.
 */
public final class Chromium {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private Chromium() {
    }

    /** Fails (never skips) the calling test when the browser is missing: a page nobody opened is not checked. */
    public static void assertInstalled() {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "this test needs " + CHROMIUM
                + " and " + CHROMEDRIVER + ": apt-get install chromium chromium-driver (scripts/setup.sh does)");
    }

    /** A new headless browser with its own profile folder; the caller quits it. */
    public static ChromeDriver driver(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // The flags that keep chromium quiet on a closed network, as root, without a display.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1280,1000");
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build(), options);
    }
}

package io.trainchain.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ctrl-C on `bin/trainchain run` while it trains (SIGINT to the real launcher's JVM): the training container is
 * stopped and removed, nothing is restarted, and the run is recorded as FAILED (interrupted).
 */
class InterruptIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void ctrlCStopsAndRemovesTheTrainingContainerAndRestartsNothing(@TempDir Path tmp) throws Exception {
        Process p = new ProcessBuilder(ROOT.resolve("bin/trainchain").toString(), "run",
                ROOT.resolve("examples/fashion-cnn").toString(), "--limit", "6000", "--epochs", "3",
                "--threshold", "0.1", "--store", tmp.resolve("runs.db").toString())
                .redirectErrorStream(true).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    System.out.println("[interrupt] " + l);
                    lines.add(l);
                }
            } catch (Exception e) {
                lines.add("reader failed: " + e);
            }
        });
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (lines.stream().noneMatch(l -> l.contains("first training step done")) && p.isAlive()
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        String container = lines.stream().filter(l -> l.trim().startsWith("container trainchain-train-"))
                .map(l -> l.trim().split(" ")[1]).findFirst().orElse(null);
        assertNotNull(container, "the container was started: " + lines);

        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start().waitFor();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the command ends after Ctrl-C");
        reader.join(5000);
        assertNotEquals(0, p.exitValue());
        assertTrue(lines.stream().anyMatch(l -> l.contains("interrupted: killing and removing " + container)), lines.toString());
        assertNotEquals(0, ServerProcess.docker("inspect", container), "the container is gone");
        assertNotEquals(0, ServerProcess.docker("inspect", container + "-r1"), "nothing was restarted");
        assertTrue(lines.stream().noneMatch(l -> l.contains("watch: restart")), lines.toString());

        TrainCommandIT.Result runs = TrainCommandIT.run("runs", "--store", tmp.resolve("runs.db").toString());
        assertEquals(0, runs.code());
        assertTrue(runs.out().contains("FAILED"), "recorded as failed: " + runs.out());
    }
}

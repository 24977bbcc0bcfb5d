package io.trainchain.engine.docker;

import com.github.dockerjava.api.exception.NotFoundException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs a shell stand-in for the trainer (src/test/resources/docker/probe) under the real restrictions. */
class TrainInContainerIT {

    private static String image;

    @TempDir
    Path tmp;

    @BeforeAll
    static void buildProbeImage() {
        image = TestDocker.probeImage();
    }

    private TrainInContainer.Request request(TrainInContainer.Limits limits, List<String> args, boolean keep,
                                             Duration timeout, TestDocker.Recording listener) throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("input.txt"), "fashion");
        Path params = Files.writeString(tmp.resolve("params.yaml"), "epochs: 1");
        return new TrainInContainer.Request(image, data, tmp.resolve("out"), params, limits, args,
                Map.of("SECRET_TOKEN", "s3cr3t-value"), keep, timeout, listener);
    }

    private static Map<String, String> facts(List<String> lines) {
        Map<String, String> m = new HashMap<>();
        for (String l : lines) {
            if (l.matches("[a-z_]+=.*")) {
                int eq = l.indexOf('=');
                m.put(l.substring(0, eq), l.substring(eq + 1));
            }
        }
        return m;
    }

    @Test
    void everyRestrictionHoldsInsideTheContainerAndEpochsAndLogsStream() throws Exception {
        var listener = new TestDocker.Recording("probe");
        var limits = new TrainInContainer.Limits(512L << 20, 1.5, 128, 16L << 20);
        var result = new TrainInContainer(TestDocker.connection().client())
                .run(request(limits, List.of("--mode", "probe"), false, Duration.ofMinutes(2), listener));
        System.out.printf("[it] probe container: %.2f s total, first log line %.3f s after start%n",
                result.seconds(), result.firstLogSeconds());

        assertEquals(TrainInContainer.Outcome.SUCCEEDED, result.outcome(), result.message());
        assertEquals(0, result.exitCode());
        Map<String, String> f = facts(listener.lines);
        assertEquals("lo", f.get("net"), "network mode none: only loopback");
        assertEquals("1000", f.get("uid"));
        assertEquals("1000", f.get("gid"));
        assertEquals("no", f.get("root_writable"), "read-only root fs");
        assertEquals("yes", f.get("tmp_writable"));
        assertTrue(f.get("tmp_mount").contains("noexec"), f.get("tmp_mount"));
        assertEquals("no", f.get("data_writable"), "data mounted read-only");
        assertEquals("fashion", f.get("data_content"));
        assertEquals("epochs: 1", f.get("params_content"));
        String mem = f.get("memory_limit");
        assertTrue(mem.equals(Long.toString(512L << 20)) || mem.equals("536870912"), mem);
        String memsw = f.get("memsw_limit");
        assertTrue(memsw == null || memsw.equals(Long.toString(512L << 20)) || memsw.equals("0"),
                "swap must not add to the limit: " + memsw);
        assertEquals("128", f.get("pids_limit"));
        String quota = f.get("cpu_quota");
        assertTrue(quota.equals("150000") || quota.startsWith("150000 "), quota);
        assertEquals("0000000000000000", f.get("cap_eff"), "no capabilities");
        assertEquals("1", f.get("no_new_privs"));
        assertEquals("2", f.get("omp_threads"), "1.5 CPUs round up to 2 threads");
        assertEquals("true", f.get("omp_bind"));
        assertEquals("yes", f.get("secret_seen"), "extra env reaches the container");
        assertFalse(listener.lines.stream().anyMatch(l -> l.contains("s3cr3t-value")), "env values never logged");

        // Epochs arrive through the metrics tail, including the one written in two pieces.
        assertEquals(2, result.epochs().size(), result.epochs().toString());
        assertEquals(2, listener.epochs.size());
        assertEquals(0.82, result.epochs().get(1).get("val_accuracy").asDouble(), 1e-9);
        assertTrue(listener.lines.contains("probe finished"));

        Path out = tmp.resolve("out");
        assertEquals("done\n", Files.readString(out.resolve("result.txt")));
        assertEquals(1000, Files.getAttribute(out.resolve("result.txt"), "unix:uid"));
        assertNotNull(result.firstLogSeconds());
        assertRemoved(result.containerId());
    }

    @Test
    void anOomKillIsReportedAsOutOfMemoryNotAsACrash() throws Exception {
        var listener = new TestDocker.Recording("oom");
        var limits = new TrainInContainer.Limits(64L << 20, 1, 64, 8L << 20);
        var result = new TrainInContainer(TestDocker.connection().client())
                .run(request(limits, List.of("--mode", "oom"), false, Duration.ofMinutes(2), listener));
        assertEquals(TrainInContainer.Outcome.OOM_KILLED, result.outcome(), result.message());
        assertTrue(result.oomKilled());
        assertEquals(137, result.exitCode());
        assertTrue(result.message().startsWith("out of memory (OOMKilled, exit 137)"), result.message());
        assertRemoved(result.containerId());
    }

    @Test
    void aNonzeroExitIsACrashWithItsLog() throws Exception {
        var listener = new TestDocker.Recording("crash");
        var result = new TrainInContainer(TestDocker.connection().client()).run(request(
                TrainInContainer.Limits.DEFAULT, List.of("--mode", "crash"), false, Duration.ofMinutes(2), listener));
        assertEquals(TrainInContainer.Outcome.FAILED, result.outcome());
        assertFalse(result.oomKilled());
        assertEquals(3, result.exitCode());
        assertTrue(result.message().contains("exit 3"), result.message());
        assertTrue(listener.lines.contains("about to fail"), "stderr is streamed too: " + listener.lines);
    }

    @Test
    void aTimeoutKillsTheContainer() throws Exception {
        var listener = new TestDocker.Recording("timeout");
        var result = new TrainInContainer(TestDocker.connection().client()).run(request(
                TrainInContainer.Limits.DEFAULT, List.of("--mode", "sleep"), false, Duration.ofSeconds(2), listener));
        assertEquals(TrainInContainer.Outcome.TIMED_OUT, result.outcome());
        assertTrue(result.seconds() < 20, "took " + result.seconds());
        assertRemoved(result.containerId());
    }

    @Test
    void anInterruptKillsAndRemovesTheContainerAndKeepsTheFlag() throws Exception {
        var listener = new TestDocker.Recording("interrupt");
        var req = request(TrainInContainer.Limits.DEFAULT, List.of("--mode", "sleep"), false,
                Duration.ofMinutes(5), listener);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                new TrainInContainer(TestDocker.connection().client()).run(req);
            } catch (Throwable e) {
                thrown.set(e);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        t.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!listener.lines.contains("sleeping") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(listener.lines.contains("sleeping"), "container never started: " + listener.lines);
        t.interrupt();
        t.join(30_000);
        assertFalse(t.isAlive());
        assertInstanceOf(CancellationException.class, thrown.get());
        assertTrue(flag.get(), "interrupt flag restored");
        // The first line names the container: it must be gone (killed and removed), not just stopped.
        String name = listener.lines.get(0).split(" ")[1];
        assertTrue(name.startsWith("trainchain-train-"), name);
        assertRemoved(name);
    }

    @Test
    void aKeptContainerCanHaveFilesCopiedOut() throws Exception {
        var listener = new TestDocker.Recording("keep");
        var docker = TestDocker.connection().client();
        var result = new TrainInContainer(docker).run(request(
                TrainInContainer.Limits.DEFAULT, List.of("--mode", "crash"), true, Duration.ofMinutes(2), listener));
        try {
            assertNotNull(docker.inspectContainerCmd(result.containerId()).exec());
            List<Path> files = ContainerFiles.copyFromContainer(docker, result.containerId(),
                    "/opt/probe/probe.sh", tmp.resolve("copied"));
            assertEquals(1, files.size());
            assertTrue(Files.readString(files.get(0)).contains("Stand-in for the trainer"));
        } finally {
            docker.removeContainerCmd(result.containerId()).withForce(true).exec();
        }
    }

    private static void assertRemoved(String id) {
        assertThrows(NotFoundException.class,
                () -> TestDocker.connection().client().inspectContainerCmd(id).exec());
    }
}

package io.trainchain.engine.watch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainchain.engine.docker.ContainerSpec;
import io.trainchain.engine.docker.DockerConnector;
import io.trainchain.engine.docker.TestDocker;
import io.trainchain.engine.docker.TrainInContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dockerd itself stopped and started again while the trainer runs: the watcher reconnects, sees the container died
 * with the engine, and restarts the training from its checkpoint. It stops the machine's dockerd, so failsafe runs
 * it in an execution of its own, after every other IT. It needs root (as CI has) and fails, not skips, without.
 */
class DaemonRestartIT {
    private static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist");

    @Test
    void trainingSurvivesADockerdRestartFromItsCheckpoint(@TempDir Path tmp) throws Exception {
        String image = TestDocker.dl4jImage();
        Dockerd dockerd = Dockerd.find();
        Path out = tmp.resolve("out");
        Path params = Files.writeString(tmp.resolve("params.json"), "{\"epochs\": 4}");
        TestDocker.Recording log = new TestDocker.Recording("daemon") {
            private boolean restarted;

            @Override
            public void log(String step, String line) {
                super.log(step, line);
                synchronized (this) {
                    if (restarted || !line.startsWith("checkpoint checkpoint-epoch-0001.zip written")) {
                        return;
                    }
                    restarted = true;
                }
                Thread t = new Thread(() -> dockerd.restart(Duration.ofSeconds(2)));
                t.setDaemon(true);
                t.start();
            }
        };
        List<Attempt> attempts = new CopyOnWriteArrayList<>();
        ContainerSpec spec = new TrainInContainer(TestDocker.connection().client()).spec(new TrainInContainer.Request(
                image, DATA, out, params, TrainInContainer.Limits.DEFAULT, List.of("--limit", "6000"), Map.of(), false,
                Duration.ofMinutes(10), log));
        WatchPolicy policy = new WatchPolicy(3, Duration.ZERO, 2, Duration.ZERO, 0, 0, Duration.ofMinutes(2));
        WatchContainer watch = new WatchContainer(DockerConnector.fromEnvironment().connect(),
                () -> DockerConnector.fromEnvironment().connect());
        WatchContainer.Result r = watch.run(new WatchContainer.Request(spec, out, TrainInContainer.containerName(),
                null, policy, Duration.ofMinutes(10), false, log, attempts::add));
        watch.connection().close();

        assertTrue(dockerd.restarted, "the test restarted dockerd");
        assertEquals(2, r.attempts().size(), r.attempts().toString());
        Attempt lost = r.attempts().get(0);
        assertEquals(ExitCause.DAEMON_LOST, lost.cause(), lost.describe());
        Attempt resumed = r.attempts().get(1);
        assertEquals(ExitCause.COMPLETED, resumed.cause());
        assertTrue(resumed.resumedFrom() != null && resumed.resumedFrom().startsWith("checkpoint-epoch-000"),
                resumed.describe());
        assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("watch: reconnected after")), "reconnected");
        assertEquals(List.of(1, 2, 3, 4), r.train().epochs().stream().map(e -> e.get("epoch").asInt()).toList());
        var eval = new ObjectMapper().readTree(out.resolve("evaluation.json").toFile());
        assertEquals(4, eval.get("epochs").asInt());
        assertTrue(Files.isRegularFile(out.resolve("model.zip")));
    }

    /** The machine's dockerd: stopped with SIGTERM (it stops its containers) and started again the same way. */
    static final class Dockerd {
        private final long pid;
        private final List<String> cmdline;
        volatile boolean restarted;

        private Dockerd(long pid, List<String> cmdline) {
            this.pid = pid;
            this.cmdline = cmdline;
        }

        static Dockerd find() throws IOException {
            assertEquals("0", new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8).trim(), "restarting dockerd needs root");
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                    Optional<String> comm = read(p.resolve("comm"));
                    if (comm.isPresent() && comm.get().trim().equals("dockerd")) {
                        byte[] raw = Files.readAllBytes(p.resolve("cmdline"));
                        List<String> args = new ArrayList<>(Arrays.asList(new String(raw, StandardCharsets.UTF_8)
                                .split("\0")));
                        return new Dockerd(Long.parseLong(p.getFileName().toString()), args);
                    }
                }
            }
            throw new AssertionError("no dockerd process found; start it (scripts/setup.sh)");
        }

        void restart(Duration away) {
            try {
                System.out.println("[it] stopping dockerd " + pid + " " + cmdline);
                new ProcessBuilder("kill", "-TERM", Long.toString(pid)).inheritIO().start().waitFor();
                ProcessHandle h = ProcessHandle.of(pid).orElse(null);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (h != null && h.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                Thread.sleep(away.toMillis());
                List<String> cmd = new ArrayList<>(List.of("setsid"));
                cmd.addAll(cmdline);
                System.out.println("[it] starting " + cmd);
                new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of("/tmp/dockerd.log").toFile()))
                        .start();
                restarted = true;
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("could not restart dockerd", e);
            }
        }

        private static Optional<String> read(Path p) {
            try {
                return Optional.of(Files.readString(p));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }
}

package io.trainchain.engine.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.docker.ContainerSpec;
import io.trainchain.engine.docker.DockerConnector;
import io.trainchain.engine.docker.TestDocker;
import io.trainchain.engine.docker.TrainInContainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault injection against the real engine: the real trainer image trains on 6,000 Fashion-MNIST images while the
 * test kills its container (docker kill), starves it of memory, corrupts its newest checkpoint or interrupts the
 * watcher; each test checks what a user would check by hand: attempts, causes, the resumed checkpoint, the epochs
 * and the final evaluation.json against an uninterrupted run.
 */
class WatchContainerIT {
    private static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final WatchPolicy FAST = new WatchPolicy(3, Duration.ZERO, 2, Duration.ZERO, 0, 0,
            Duration.ofMinutes(2));
    private static final String LIMIT = "6000";

    private static String image;
    private static JsonNode uninterrupted;

    @TempDir
    Path tmp;

    @BeforeAll
    static void buildImageAndRunOnceUninterrupted(@TempDir Path base) throws Exception {
        assertTrue(Files.isRegularFile(DATA.resolve("train-images-idx3-ubyte.gz")), DATA + " missing");
        image = TestDocker.dl4jImage();
        Path out = base.resolve("whole");
        var r = new TrainInContainer(TestDocker.connection().client()).run(request(out, params(base, 3),
                List.of("--limit", LIMIT), TrainInContainer.Limits.DEFAULT, new TestDocker.Recording("whole")));
        assertTrue(r.succeeded(), r.message());
        uninterrupted = evaluation(out);
    }

    @Test
    void killedMidEpochResumesFromItsEpochCheckpointAndEndsExactlyLikeAnUninterruptedRun() throws Exception {
        Path out = tmp.resolve("out");
        Killer killer = new Killer("checkpoint checkpoint-epoch-0001.zip written", 400, 1);
        WatchContainer.Result r = watch(out, params(tmp, 3), List.of("--limit", LIMIT), FAST, killer);

        assertEquals(2, r.attempts().size(), r.attempts().toString());
        Attempt killed = r.attempts().get(0);
        assertEquals(ExitCause.KILLED, killed.cause());
        assertEquals(137, killed.exitCode());
        assertTrue(killed.lostSeconds() > 0.3 && killed.lostSeconds() < 8, "lost at most the epoch in progress: "
                + killed.lostSeconds());
        Attempt resumed = r.attempts().get(1);
        assertEquals(ExitCause.COMPLETED, resumed.cause());
        assertEquals("checkpoint-epoch-0001.zip", resumed.resumedFrom());
        assertTrue(killer.lines.stream().anyMatch(l -> l.startsWith("resuming from checkpoint-epoch-0001.zip")));
        assertEquals(List.of(1, 2, 3), r.train().epochs().stream().map(e -> e.get("epoch").asInt()).toList(),
                "each epoch reported once, across both containers");
        assertEquals(withoutTimings(uninterrupted), withoutTimings(evaluation(out)));
        Double detection = killed.timings().detectionSeconds();
        assertNotNull(detection);
        System.out.printf("[it] kill detected %.3f s after the container died; restart to first step %.2f s%n",
                detection, resumed.timings().firstStepSeconds());
        assertTrue(detection < 1.0, "the wait endpoint, not polling, tells the death: " + detection);
    }

    @Test
    void aHotStandbyTakesOverAfterAKillEndsExactlyLikeAnUninterruptedRunAndIsGoneAfterwards() throws Exception {
        Path out = tmp.resolve("out");
        Killer killer = new Killer("checkpoint checkpoint-epoch-0001.zip written", 1000, 1);
        WatchContainer.Result r = watch(out, params(tmp, 3), List.of("--limit", LIMIT), FAST.withHotStandby(true),
                killer);

        assertEquals(2, r.attempts().size(), r.attempts().toString());
        assertEquals(ExitCause.KILLED, r.attempts().get(0).cause());
        Attempt resumed = r.attempts().get(1);
        assertEquals(ExitCause.COMPLETED, resumed.cause());
        assertEquals("checkpoint-epoch-0001.zip", resumed.resumedFrom());
        assertTrue(killer.lines.contains("standby " + resumed.containerName() + " activated"), killer.lines.toString());
        assertTrue(killer.lines.stream().anyMatch(l -> l.startsWith("standby: ready; waiting for ")),
                "the standby's own log is followed once it is activated");
        assertEquals(0.0, resumed.timings().createStartSeconds(), "no container created for the restart");
        assertEquals(List.of(1, 2, 3), r.train().epochs().stream().map(e -> e.get("epoch").asInt()).toList());
        assertEquals(withoutTimings(uninterrupted), withoutTimings(evaluation(out)));
        System.out.printf("[it] hot standby: activation to first step %.2f s%n", resumed.timings().firstStepSeconds());

        List<String> standbys = killer.lines.stream().filter(l -> l.startsWith("watch: hot standby "))
                .map(l -> l.split(" ")[3]).toList();
        assertEquals(2, standbys.size(), "one for each container that could still be restarted: " + standbys);
        for (String name : standbys) {
            assertThrows(com.github.dockerjava.api.exception.NotFoundException.class,
                    () -> TestDocker.connection().client().inspectContainerCmd(name).exec(), name + " removed");
        }
        try (var files = Files.list(out)) {
            assertEquals(List.of("checkpoints", "evaluation.json", "metrics.jsonl", "model.zip"),
                    files.map(f -> f.getFileName().toString()).sorted().toList(), "nothing of the standby's left");
        }
    }

    @Test
    void killedAfterAMidEpochCheckpointResumesAtThatBatchBitExact() throws Exception {
        Path out = tmp.resolve("out");
        // A time-based checkpoint every 0.3 s lands mid-epoch; kill right after the first one of epoch 2.
        Killer killer = new Killer("checkpoint checkpoint-epoch-0001-batch-", 0, 1);
        WatchContainer.Result r = watch(out, params(tmp, 3),
                List.of("--limit", LIMIT, "--checkpoint-every-minutes", "0.005"), FAST, killer);

        assertEquals(2, r.attempts().size(), r.attempts().toString());
        String from = r.attempts().get(1).resumedFrom();
        assertTrue(from != null && from.matches("checkpoint-epoch-0001-batch-\\d{5}\\.zip"), from);
        assertTrue(killer.lines.stream().anyMatch(l -> l.matches("resuming from " + from.replace(".", "\\.")
                + " after epoch 1, batch [1-9]\\d* .*")), "resumed at the batch, not at the epoch start");
        assertTrue(r.attempts().get(0).lostSeconds() < 3, "lost at most about one interval: "
                + r.attempts().get(0).lostSeconds());
        assertEquals(withoutTimings(uninterrupted), withoutTimings(evaluation(out)),
                "a mid-epoch resume is bit-exact (README)");
    }

    @Test
    void aContainerRemovedBySomeoneElseIsToldAndRestartedFromItsCheckpoint() throws Exception {
        Path out = tmp.resolve("out");
        Killer remover = new Killer("checkpoint checkpoint-epoch-0001.zip written", 300, 1);
        remover.remove = true;
        WatchContainer.Result r = watch(out, params(tmp, 3), List.of("--limit", LIMIT), FAST, remover);
        assertEquals(2, r.attempts().size(), r.attempts().toString());
        assertEquals(ExitCause.REMOVED, r.attempts().get(0).cause(), r.attempts().get(0).describe());
        assertTrue(r.attempts().get(0).message().contains("was removed by someone else"), r.attempts().get(0).message());
        assertEquals("checkpoint-epoch-0001.zip", r.attempts().get(1).resumedFrom());
        assertEquals(withoutTimings(uninterrupted), withoutTimings(evaluation(out)));
    }

    @Test
    void aTruncatedNewestCheckpointFallsBackToThePreviousOneWithAWarningNamingIt() throws Exception {
        Path out = tmp.resolve("out");
        Killer killer = new Killer("checkpoint checkpoint-epoch-0002.zip written", 0, 1);
        killer.before = () -> truncate(out.resolve("checkpoints/checkpoint-epoch-0002.zip"));
        WatchContainer.Result r = watch(out, params(tmp, 3), List.of("--limit", LIMIT), FAST, killer);

        assertEquals("checkpoint-epoch-0001.zip", r.attempts().get(1).resumedFrom());
        assertTrue(killer.lines.stream().anyMatch(l -> l.startsWith("warning: checkpoint checkpoint-epoch-0002.zip "
                + "is unusable") && l.contains("resuming from checkpoint-epoch-0001.zip instead")), "the warning");
        assertTrue(Files.exists(out.resolve("checkpoints/checkpoint-epoch-0002.zip.corrupt")), "kept aside");
        assertEquals(withoutTimings(uninterrupted), withoutTimings(evaluation(out)));
    }

    @Test
    void aSpentRestartBudgetFailsListingEveryAttemptAndKeepsTheCheckpoints() throws Exception {
        Path out = tmp.resolve("out");
        Killer killer = new Killer("checkpoint checkpoint-epoch-", 0, 99); // every container, after its checkpoint
        List<Attempt> seen = new CopyOnWriteArrayList<>();
        WatchPolicy two = FAST.withMaxRestarts(2);
        TrainchainException e = assertThrows(TrainchainException.class, () -> watch(out, params(tmp, 5),
                List.of("--limit", LIMIT), two, killer, seen::add));
        assertEquals(TrainchainException.Kind.INFRASTRUCTURE, e.kind());
        assertEquals(3, seen.size());
        seen.forEach(a -> assertEquals(ExitCause.KILLED, a.cause(), a.describe()));
        for (int n = 1; n <= 3; n++) {
            assertTrue(e.getMessage().contains("attempt " + n + ": KILLED (exit 137)"), e.getMessage());
        }
        assertTrue(e.getMessage().contains("the restart budget of 2 is spent"), e.getMessage());
        assertEquals("checkpoint-epoch-0002.zip", seen.get(2).resumedFrom(), "each restart went on from the last");
        assertTrue(CheckpointFiles.list(out).size() >= 1, "checkpoints kept");
    }

    @Test
    void aContainerBelowItsMemoryNeedsIsOomKilledAndTheRaisedRestartSucceeds() throws Exception {
        Path out = tmp.resolve("out");
        var limits = new TrainInContainer.Limits(OomLimits.TOO_SMALL, 2, 512, 64L << 20);
        var raise = new WatchPolicy(2, Duration.ZERO, 2, Duration.ZERO, OomLimits.FACTOR, 2L << 30,
                Duration.ofMinutes(2));
        TestDocker.Recording log = new TestDocker.Recording("oom");
        var spec = new TrainInContainer(TestDocker.connection().client()).spec(request(out, params(tmp, 1),
                List.of("--limit", LIMIT), limits, log));
        WatchContainer.Result r = new WatchContainer(TestDocker.connection(), this::reconnect).run(
                new WatchContainer.Request(spec, out, TrainInContainer.containerName(), null, raise,
                        Duration.ofMinutes(10), false, log, null));
        Attempt first = r.attempts().get(0);
        assertEquals(ExitCause.OUT_OF_MEMORY, first.cause(), "reported as out of memory, not as a crash: "
                + first.describe());
        Attempt last = r.attempts().get(r.attempts().size() - 1);
        assertEquals(ExitCause.COMPLETED, last.cause());
        assertTrue(last.memoryBytes() > first.memoryBytes(), "restarted with more memory: " + r.attempts());
        assertTrue(Files.isRegularFile(out.resolve("evaluation.json")));
    }

    @Test
    void aKernelOomKillIsToldApartFromACrash() throws Exception {
        Path out = tmp.resolve("out");
        TestDocker.Recording log = new TestDocker.Recording("oom-kill");
        List<Attempt> seen = new ArrayList<>();
        var spec = new TrainInContainer(TestDocker.connection().client()).spec(new TrainInContainer.Request(
                TestDocker.probeImage(), data(), out, null, new TrainInContainer.Limits(64L << 20, 1, 64, 8L << 20),
                List.of("--mode", "oom"), Map.of(), false, Duration.ofMinutes(2), log));
        TrainchainException e = assertThrows(TrainchainException.class, () -> new WatchContainer(
                TestDocker.connection(), this::reconnect).run(new WatchContainer.Request(spec, out, "oom-"
                + System.nanoTime(), null, FAST.withMaxRestarts(1), Duration.ofMinutes(2), false, log, seen::add)));
        assertEquals(2, seen.size(), "restarted once (the budget), then failed: " + seen);
        seen.forEach(a -> {
            assertEquals(ExitCause.OUT_OF_MEMORY, a.cause(), a.describe());
            assertTrue(a.oomKilled(), "the kernel's OOM killer: " + a.describe());
        });
        assertTrue(e.getMessage().contains("OOMKilled"), e.getMessage());
    }

    @Test
    void aTrainerThatCrashesAtStartIsRestartedOnceAndTheLogTailIsInTheFailure() throws Exception {
        Path out = tmp.resolve("out");
        TestDocker.Recording log = new TestDocker.Recording("crash");
        List<Attempt> seen = new ArrayList<>();
        var spec = new TrainInContainer(TestDocker.connection().client()).spec(new TrainInContainer.Request(
                TestDocker.probeImage(), data(), out, null, TrainInContainer.Limits.DEFAULT,
                List.of("--mode", "exit1"), Map.of(), false, Duration.ofMinutes(2), log));
        TrainchainException e = assertThrows(TrainchainException.class, () -> new WatchContainer(
                TestDocker.connection(), this::reconnect).run(new WatchContainer.Request(spec, out, "crash-"
                + System.nanoTime(), null, FAST, Duration.ofMinutes(2), false, log, seen::add)));
        assertEquals(2, seen.size(), "one retry, no more: " + seen);
        seen.forEach(a -> assertEquals(ExitCause.CRASHED_BEFORE_CHECKPOINT, a.cause()));
        assertTrue(e.getMessage().contains("crashed before its first checkpoint twice"), e.getMessage());
        assertTrue(e.getMessage().contains("about to fail at start"), "the log tail: " + e.getMessage());
    }

    @Test
    void badInputIsNeverRestarted() throws Exception {
        Path out = tmp.resolve("out");
        Path params = Files.writeString(tmp.resolve("params.json"), "{\"epochs\": 0}");
        List<Attempt> seen = new ArrayList<>();
        TrainchainException e = assertThrows(TrainchainException.class,
                () -> watch(out, params, List.of("--limit", LIMIT), FAST, new Killer("never", 0, 0), seen::add));
        assertEquals(TrainchainException.Kind.BAD_INPUT, e.kind());
        assertEquals(1, seen.size());
        assertEquals(ExitCause.BAD_INPUT, seen.get(0).cause());
        assertTrue(e.getMessage().contains("epochs"), "the trainer's own message is in the failure: "
                + e.getMessage());
    }

    @Test
    void anInterruptStopsAndRemovesTheContainerAndRestartsNothing() throws Exception {
        Path out = tmp.resolve("out");
        String prefix = "trainchain-it-interrupt-" + System.nanoTime();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Killer log = new Killer("never", 0, 0);
        Thread t = new Thread(() -> {
            try {
                var spec = new TrainInContainer(TestDocker.connection().client()).spec(request(out, params(tmp, 3),
                        List.of("--limit", LIMIT), TrainInContainer.Limits.DEFAULT, log));
                new WatchContainer(TestDocker.connection(), this::reconnect).run(new WatchContainer.Request(spec,
                        out, prefix, null, FAST, Duration.ofMinutes(5), false, log, null));
            } catch (Throwable x) {
                thrown.set(x);
            }
        });
        t.start();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (log.lines.stream().noneMatch(l -> l.contains("first training step done"))
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        t.interrupt();
        t.join(Duration.ofSeconds(60).toMillis());
        assertTrue(thrown.get() instanceof CancellationException, String.valueOf(thrown.get()));
        Thread.sleep(1000); // a restart, if any, would have been created by now
        var left = TestDocker.connection().client().listContainersCmd().withShowAll(true).exec().stream()
                .filter(c -> c.getNames() != null && List.of(c.getNames()).stream().anyMatch(n -> n.contains(prefix)))
                .toList();
        assertEquals(List.of(), left, "removed, and nothing restarted");
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private WatchContainer.Result watch(Path out, Path params, List<String> args, WatchPolicy policy, Killer killer)
            throws IOException {
        return watch(out, params, args, policy, killer, null);
    }

    private WatchContainer.Result watch(Path out, Path params, List<String> args, WatchPolicy policy, Killer killer,
                                        java.util.function.Consumer<Attempt> onAttempt) throws IOException {
        ContainerSpec spec = new TrainInContainer(TestDocker.connection().client()).spec(request(out, params, args,
                TrainInContainer.Limits.DEFAULT, killer));
        return new WatchContainer(TestDocker.connection(), this::reconnect).run(new WatchContainer.Request(spec,
                out, TrainInContainer.containerName(), null, policy, Duration.ofMinutes(10), false, killer,
                onAttempt));
    }

    private io.trainchain.engine.docker.DockerConnection reconnect() {
        return DockerConnector.fromEnvironment().connect();
    }

    private static TrainInContainer.Request request(Path out, Path params, List<String> args,
                                                    TrainInContainer.Limits limits,
                                                    io.trainchain.engine.ChainListener listener) {
        return new TrainInContainer.Request(image, DATA, out, params, limits, args, Map.of(), false,
                Duration.ofMinutes(10), listener);
    }

    private Path data() throws IOException {
        Path d = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(d.resolve("input.txt"), "x");
        return d;
    }

    private static Path params(Path dir, int epochs) throws IOException {
        return Files.writeString(dir.resolve("params-" + epochs + ".json"), "{\"epochs\": " + epochs + "}");
    }

    private static JsonNode evaluation(Path out) throws IOException {
        return JSON.readTree(out.resolve("evaluation.json").toFile());
    }

    private static JsonNode withoutTimings(JsonNode eval) {
        ObjectNode copy = eval.deepCopy();
        copy.remove("training_seconds");
        return copy;
    }

    private static void truncate(Path file) {
        try {
            byte[] b = Files.readAllBytes(file);
            Files.write(file, java.util.Arrays.copyOf(b, b.length / 3));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Records every line, and kills the container that printed a line starting with {@code trigger} (after
     * {@code delayMillis}), at most {@code times} times, once per container. Kills run on their own thread: the
     * log thread must not block.
     */
    static final class Killer extends TestDocker.Recording {
        private final String trigger;
        private final long delayMillis;
        private int left;
        private volatile String current;
        private String killedLast;
        Runnable before = () -> { };
        boolean remove; // docker rm -f instead of docker kill

        Killer(String trigger, long delayMillis, int times) {
            super("watch");
            this.trigger = trigger;
            this.delayMillis = delayMillis;
            this.left = times;
        }

        @Override
        public void log(String step, String line) {
            super.log(step, line);
            if (line.startsWith("container ") && line.contains(" from ")) {
                current = line.substring("container ".length(), line.indexOf(" from "));
            } else if (line.startsWith("standby ") && line.endsWith(" activated")) {
                current = line.split(" ")[1];
            }
            String name = current;
            synchronized (this) {
                if (!line.startsWith(trigger) || left <= 0 || name == null || name.equals(killedLast)) {
                    return;
                }
                left--;
                killedLast = name;
            }
            Thread k = new Thread(() -> {
                try {
                    Thread.sleep(delayMillis);
                    before.run();
                    System.out.println("[it] docker " + (remove ? "rm -f " : "kill ") + name);
                    if (remove) {
                        TestDocker.connection().client().removeContainerCmd(name).withForce(true).exec();
                    } else {
                        TestDocker.connection().client().killContainerCmd(name).exec();
                    }
                } catch (Exception e) {
                    System.out.println("[it] kill failed: " + e);
                }
            });
            k.setDaemon(true);
            k.start();
        }
    }

    /**
     * The OOM test's limits, found by trying on 6,000 images (since a limited run inflates only the images it
     * takes): at 200-300 MB the kernel kills the trainer (137, OOMKilled); 400 MB and more train. 250 MB, then
     * twice that.
     */
    static final class OomLimits {
        static final long TOO_SMALL = 250L << 20;
        static final double FACTOR = 2.0;
    }
}

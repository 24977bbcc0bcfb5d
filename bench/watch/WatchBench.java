import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.RestartPolicy;
import io.trainchain.engine.ChainListener;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.docker.BaseImage;
import io.trainchain.engine.docker.BuildTrainingImage;
import io.trainchain.engine.docker.ContainerRun;
import io.trainchain.engine.docker.ContainerSpec;
import io.trainchain.engine.docker.DockerConnection;
import io.trainchain.engine.docker.DockerConnector;
import io.trainchain.engine.docker.TrainInContainer;
import io.trainchain.engine.watch.Attempt;
import io.trainchain.engine.watch.CheckpointFiles;
import io.trainchain.engine.watch.ExitCause;
import io.trainchain.engine.watch.WatchContainer;
import io.trainchain.engine.watch.WatchPolicy;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * bench/watch: kills the training container KILLS times, each at a seeded random 2-8 s after that container's first
 * training step, and measures the kill to the next container's first training step, split up, and the training lost.
 * Ours is the watcher (a new container from the same spec with --resume, zero backoff); the peer is the same container
 * under Docker's restart policy on-failure:KILLS, with --resume in its command from the start, killed at the same
 * points. Both get SIGKILL on the trainer's host pid: `docker kill` is a manual stop to Docker, which no restart
 * policy restarts (seen on dockerd 20.10), while a kill from outside Docker is a crash to both.
 * Clocks: this process's (the kill(2) call, arrival of log lines) and Docker's (FinishedAt, StartedAt), one host.
 * Usage: java -cp 'cli/target/dist/trainchain-cli.jar:cli/target/dist/lib/*' bench/watch/WatchBench.java ROOT KILLS SEED
 */
public class WatchBench {
    static final Pattern FIRST_STEP = Pattern.compile("first training step done ([0-9.]+) s after the JVM started");
    static final Pattern RESTORED = Pattern.compile("resuming from .*restored in ([0-9.]+) s");
    static final double INTERVAL_MIN = 0.05; // --checkpoint-every-minutes: a checkpoint every 3 s bounds lost work
    static final Duration WAIT = Duration.ofSeconds(180);
    static final boolean VERBOSE = System.getenv("VERBOSE") != null;
    static final Set<String> OTHERS = ConcurrentHashMap.newKeySet();

    /** One container run as the bench saw it. */
    static final class Run {
        volatile Instant created;    // ours: the watcher's "container NAME from" line, logged right before create
        volatile Instant startedAt;  // peer: Docker's StartedAt of this run
        volatile Instant finishedAt; // Docker's FinishedAt, read by our own waiter
        volatile Instant firstStep;  // arrival of the trainer's first-step line
        volatile double jvmFirst;    // the trainer's own: first step, seconds after the JVM's start time
        volatile double restore;     // the trainer's own restore seconds (0: none)
        volatile Instant killedAt;   // just before the kill(2) call
        volatile double lost = Double.NaN; // peer: training lost with this run (ours: the watcher's Attempt says)

        void note(String line, Instant now) {
            Matcher m = RESTORED.matcher(line);
            if (m.find()) {
                restore = Double.parseDouble(m.group(1));
            }
            m = FIRST_STEP.matcher(line);
            if (firstStep == null && m.find()) {
                jvmFirst = Double.parseDouble(m.group(1));
                firstStep = now;
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        int kills = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 42;
        Random rnd = new Random(seed);
        double[] delays = new double[kills];
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < kills; i++) {
            delays[i] = 2 + 6 * rnd.nextDouble();
            points.append(String.format(Locale.ROOT, " %.2f", delays[i]));
        }
        DockerConnection conn = DockerConnector.fromEnvironment().connect();
        DockerClient docker = conn.client();
        System.out.printf(Locale.ROOT, "bench/watch: %d CPUs, Docker %s (API %s), Linux %s; training container: 2 CPUs,"
                + " 2 GiB, --limit 6000, a checkpoint every %.1f s%n", Runtime.getRuntime().availableProcessors(),
                conn.serverVersion(), conn.apiVersion(), System.getProperty("os.version"), INTERVAL_MIN * 60);
        System.out.printf("%d kills (SIGKILL to the trainer's host pid), seed %d, at%s s after each container's first "
                + "training step%n", kills, seed, points);

        ChainListener quiet = (step, line) -> {
            if (VERBOSE) {
                System.out.println("  [" + step + "] " + line);
            }
        };
        String base = new BaseImage(conn).ensure(BaseImage.Request.of(BaseImage.Flavor.JRE17, quiet)).image();
        Path work = Files.createTempDirectory("trainchain-bench-watch-");
        Path code = Files.createDirectories(work.resolve("code"));
        Files.writeString(code.resolve("README.txt"), "user code placeholder\n"); // as the ITs: the image cache hits
        BuildTrainingImage.Result image = new BuildTrainingImage(docker).run(new BuildTrainingImage.Request(
                root.resolve("dockerfiles/dl4j"), root.resolve("trainer/target/dist"), code, base, quiet));
        System.out.printf(Locale.ROOT, "image %s (%s in %.1f s)%n%n", image.tag(), image.cached() ? "cached" : "built",
                image.seconds());
        Path params = work.resolve("params.json");
        Files.writeString(params, "{\"epochs\": 500}\n"); // far more than the bench lasts: every container is killed

        WatchPolicy zero = new WatchPolicy(kills, Duration.ZERO, 2.0, Duration.ZERO, 0, 0, Duration.ofMinutes(5));
        // One restart first, not counted: ours runs inside this JVM, which is cold at its first restarts (docker-java,
        // Jackson and the watcher JIT-compiled on the 2 cores the new trainer starts on), while the engine that
        // watches a real training is warm by the time it restarts one. The peer runs in Docker and is not affected.
        ours(conn, image.tag(), params, work.resolve("warm-up"), new WatchPolicy(1, Duration.ZERO, 2.0, Duration.ZERO,
                0, 0, Duration.ofMinutes(5)), new double[]{2.0}, new CopyOnWriteArrayList<>(), quiet);
        List<Run> ours = new CopyOnWriteArrayList<>();
        List<Attempt> attempts = ours(conn, image.tag(), params, work.resolve("ours"), zero, delays, ours, quiet);
        List<Run> hot = new CopyOnWriteArrayList<>();
        List<Attempt> hotAttempts = ours(conn, image.tag(), params, work.resolve("hot"), zero.withHotStandby(true),
                delays, hot, quiet);
        List<Run> peer = peer(docker, image.tag(), params, work.resolve("peer"), delays, quiet);
        report(delays, ours, attempts, peer);
        reportHot(delays, hot, hotAttempts, ours);
        if (!OTHERS.isEmpty()) {
            System.out.println("\nWARNING: other containers ran during the bench, so these are not an idle machine's "
                    + "figures: " + String.join(", ", OTHERS));
        }
        try (var files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        conn.close();
    }

    static void report(double[] delays, List<Run> ours, List<Attempt> attempts, List<Run> peer) {
        List<double[]> o = new ArrayList<>();
        System.out.println("ours: the watcher, zero backoff; seconds from the kill to the new container's first step");
        System.out.println("kill after |  total  kill->end  detect  drain+rm+check  create+start  JVM+ND4J+data  "
                + "restore |  lost | default backoff adds");
        for (int k = 0; k < delays.length; k++) {
            Run dead = ours.get(k);
            Run next = ours.get(k + 1);
            Attempt a = attempts.get(k);
            double createStart = attempts.get(k + 1).timings().createStartSeconds();
            double end = dead.finishedAt == null ? Double.NaN : secs(dead.killedAt, dead.finishedAt);
            double detect = a.timings().detectionSeconds() == null ? Double.NaN : a.timings().detectionSeconds();
            // Counted from the start request's return (the Attempt's firstStepSeconds overlaps createStart).
            double started = secs(next.created, next.firstStep) - createStart;
            double[] r = {secs(dead.killedAt, next.firstStep), end, detect,
                    secs(dead.killedAt, next.created) - end - detect, createStart, started - next.restore,
                    next.restore, a.lostSeconds() == null ? Double.NaN : a.lostSeconds(),
                    started - next.jvmFirst, next.jvmFirst - next.restore};
            o.add(r);
            System.out.printf(Locale.ROOT, "%4d %5.2f | %6.3f %9.3f %7.3f %14.3f %13.3f %14.3f %8.3f | %5.2f | %.1f"
                    + "%s%n", k + 1, delays[k], r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7],
                    WatchPolicy.DEFAULT.delayBefore(k + 1).toNanos() / 1e9,
                    a.cause() == ExitCause.KILLED ? "" : "  (ended as " + a.cause() + ")");
        }
        System.out.println("  drain+rm+check: the log stream's end, inspect, docker rm, the checkpoint's CRC check");

        List<double[]> p = new ArrayList<>();
        System.out.println("\npeer: Docker's on-failure restart of the same container, --resume in its command");
        System.out.println("kill after |  total  kill->end  end->restarted (Docker's backoff)  JVM+ND4J+data  restore "
                + "|  lost");
        long backoff = 0; // Docker's restart manager: 100 ms, doubling, back to 100 ms after a run of 10 s or more
        for (int k = 0; k < delays.length; k++) {
            Run dead = peer.get(k);
            Run next = peer.get(k + 1);
            backoff = backoff == 0 || secs(dead.startedAt, dead.finishedAt) >= 10 ? 100 : Math.min(2 * backoff, 60_000);
            double started = secs(next.startedAt, next.firstStep);
            double[] r = {secs(dead.killedAt, next.firstStep), secs(dead.killedAt, dead.finishedAt),
                    secs(dead.finishedAt, next.startedAt), started - next.restore, next.restore, dead.lost,
                    started - next.jvmFirst, next.jvmFirst - next.restore};
            p.add(r);
            System.out.printf(Locale.ROOT, "%4d %5.2f | %6.3f %9.3f %15.3f (%4.1f) %22.3f %8.3f | %5.2f%n", k + 1,
                    delays[k], r[0], r[1], r[2], backoff / 1000.0, r[3], r[4], r[5]);
        }

        System.out.printf(Locale.ROOT, "%n%-54s %-15s %-15s target%n", "over " + delays.length + " kills, seconds",
                "ours med worst", "peer med worst");
        row("kill -> first training step of the new container", col(o, 0), col(p, 0), 2.5, false);
        row("  kill -> Docker's end of the container", col(o, 1), col(p, 1), 0, false);
        row("  detection (Docker's end -> the watcher knows)", col(o, 2), null, 0.1, false);
        row("  log drain, docker rm, checkpoint check", col(o, 3), null, 0, false);
        row("  create + start requests", col(o, 4), null, 0, false);
        row("  Docker: end -> restarted (its backoff, create, start)", null, col(p, 2), 0, false);
        row("  JVM + ND4J start, data, first step (less restore)", col(o, 5), col(p, 3), 0, false);
        row("    of it: started -> the JVM's start time", col(o, 8), col(p, 6), 0, false);
        row("    of it: JVM start -> first step, less restore", col(o, 9), col(p, 7), 0, false);
        row("  checkpoint restore (the trainer's own)", col(o, 6), col(p, 4), 0, false);
        row("training lost", col(o, 7), col(p, 5), INTERVAL_MIN * 60, true);
        double[] withDefault = col(o, 0);
        for (int k = 0; k < delays.length; k++) {
            withDefault[k] += WatchPolicy.DEFAULT.delayBefore(k + 1).toNanos() / 1e9;
        }
        row("kill -> first step + WatchPolicy.DEFAULT's backoff", withDefault, null, 2.5, false);
    }

    /** The hot standby's restarts, beside ours without it (same kill points). */
    static void reportHot(double[] delays, List<Run> hot, List<Attempt> attempts, List<Run> cold) {
        System.out.println("\nours with --hot-standby: the next container waits, started, for its signal");
        System.out.println("kill after |  total  kill->end  detect  drain+check+signal  signal->first step (less "
                + "restore)  restore |  lost");
        List<double[]> h = new ArrayList<>();
        List<double[]> c = new ArrayList<>();
        for (int k = 0; k < delays.length; k++) {
            Run dead = hot.get(k);
            Run next = hot.get(k + 1);
            Attempt a = attempts.get(k);
            double end = dead.finishedAt == null ? Double.NaN : secs(dead.killedAt, dead.finishedAt);
            double detect = a.timings().detectionSeconds() == null ? Double.NaN : a.timings().detectionSeconds();
            double[] r = {secs(dead.killedAt, next.firstStep), end, detect,
                    secs(dead.killedAt, next.created) - end - detect,
                    secs(next.created, next.firstStep) - next.restore, next.restore,
                    a.lostSeconds() == null ? Double.NaN : a.lostSeconds()};
            h.add(r);
            c.add(new double[]{secs(cold.get(k).killedAt, cold.get(k + 1).firstStep)});
            boolean used = attempts.get(k + 1).timings().createStartSeconds() == 0;
            System.out.printf(Locale.ROOT, "%4d %5.2f | %6.3f %9.3f %7.3f %18.3f %32.3f %8.3f | %5.2f%s%n", k + 1,
                    delays[k], r[0], r[1], r[2], r[3], r[4], r[5], r[6], used ? "" : "  (no standby: cold start)");
        }
        System.out.printf(Locale.ROOT, "%n%-54s %-15s %-15s target%n", "over " + delays.length + " kills, seconds",
                "hot  med worst", "cold med worst");
        row("kill -> first training step of the new container", col(h, 0), col(c, 0), 2.5, false);
        row("  detection (Docker's end -> the watcher knows)", col(h, 2), null, 0.1, false);
        row("  signal -> first step, less restore", col(h, 4), null, 0, false);
        row("  checkpoint restore (the trainer's own)", col(h, 5), null, 0, false);
        row("training lost", col(h, 6), null, INTERVAL_MIN * 60, true);
    }

    /** Trains under the watcher; kills each container after its first step; returns every attempt. */
    static List<Attempt> ours(DockerConnection conn, String tag, Path params, Path out, WatchPolicy policy,
                              double[] delays, List<Run> runs, ChainListener quiet) throws Exception {
        ChainListener listener = (step, line) -> {
            Instant now = Instant.now();
            quiet.log(step, line);
            // The watcher's, before each create, or as it activates a hot standby.
            if (line.startsWith("container ") && line.contains(" from ")
                    || line.startsWith("standby ") && line.endsWith(" activated")) {
                Run r = new Run();
                r.created = now;
                runs.add(r);
            } else if (!runs.isEmpty()) {
                runs.get(runs.size() - 1).note(line, now);
            }
        };
        ContainerSpec spec = new TrainInContainer(conn.client()).spec(request(tag, params, out, List.of(), listener));
        String prefix = "trainchain-watchbench-" + UUID.randomUUID().toString().substring(0, 8);
        List<Attempt> attempts = new CopyOnWriteArrayList<>();
        WatchContainer.Request req = new WatchContainer.Request(spec, out, prefix, null, policy, Duration.ofMinutes(20),
                false, listener, attempts::add);
        Thread watcher = new Thread(() -> {
            try {
                new WatchContainer(conn, () -> DockerConnector.fromEnvironment().connect()).run(req);
            } catch (TrainchainException e) {
                if (!e.getMessage().contains("restart budget")) { // the end we plan: the last container killed too
                    System.out.println("watcher: " + e.getMessage());
                }
            }
        }, "watcher");
        watcher.setDaemon(true);
        watcher.start();
        try {
            // One kill more than measured: it ends the last container, so the watcher records its attempt too.
            for (int k = 0; k <= delays.length; k++) {
                Run r = await(runs, k, "ours");
                long after = k < delays.length ? (long) (delays[k] * 1000) : 200;
                kill(conn.client(), k == 0 ? prefix : prefix + "-r" + k, r, r.firstStep.plusMillis(after), null);
            }
        } catch (Exception e) {
            watcher.interrupt(); // the watcher then kills and removes its container
            throw e;
        } finally {
            watcher.join(WAIT.toMillis());
        }
        if (attempts.size() <= delays.length) {
            throw new IllegalStateException("the watcher recorded " + attempts.size() + " containers, not "
                    + (delays.length + 1));
        }
        return attempts;
    }

    /** The same container under Docker's restart policy; its log is followed again after each (re)start. */
    static List<Run> peer(DockerClient docker, String tag, Path params, Path out, double[] delays,
                          ChainListener quiet) throws Exception {
        List<Run> runs = new CopyOnWriteArrayList<>();
        ContainerSpec spec = new TrainInContainer(docker).spec(request(tag, params, out, List.of("--resume"), quiet));
        spec.host().withRestartPolicy(RestartPolicy.onFailureRestart(delays.length)); // this spec's own HostConfig
        ContainerRun run = new ContainerRun(docker, quiet, "peer");
        String id = run.create(spec, "trainchain-watchbench-peer-" + UUID.randomUUID().toString().substring(0, 8));
        // Docker's start events, not polling: the follower attaches to each run as soon as Docker started it. Since
        // now, so that the first start is replayed should it come before the subscription is in place.
        Semaphore starts = new Semaphore(0);
        Closeable events = docker.eventsCmd().withContainerFilter(id).withEventFilter("start")
                .withSince(String.valueOf(Instant.now().getEpochSecond()))
                .exec(new ResultCallback.Adapter<Event>() {
                    @Override
                    public void onNext(Event e) {
                        starts.release();
                    }
                });
        Thread follower = new Thread(() -> follow(docker, id, starts, delays.length, runs, quiet), "peer-logs");
        follower.setDaemon(true);
        follower.start();
        try {
            docker.startContainerCmd(id).exec();
            for (int k = 0; k < delays.length; k++) {
                Run r = await(runs, k, "peer");
                kill(docker, id, r, r.firstStep.plusMillis((long) (delays[k] * 1000)), out);
            }
            await(runs, delays.length, "peer");
        } finally {
            events.close();
            run.remove(id);
        }
        return runs;
    }

    /** Each run of the peer: Docker's start time, and its log lines as they arrive (the stream ends with the run). */
    static void follow(DockerClient docker, String id, Semaphore starts, int restarts, List<Run> runs,
                       ChainListener quiet) {
        try {
            for (int r = 0; r <= restarts && starts.tryAcquire(WAIT.toSeconds(), TimeUnit.SECONDS); r++) {
                Run run = new Run();
                run.startedAt = Instant.parse(docker.inspectContainerCmd(id).exec().getState().getStartedAt());
                runs.add(run);
                // since is in whole seconds: the lines of an earlier run in that second are dropped by their stamp.
                docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true)
                        .withTimestamps(true).withSince((int) run.startedAt.getEpochSecond())
                        .exec(new ResultCallback.Adapter<Frame>() {
                            @Override
                            public void onNext(Frame f) {
                                Instant now = Instant.now();
                                for (String l : new String(f.getPayload(), StandardCharsets.UTF_8).split("\n")) {
                                    int sp = l.indexOf(' ');
                                    if (sp > 0 && !Instant.parse(l.substring(0, sp)).isBefore(run.startedAt)) {
                                        quiet.log("peer", l.substring(sp + 1));
                                        run.note(l.substring(sp + 1), now);
                                    }
                                }
                            }
                        }).awaitCompletion();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            System.out.println("peer log follower: " + e);
        }
    }

    static TrainInContainer.Request request(String tag, Path params, Path out, List<String> more,
                                            ChainListener listener) throws IOException {
        Files.createDirectories(out);
        List<String> args = new ArrayList<>(List.of("--limit", "6000", "--checkpoint-every-minutes",
                String.valueOf(INTERVAL_MIN)));
        args.addAll(more);
        return new TrainInContainer.Request(tag, Path.of("/usr/share/datasets/fashion-mnist"), out, params,
                TrainInContainer.Limits.DEFAULT, args, Map.of(), false, Duration.ofMinutes(20), listener);
    }

    /** Waits for run k to have made its first training step. */
    static Run await(List<Run> runs, int k, String who) throws InterruptedException {
        long until = System.nanoTime() + WAIT.toNanos();
        while (runs.size() <= k || runs.get(k).firstStep == null) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException(who + ": container run " + (k + 1) + " made no training step in "
                        + WAIT.toSeconds() + " s (VERBOSE=1 shows the container log)");
            }
            Thread.sleep(2);
        }
        return runs.get(k);
    }

    /**
     * SIGKILL to the container's main process (the trainer's JVM, pid 1 inside) at {@code when}, from the host: needs
     * root and a local dockerd. Notes the time just before the kill(2) call, Docker's FinishedAt and, when
     * {@code out} is given, the training lost.
     */
    static void kill(DockerClient docker, String container, Run run, Instant when, Path out) throws Exception {
        long pid = docker.inspectContainerCmd(container).exec().getState().getPidLong();
        // Figures are only worth printing from an otherwise idle machine: note any other container running now.
        docker.listContainersCmd().exec().stream().flatMap(c -> Arrays.stream(c.getNames()))
                .filter(n -> !n.contains("trainchain-watchbench-")).forEach(OTHERS::add);
        ProcessHandle trainer = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(
                "no process " + pid + " of " + container + " on this host: needs a local dockerd"));
        // A waiter of our own beside the watcher's, to read Docker's end time before the watcher removes the container.
        WaitContainerResultCallback end = docker.waitContainerCmd(container).exec(new WaitContainerResultCallback());
        try {
            Thread.sleep(Math.max(0, Duration.between(Instant.now(), when).toMillis()));
            run.killedAt = Instant.now();
            if (!trainer.destroyForcibly()) {
                throw new IllegalStateException("could not kill pid " + pid + " of " + container + " (run as root)");
            }
            end.awaitStatusCode(30, TimeUnit.SECONDS);
            run.finishedAt = Instant.parse(docker.inspectContainerCmd(container).exec().getState().getFinishedAt());
            if (out != null) {
                run.lost = lostOf(out, run);
            }
        } catch (NotFoundException removed) {
            run.finishedAt = null; // the watcher removed it first: that split is then unknown
        } finally {
            end.close();
        }
    }

    /**
     * Training lost with a run, counted as the watcher counts it: from the newest checkpoint the run wrote (else its
     * first step) to Docker's end of it. Read at once: the trainer keeps only its newest few checkpoints.
     */
    static double lostOf(Path out, Run dead) throws IOException {
        Instant from = dead.firstStep;
        for (CheckpointFiles.Checkpoint c : CheckpointFiles.list(out)) {
            Instant w = c.writtenAt();
            if (!w.isBefore(dead.startedAt) && !w.isAfter(dead.finishedAt) && w.isAfter(from)) {
                from = w;
            }
        }
        return secs(from, dead.finishedAt);
    }

    /** Median and worst of each side; the verdict is on our median, or on our worst for {@code everyTime}. */
    static void row(String what, double[] ours, double[] peer, double target, boolean everyTime) {
        String verdict = target <= 0 ? "" : String.format(Locale.ROOT, "<= %.1f s %s: %s", target,
                everyTime ? "every time" : "median", (everyTime ? max(ours) : median(ours)) <= target ? "met"
                        : "NOT met");
        System.out.printf(Locale.ROOT, "%-54s %-15s %-15s %s%n", what, pair(ours), pair(peer), verdict);
    }

    static String pair(double[] v) {
        return v == null ? "     -" : String.format(Locale.ROOT, "%6.3f %6.3f", median(v), max(v));
    }

    static double secs(Instant a, Instant b) {
        return Duration.between(a, b).toNanos() / 1e9;
    }

    static double[] col(List<double[]> rows, int i) {
        return rows.stream().mapToDouble(r -> r[i]).toArray();
    }

    static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    static double median(double[] v) {
        double[] a = v.clone();
        Arrays.sort(a);
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }
}

package io.trainchain.engine.watch;

import io.trainchain.engine.ChainListener;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.docker.ContainerRun;
import io.trainchain.engine.docker.ContainerSpec;
import io.trainchain.engine.docker.DockerConnection;
import io.trainchain.engine.docker.DockerErrors;
import io.trainchain.engine.docker.MetricsTail;
import io.trainchain.engine.docker.TrainInContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * watchContainer: trains under a watcher. Each container is followed to its end through Docker's wait endpoint;
 * its end is classified ({@link ExitCause}), recorded, and, when a new container may help, a new one is created
 * from the same spec (image, mounts, limits) with {@code --resume}, so the trainer continues from its newest valid
 * checkpoint: at most {@link WatchPolicy#maxRestarts()} times, with backoff. A Docker engine that goes away is
 * waited for (bounded) before the restart. Checkpoints are never deleted.
 */
public final class WatchContainer {
    public static final String STEP = TrainInContainer.STEP;
    public static final String RESUME_ARG = "--resume";

    /**
     * @param spec          the first container's spec
     * @param outputDir     host folder the trainer writes (checkpoints/, metrics.jsonl)
     * @param namePrefix    container names: the prefix, then "-r1", "-r2"... for restarts
     * @param adoptId       a running container to follow first instead of creating one (trainchain watch); null
     * @param keepContainers leave ended containers in place (always for adopted ones' restarts: see the command)
     * @param onAttempt     called as each container ends, e.g. to record it in the run store
     */
    public record Request(ContainerSpec spec, Path outputDir, String namePrefix, String adoptId, WatchPolicy policy,
                          Duration timeout, boolean keepContainers, ChainListener listener,
                          Consumer<Attempt> onAttempt) {
        public Request {
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(outputDir, "outputDir");
            Objects.requireNonNull(namePrefix, "namePrefix");
            policy = policy == null ? WatchPolicy.DEFAULT : policy;
            timeout = timeout == null ? Duration.ofHours(12) : timeout;
            listener = listener == null ? ChainListener.NONE : listener;
            onAttempt = onAttempt == null ? a -> { } : onAttempt;
        }
    }

    /** The last container's result (its epochs are those of every attempt) and the whole history. */
    public record Result(TrainInContainer.Result train, List<Attempt> attempts) {
        public Result {
            attempts = List.copyOf(attempts);
        }
    }

    /** A SIGTERM death (143) is watched this long for an engine that is stopping (see {@link Engine#goingAway}). */
    private static final Duration STOPPING_ENGINE_WINDOW = Duration.ofSeconds(2);

    private final Engine engine;

    /** @param reconnect a new connection after the engine went away; throws DockerUnavailableException if none */
    public WatchContainer(DockerConnection connection, Supplier<DockerConnection> reconnect) {
        this.engine = new Engine(connection, reconnect);
    }

    /** The connection in use now (a new one after the engine came back); the caller closes it. */
    public DockerConnection connection() {
        return engine.connection();
    }

    /**
     * Trains to completion or fails with a {@link TrainchainException} listing every attempt (bad input for the
     * trainer's exit 2, infrastructure otherwise). An interrupt stops and removes the current container, restarts
     * nothing and throws {@link CancellationException}.
     */
    public Result run(Request req) {
        ChainListener out = req.listener();
        MetricsTail metrics = TrainInContainer.metricsOf(req.outputDir(), out);
        long start = System.nanoTime();
        long deadline = start + req.timeout().toNanos();
        long firstMemory = req.spec().memoryBytes();
        ContainerSpec spec = req.spec();
        String adopt = req.adoptId();
        String resumedFrom = spec.cmd().contains(RESUME_ARG) ? newestName(req, out) : null;
        List<Attempt> attempts = new ArrayList<>();
        boolean crashedBeforeCheckpoint = false;
        int restarts = 0;
        int backoffStep = 0; // restarts since the last container that ran HEALTHY or longer
        // Not for a container someone else started: its trainer may not know --standby.
        Standby standby = req.policy().hotStandby() && adopt == null ? new Standby(engine, out) : null;
        Standby.Ready hot = null;
        try {
            while (true) {
                int number = attempts.size() + 1;
                String name = number == 1 ? req.namePrefix() : req.namePrefix() + "-r" + (number - 1);
                AttemptLog log = new AttemptLog(out);
                if (standby != null && restarts < req.policy().maxRestarts()) {
                    ContainerSpec next = spec.withArg(RESUME_ARG);
                    String nextName = req.namePrefix() + "-r" + number;
                    // Not before the first step: both containers would start up on the same CPUs at once.
                    log.onFirstStep(() -> standby.prepare(next, nextName));
                }
                Instant startedAt = Instant.now();
                long t0 = System.nanoTime();
                ContainerRun.Exit exit = runOne(spec, name, adopt, hot, deadline, req, metrics, log);
                adopt = null;
                hot = null;
                Instant detectedAt = Instant.now();
                Optional<CheckpointFiles.Checkpoint> newest = newestValid(req, out);
                boolean wrote = newest.isPresent() && !newest.get().writtenAt().isBefore(startedAt);
                ExitCause cause = ExitCause.classify(exit, wrote);
                if (cause == ExitCause.KILLED && Integer.valueOf(143).equals(exit.exitCode())
                        && engine.goingAway(STOPPING_ENGINE_WINDOW)) {
                    cause = ExitCause.DAEMON_LOST; // SIGTERM from a dockerd that is stopping, not from an operator
                }
                Attempt attempt = new Attempt(number, cause, exit.exitCode(), exit.oomKilled(), exit.containerId(),
                        name, spec.memoryBytes(), resumedFrom, startedAt, (System.nanoTime() - t0) / 1e9,
                        cause == ExitCause.COMPLETED ? null : lost(exit, detectedAt, newest, wrote, log),
                        exit.error(), log.timings(exit, detectedAt));
                attempts.add(attempt);
                out.log(STEP, "watch: " + attempt.describe());
                req.onAttempt().accept(attempt);
                TrainInContainer.Result result = TrainInContainer.result(exit, start, metrics, req.timeout(),
                        spec.memoryBytes());
                if (cause == ExitCause.COMPLETED) {
                    return new Result(result, attempts);
                }
                String stop = whyStop(cause, restarts, req.policy(), crashedBeforeCheckpoint);
                if (stop != null) {
                    throw failure(cause, stop, attempts, req, log);
                }
                crashedBeforeCheckpoint |= cause == ExitCause.CRASHED_BEFORE_CHECKPOINT;
                restarts++;
                backoffStep = nextBackoffStep(backoffStep, attempt.seconds());
                if (cause == ExitCause.DAEMON_LOST) {
                    engine.reconnect(name + " was lost", req.policy().daemonDeadline(), deadline, checkpoints(req),
                            out);
                    if (standby != null) {
                        standby.discard(); // it went with the engine, or knows an engine that is gone
                    }
                    adopt = engine.survivor(exit.containerId(), name, req.keepContainers(), out);
                    newest = newestValid(req, out); // what the restart resumes from, read after the engine is back
                }
                if (cause == ExitCause.OUT_OF_MEMORY) {
                    long raised = req.policy().raisedMemory(spec.memoryBytes(), firstMemory);
                    if (raised > spec.memoryBytes()) {
                        out.log(STEP, "watch: raising the memory limit after running out of memory: "
                                + (spec.memoryBytes() >> 20) + " -> " + (raised >> 20) + " MiB");
                        spec = spec.withMemory(raised);
                    }
                }
                spec = spec.withArg(RESUME_ARG);
                resumedFrom = newest.map(CheckpointFiles.Checkpoint::name).orElse(null);
                if (adopt == null) {
                    pause(req.policy().delayBefore(backoffStep), restarts, req.policy().maxRestarts(), resumedFrom,
                            out);
                    hot = standby == null ? null : standby.activate(spec);
                }
            }
        } finally {
            if (standby != null) {
                standby.close();
            }
        }
    }

    /**
     * One container to its end. A container that cannot even be created or started because the engine is not
     * answering is not an attempt: the engine is waited for (bounded) and the same container tried again.
     */
    private ContainerRun.Exit runOne(ContainerSpec spec, String name, String adopt, Standby.Ready hot, long deadline,
                                     Request req, MetricsTail metrics, AttemptLog log) {
        if (hot != null) {
            return Standby.follow(engine, hot, deadline, req.keepContainers(), metrics, log);
        }
        while (true) {
            try {
                if (adopt != null) {
                    log.log(STEP, "following container " + adopt);
                    return new ContainerRun(engine.connection().client(), log, STEP).follow(adopt, name, deadline,
                            line -> {
                                log.log(STEP, line);
                                metrics.poll();
                            }, metrics::poll, 0, 0);
                }
                return new TrainInContainer(engine.connection().client()).attempt(spec, name, deadline,
                        req.keepContainers(), metrics, log);
            } catch (RuntimeException e) {
                if (e instanceof CancellationException || !DockerErrors.isEngineFailure(e)) {
                    throw e;
                }
                log.log(STEP, "watch: could not start " + name + ": the Docker engine failed (" + e.getMessage()
                        + ")");
                engine.reconnect("starting " + name, req.policy().daemonDeadline(), deadline, checkpoints(req),
                        req.listener());
                if (adopt == null) { // one created before the engine failed would hold the name; never the user's
                    new ContainerRun(engine.connection().client(), log, STEP).remove(name);
                }
            }
        }
    }

    /** The backoff exponent for the next restart: back to the first after a container that ran healthy. */
    static int nextBackoffStep(int step, double secondsRun) {
        return secondsRun >= WatchPolicy.HEALTHY.toSeconds() ? 1 : step + 1;
    }

    /** Null to restart; else why not. */
    static String whyStop(ExitCause cause, int restarts, WatchPolicy policy, boolean crashedBeforeCheckpoint) {
        if (!cause.restartable()) {
            return cause.meaning() + "; not restarted";
        }
        if (restarts >= policy.maxRestarts()) {
            return policy.maxRestarts() == 0 ? "restarts are off (--restarts 0)"
                    : "the restart budget of " + policy.maxRestarts() + " is spent";
        }
        if (cause == ExitCause.CRASHED_BEFORE_CHECKPOINT && crashedBeforeCheckpoint) {
            return "it crashed before its first checkpoint twice: a deterministic failure, not retried again";
        }
        return null;
    }

    /**
     * Training done after the state the next container resumes from: since the newest checkpoint if this container
     * wrote it, else since its first training step (none when it never trained).
     */
    private static Double lost(ContainerRun.Exit exit, Instant detectedAt,
                               Optional<CheckpointFiles.Checkpoint> newest, boolean wrote, AttemptLog log) {
        Instant end = exit.finishedAt() != null ? exit.finishedAt() : detectedAt;
        Instant from = wrote ? newest.get().writtenAt() : log.firstStepAt();
        return from == null ? 0.0 : Math.max(0, Duration.between(from, end).toMillis() / 1000.0); // null: no step ran
    }

    private static void pause(Duration delay, int restart, int max, String from, ChainListener out) {
        out.log(STEP, "watch: restart " + restart + " of " + max + (delay.isZero() ? "" : " in " + delay.toMillis()
                + " ms") + ", resuming from " + (from == null ? "scratch (no checkpoint yet)" : from));
        sleep(delay);
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting to restart the training container");
        }
    }

    static TrainchainException failure(ExitCause cause, String why, List<Attempt> attempts, Request req,
                                       AttemptLog log) {
        StringBuilder m = new StringBuilder("training failed: ").append(why).append(". ")
                .append(attempts.size()).append(attempts.size() == 1 ? " container:" : " containers:");
        attempts.forEach(a -> m.append("\n  ").append(a.describe()));
        m.append("\ncheckpoints kept in ").append(checkpoints(req));
        List<String> tail = log.tail();
        if (!tail.isEmpty()) {
            m.append("\nlast lines of the container log:\n  ").append(String.join("\n  ", tail));
        }
        return cause == ExitCause.BAD_INPUT ? TrainchainException.badInput(m.toString())
                : TrainchainException.infrastructure(m.toString(), null);
    }

    private static Optional<CheckpointFiles.Checkpoint> newestValid(Request req, ChainListener out) {
        try {
            return CheckpointFiles.newestValid(req.outputDir(), w -> out.log(STEP, "warning: " + w));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoints in " + req.outputDir(), e);
        }
    }

    private static Path checkpoints(Request req) {
        return req.outputDir().resolve(CheckpointFiles.DIR);
    }

    private static String newestName(Request req, ChainListener out) {
        return newestValid(req, out).map(CheckpointFiles.Checkpoint::name).orElse(null);
    }

}

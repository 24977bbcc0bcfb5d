package io.trainchain.engine.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import io.trainchain.engine.ChainListener;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One container, from create to its end. Its end is learned from Docker's wait endpoint (a long request that
 * returns when the container stops), not by polling its state: the death of a container is seen within
 * milliseconds. The log is followed at the same time. When the wait request breaks, the engine is pinged: a
 * running container is waited on again (the client's response timeout ends long requests), a vanished one is
 * {@link End#REMOVED}, an unreachable engine is {@link End#DAEMON_LOST}.
 *
 * <p>An interrupt kills and removes the container, restores the interrupt flag and throws
 * {@link CancellationException}.
 */
public final class ContainerRun {

    /** How a followed container ended, as far as the engine can tell. */
    public enum End { EXITED, TIMED_OUT, DAEMON_LOST, REMOVED }

    /**
     * @param exitCode     null when unknown (engine gone, container removed before we saw its state)
     * @param finishedAt   Docker's own time of the container's end (null when unknown)
     * @param detectedNanos {@link System#nanoTime()} when this process learned of the end
     * @param startNanos   when the start request was sent (System.nanoTime; 0 when the container was adopted)
     * @param createSeconds the create and start requests (0 for an adopted container)
     * @param firstLogNanos arrival of the first log line (0 when none)
     * @param error        the engine's or the stream's error, for DAEMON_LOST and REMOVED
     */
    public record Exit(String containerId, String name, End end, Integer exitCode, boolean oomKilled,
                       Instant finishedAt, long detectedNanos, long startNanos, double createSeconds,
                       long firstLogNanos, String error) {

        /** Seconds from Docker's end of the container to this process knowing it (null when unknown). */
        public Double detectionSeconds(Instant detectedAt) {
            return finishedAt == null ? null
                    : Math.max(0, Duration.between(finishedAt, detectedAt).toNanos() / 1e9);
        }
    }

    private final DockerClient docker;
    private final ChainListener out;
    private final String step;

    public ContainerRun(DockerClient docker, ChainListener out, String step) {
        this.docker = Objects.requireNonNull(docker, "docker");
        this.out = out == null ? ChainListener.NONE : out;
        this.step = step;
    }

    /** Creates a container from {@code spec} named {@code name}; returns its id. */
    public String create(ContainerSpec spec, String name) {
        var cmd = docker.createContainerCmd(spec.image()).withName(name).withCmd(spec.cmd()).withEnv(spec.env())
                .withLabels(spec.labels()).withHostConfig(spec.host());
        if (spec.user() != null && !spec.user().isBlank()) {
            cmd.withUser(spec.user());
        }
        if (spec.entrypoint() != null) {
            cmd.withEntrypoint(spec.entrypoint());
        }
        try {
            return cmd.exec().getId();
        } catch (NotFoundException e) {
            throw new DockerStepException("image " + spec.image() + " not found locally (build it first)", e);
        }
    }

    /**
     * Starts the created container and follows it to its end (or the deadline, then it is killed).
     *
     * @param lines  each log line, on the log stream's thread
     * @param tick   run on every wake-up of the follower (at least once a second), e.g. to read metrics
     */
    public Exit startAndFollow(String id, String name, long deadlineNanos, Consumer<String> lines, Runnable tick,
                               long createdNanos) {
        long started = System.nanoTime();
        try {
            docker.startContainerCmd(id).exec();
        } catch (RuntimeException e) {
            if (DockerErrors.isInterrupt(e)) {
                throw cancelled(id, name, e, null);
            }
            throw e;
        }
        return follow(id, name, deadlineNanos, lines, tick, started, (System.nanoTime() - createdNanos) / 1e9);
    }

    /** Follows a container that is already running (started by someone else, or before a reconnect). */
    public Exit follow(String id, String name, long deadlineNanos, Consumer<String> lines, Runnable tick,
                       long startNanos, double createSeconds) {
        Semaphore wake = new Semaphore(0);
        long[] firstLog = {0};
        LogFollower logs = new LogFollower(docker, id, line -> {
            if (firstLog[0] == 0) {
                firstLog[0] = System.nanoTime();
            }
            lines.accept(line);
        }, wake::release);
        WaitCallback wait = null;
        try {
            wait = docker.waitContainerCmd(id).exec(new WaitCallback(wake));
            logs.attach();
            long deadline = deadlineNanos;
            boolean timedOut = false;
            while (!wait.done()) {
                tick.run();
                if (wait.failed != null) {
                    String reason = DockerConnector.describe(wait.failed);
                    Exit lost = whyWaitBroke(id, name, reason, startNanos, createSeconds, firstLog[0]);
                    if (lost != null) {
                        return lost;
                    }
                    DockerConnector.closeQuietly(wait);
                    wait = docker.waitContainerCmd(id).exec(new WaitCallback(wake)); // still running: wait again
                    continue;
                }
                if (logs.broken()) {
                    try {
                        logs.keepAlive();
                    } catch (RuntimeException e) {
                        if (!DockerErrors.isEngineFailure(e)) {
                            throw e;
                        }
                        // the engine is going: the wait request tells how, on the next turn
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 && !timedOut) {
                    timedOut = true;
                    out.log(step, "deadline reached: killing " + name);
                    kill(id);
                    deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos(); // for the kill to land
                    continue;
                } else if (left <= 0) {
                    throw new DockerStepException(name + " did not stop within 30 s of being killed");
                }
                wake.tryAcquire(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
            }
            long detected = wait.doneNanos;
            logs.finish(Duration.ofSeconds(10), out);
            tick.run();
            return ended(id, name, timedOut ? End.TIMED_OUT : End.EXITED, wait.status, detected, startNanos,
                    createSeconds, firstLog[0]);
        } catch (InterruptedException | RuntimeException e) {
            if (e instanceof InterruptedException || DockerErrors.isInterrupt(e)
                    || Thread.currentThread().isInterrupted()) {
                throw cancelled(id, name, e, logs);
            }
            if (DockerErrors.isEngineFailure(e)) { // a started container whose engine went away: not a crash
                return new Exit(id, name, End.DAEMON_LOST, null, false, null, System.nanoTime(), startNanos,
                        createSeconds, firstLog[0], "Docker engine failed while following " + name + " ("
                        + DockerConnector.describe(e) + ")");
            }
            throw (RuntimeException) e;
        } finally {
            logs.close();
            if (wait != null) {
                DockerConnector.closeQuietly(wait);
            }
        }
    }

    /** null when the container still runs (the wait request only timed out); else how it ended. */
    private Exit whyWaitBroke(String id, String name, String reason, long startNanos, double createSeconds,
                              long firstLog) {
        long now = System.nanoTime();
        try {
            docker.pingCmd().exec();
        } catch (RuntimeException e) {
            return new Exit(id, name, End.DAEMON_LOST, null, false, null, now, startNanos, createSeconds, firstLog,
                    "Docker engine unreachable (" + DockerConnector.describe(e) + ") while following " + name
                            + "; the wait request failed with: " + reason);
        }
        try {
            InspectContainerResponse.ContainerState s = docker.inspectContainerCmd(id).exec().getState();
            if (Boolean.TRUE.equals(s.getRunning()) || Boolean.TRUE.equals(s.getRestarting())) {
                return null;
            }
            return ended(id, name, End.EXITED, null, now, startNanos, createSeconds, firstLog);
        } catch (NotFoundException e) {
            return new Exit(id, name, End.REMOVED, null, false, null, now, startNanos, createSeconds, firstLog,
                    "container " + name + " was removed by someone else while it trained");
        }
    }

    /** Reads the end state; an engine that went away or a container removed meanwhile is said so. */
    private Exit ended(String id, String name, End end, Integer waitStatus, long detected, long startNanos,
                       double createSeconds, long firstLog) {
        try {
            InspectContainerResponse.ContainerState s = docker.inspectContainerCmd(id).exec().getState();
            Integer exit = s.getExitCodeLong() == null ? waitStatus : Integer.valueOf(s.getExitCodeLong().intValue());
            // `docker rm -f` marks the container as being removed before it kills it: this kill was a removal.
            boolean removing = "removing".equals(s.getStatus());
            return new Exit(id, name, removing ? End.REMOVED : end, exit, Boolean.TRUE.equals(s.getOOMKilled()),
                    parse(s.getFinishedAt()), detected, startNanos, createSeconds, firstLog,
                    removing ? "container " + name + " was removed by someone else while it trained" : null);
        } catch (NotFoundException e) {
            return new Exit(id, name, End.REMOVED, waitStatus, false, null, detected, startNanos, createSeconds,
                    firstLog, "container " + name + " was removed by someone else while it trained");
        } catch (RuntimeException e) {
            if (!DockerErrors.isConnectionFailure(e)) {
                throw e;
            }
            // The engine stopped right after the container (dockerd stops its containers when it shuts down).
            return new Exit(id, name, End.DAEMON_LOST, waitStatus, false, null, detected, startNanos, createSeconds,
                    firstLog, "Docker engine unreachable right after " + name + " stopped ("
                            + DockerConnector.describe(e) + ")");
        }
    }

    /** Kills a running container; one that is already stopped or gone is fine. */
    public void kill(String id) {
        boolean interrupted = Thread.interrupted(); // the HTTP client aborts requests on an interrupted thread
        try {
            docker.killContainerCmd(id).exec();
        } catch (NotFoundException | ConflictException e) {
            // already gone or already stopped
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Removes a container with its anonymous volumes; failures are logged, not thrown (cleanup must go on). */
    public void remove(String id) {
        // An interrupted thread (a server stopping mid-start) must still remove it: the HTTP client aborts
        // requests on an interrupted thread, so the flag is cleared for the call and restored after.
        boolean interrupted = Thread.interrupted();
        try {
            docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // already gone
        } catch (RuntimeException e) {
            out.log(step, "could not remove container " + id + ": " + e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private CancellationException cancelled(String id, String name, Exception e, LogFollower logs) {
        // Clear the flag first: the HTTP client aborts requests on an interrupted thread; restore it last.
        Thread.interrupted();
        out.log(step, "interrupted: killing and removing " + name);
        if (logs != null) {
            logs.close();
        }
        kill(id);
        remove(id);
        Thread.currentThread().interrupt();
        CancellationException ce = new CancellationException("training in " + name + " interrupted");
        ce.initCause(e);
        return ce;
    }

    private static Instant parse(String dockerTime) {
        if (dockerTime == null || dockerTime.startsWith("0001-")) {
            return null;
        }
        try {
            return Instant.parse(dockerTime);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}

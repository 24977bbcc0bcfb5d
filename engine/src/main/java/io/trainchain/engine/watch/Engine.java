package io.trainchain.engine.watch;

import com.github.dockerjava.api.exception.NotFoundException;
import io.trainchain.engine.ChainListener;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.docker.ContainerRun;
import io.trainchain.engine.docker.DockerConnection;
import io.trainchain.engine.docker.DockerErrors;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;

/** The watcher's hold on the Docker engine: the connection in use, and getting one back when the engine went away. */
final class Engine {
    private static final String STEP = WatchContainer.STEP;

    private final Supplier<DockerConnection> reconnect;
    private DockerConnection connection;

    Engine(DockerConnection connection, Supplier<DockerConnection> reconnect) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.reconnect = Objects.requireNonNull(reconnect, "reconnect");
    }

    DockerConnection connection() {
        return connection;
    }

    /**
     * Whether the engine stops answering within {@code window}. A stopping dockerd ends its containers with SIGTERM
     * first, so a container that died of SIGTERM is only known to have lost its engine by asking it for a moment.
     */
    boolean goingAway(Duration window) {
        long until = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < until) {
            try {
                connection.client().pingCmd().exec();
                connection.client().infoCmd().exec();
            } catch (RuntimeException e) {
                if (DockerErrors.isEngineFailure(e)) {
                    return true;
                }
                throw e;
            }
            WatchContainer.sleep(Duration.ofMillis(100));
        }
        return false;
    }

    /**
     * Waits for the engine to answer again, trying with a doubling pause (0.25 s to 5 s) for up to
     * {@code deadline}; then fails saying what was tried. Checkpoints on disk are never touched.
     */
    void reconnect(String lost, Duration deadline, long overallDeadlineNanos, Path checkpoints, ChainListener out) {
        long until = Math.min(overallDeadlineNanos, System.nanoTime() + deadline.toNanos());
        List<String> tried = new ArrayList<>();
        Duration delay = Duration.ofMillis(250);
        out.log(STEP, "watch: the Docker engine is unreachable; reconnecting for up to " + deadline.toSeconds() + " s");
        while (true) {
            try {
                DockerConnection fresh = reconnect.get();
                fresh.client().infoCmd().exec(); // a daemon still shutting down answers a ping, not always this
                DockerConnection old = connection;
                connection = fresh;
                old.close();
                out.log(STEP, "watch: reconnected after " + tried.size() + " failed tries: " + fresh.describe());
                return;
            } catch (CancellationException e) {
                throw e;
            } catch (RuntimeException e) {
                String m = e.getMessage() == null ? e.toString() : e.getMessage();
                tried.add(Instant.now() + " " + m.lines().findFirst().orElse(""));
            }
            if (System.nanoTime() + delay.toNanos() > until) {
                throw TrainchainException.infrastructure("the Docker engine stayed unreachable for "
                        + deadline.toSeconds() + " s after " + lost + "; tried " + tried.size() + " times, last:\n  "
                        + String.join("\n  ", tried.subList(Math.max(0, tried.size() - 5), tried.size()))
                        + "\ncheckpoints are kept in " + checkpoints + "; start the engine and run again (the "
                        + "trainer resumes with --resume)", null);
            }
            WatchContainer.sleep(delay);
            delay = delay.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5)
                    : delay.multipliedBy(2);
        }
    }

    /** After a reconnect: a container still running (live-restore) is followed again; a dead one is cleaned up. */
    String survivor(String containerId, String name, boolean keep, ChainListener out) {
        if (containerId == null) {
            return null;
        }
        try {
            var state = connection.client().inspectContainerCmd(containerId).exec().getState();
            if (Boolean.TRUE.equals(state.getRunning())) {
                out.log(STEP, "watch: " + name + " survived the engine restart; following it again");
                return containerId;
            }
            if (!keep) {
                new ContainerRun(connection.client(), out, STEP).remove(containerId);
            }
        } catch (NotFoundException gone) {
            // removed with the engine (--rm): nothing to clean up
        }
        return null;
    }
}

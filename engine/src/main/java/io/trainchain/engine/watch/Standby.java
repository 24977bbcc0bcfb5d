package io.trainchain.engine.watch;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import io.trainchain.engine.ChainListener;
import io.trainchain.engine.docker.ContainerRun;
import io.trainchain.engine.docker.ContainerSpec;
import io.trainchain.engine.docker.MetricsTail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The hot standby ({@link WatchPolicy#hotStandby()}): while a training container runs, the next one is already
 * created and started with {@code --standby /trainchain-standby/go}. Its trainer starts its JVM, native libraries and
 * data, then waits, writing nothing. When the training container dies and is to be restarted, the watcher creates
 * that file (in a host folder mounted read-only into the standby only) and the standby resumes from the newest
 * checkpoint at once: a restart costs the checkpoint restore, not a container and JVM start.
 *
 * <p>Docker calls run on the standby's own thread, so the training container's log is never held up by them, and
 * an interrupted watcher can still remove the standby.
 */
final class Standby implements AutoCloseable {
    static final String ARG = "--standby";
    static final String MOUNT = "/trainchain-standby";
    static final String SIGNAL = "go";
    private static final long WAIT_SECONDS = 30;

    /** A started standby container, made from a spec with this memory limit. */
    record Ready(String id, String name, long memoryBytes, Path signalDir) {
    }

    private final Engine engine;
    private final ChainListener out;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "trainchain-standby");
        t.setDaemon(true);
        return t;
    });
    private Future<Ready> pending;

    Standby(Engine engine, ChainListener out) {
        this.engine = engine;
        this.out = out;
    }

    /** Starts a standby for the restart with {@code spec} (the resume spec), named {@code name}, unless one exists. */
    synchronized void prepare(ContainerSpec spec, String name) {
        if (pending == null) {
            pending = thread.submit(() -> start(spec, name));
        }
    }

    /**
     * Activates the standby for a restart with {@code spec}, or returns null (and removes it) when there is none that
     * fits: none prepared, it failed to start, it is not running any more, or its memory limit is not the spec's.
     */
    Ready activate(ContainerSpec spec) {
        Ready r = take();
        if (r == null) {
            return null;
        }
        String why = r.memoryBytes() != spec.memoryBytes() ? "it has the old memory limit" : notRunning(r);
        if (why == null) {
            try {
                Path go = r.signalDir().resolve(SIGNAL);
                Files.writeString(go, "");
                Files.setPosixFilePermissions(go, PosixFilePermissions.fromString("rw-r--r--"));
                out.log(WatchContainer.STEP, "standby " + r.name() + " activated");
                return r;
            } catch (IOException e) {
                why = "its signal could not be written (" + e.getMessage() + ")";
            }
        }
        out.log(WatchContainer.STEP, "watch: not using standby " + r.name() + ": " + why + "; starting a new container");
        await(thread.submit(() -> removeNow(r)));
        return null;
    }

    /** Removes the standby (if any) and its signal folder; an activated one is the caller's. */
    void discard() {
        Ready r = take();
        if (r != null) {
            await(thread.submit(() -> removeNow(r)));
        }
    }

    /**
     * An activated standby to its end, timed from its activation; removed afterwards unless kept. An engine failure
     * while following it ends it as DAEMON_LOST like any container.
     */
    static ContainerRun.Exit follow(Engine engine, Ready hot, long deadline, boolean keep, MetricsTail metrics,
                                    ChainListener log) {
        ContainerRun run = new ContainerRun(engine.connection().client(), log, WatchContainer.STEP);
        boolean remove = !keep;
        try {
            return run.follow(hot.id(), hot.name(), deadline, line -> {
                log.log(WatchContainer.STEP, line);
                metrics.poll();
            }, metrics::poll, System.nanoTime(), 0);
        } catch (CancellationException e) {
            remove = false; // ContainerRun removed it already
            throw e;
        } finally {
            deleteTree(hot.signalDir());
            if (remove) {
                run.remove(hot.id());
            }
        }
    }

    @Override
    public void close() {
        discard();
        thread.shutdown();
    }

    private synchronized Ready take() {
        Future<Ready> f = pending;
        pending = null;
        return f == null ? null : await(f);
    }

    private Ready start(ContainerSpec spec, String name) throws IOException {
        Path signals = Files.createTempDirectory("trainchain-standby-");
        // The container's uid must see the signal appear: the folder is mounted read-only, but searchable.
        Files.setPosixFilePermissions(signals, PosixFilePermissions.fromString("rwxr-xr-x"));
        ContainerSpec standby = spec.withBind(new Bind(signals.toString(), new Volume(MOUNT), AccessMode.ro))
                .withArgs(ARG, MOUNT + "/" + SIGNAL);
        ContainerRun run = new ContainerRun(engine.connection().client(), out, WatchContainer.STEP);
        String id = null;
        try {
            id = run.create(standby, name);
            engine.connection().client().startContainerCmd(id).exec();
            out.log(WatchContainer.STEP, "watch: hot standby " + name + " started for the next restart");
            return new Ready(id, name, spec.memoryBytes(), signals);
        } catch (RuntimeException e) {
            out.log(WatchContainer.STEP, "watch: could not start hot standby " + name + ": " + e.getMessage());
            if (id != null) {
                run.remove(id);
            }
            deleteTree(signals);
            return null;
        }
    }

    private String notRunning(Ready r) {
        try {
            InspectContainerResponse.ContainerState s = engine.connection().client().inspectContainerCmd(r.id())
                    .exec().getState();
            return Boolean.TRUE.equals(s.getRunning()) ? null : "it is not running (" + s.getStatus() + ", exit "
                    + s.getExitCodeLong() + (Boolean.TRUE.equals(s.getOOMKilled()) ? ", OOMKilled" : "") + ")";
        } catch (NotFoundException e) {
            return "it is gone";
        } catch (RuntimeException e) {
            return "it could not be inspected (" + e.getMessage() + ")";
        }
    }

    private Void removeNow(Ready r) {
        new ContainerRun(engine.connection().client(), out, WatchContainer.STEP).remove(r.id());
        deleteTree(r.signalDir());
        return null;
    }

    /** The task's result; a failed task is null. Waits uninterruptibly (bounded): cleanup must finish. */
    private <T> T await(Future<T> f) {
        boolean interrupted = Thread.interrupted();
        try {
            return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
            return null;
        } catch (ExecutionException | TimeoutException e) {
            out.log(WatchContainer.STEP, "watch: hot standby: " + e.getMessage());
            return null;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind is harmless
        }
    }
}

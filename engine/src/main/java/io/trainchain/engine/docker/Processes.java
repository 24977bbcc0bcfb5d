package io.trainchain.engine.docker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Runs a local program from an argument list (never a shell string), streaming its merged output line by line. */
final class Processes {
    private static final int KEEP_LINES = 30;

    private Processes() {
    }

    /** Runs to completion; a nonzero exit, timeout or interrupt throws with the last lines of output. */
    static void run(List<String> command, Path dir, Duration timeout, Consumer<String> lines) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new DockerStepException("could not start " + command.get(0) + ": " + e.getMessage(), e);
        }
        Deque<String> tail = new ArrayDeque<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > KEEP_LINES) {
                            tail.removeFirst();
                        }
                    }
                    lines.accept(line);
                }
            } catch (IOException ignored) {
                // the process was killed: its pipe closes under us
            }
        }, "output of " + command.get(0));
        reader.setDaemon(true);
        reader.start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new DockerStepException(command.get(0) + " did not finish within " + timeout + "; killed. "
                        + "Last output:\n" + last(tail));
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new DockerStepException(command.get(0) + " interrupted; killed", e);
        }
        if (p.exitValue() != 0) {
            throw new DockerStepException(command.get(0) + " exited with " + p.exitValue() + ". Last output:\n"
                    + last(tail));
        }
    }

    private static String last(Deque<String> tail) {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }
}

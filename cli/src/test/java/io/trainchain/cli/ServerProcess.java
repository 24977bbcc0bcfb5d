package io.trainchain.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** `bin/trainchain server` as its own process (the real launcher), its output collected, its port read from it. */
final class ServerProcess {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");

    final Process process;
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final String name;

    ServerProcess(String name, List<String> args, String secret) throws Exception {
        this.name = name;
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("bin/trainchain").toString(), "server"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put(ServerCommand.SECRET_ENV, secret);
        process = pb.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    System.out.println("[" + name + "] " + l);
                    lines.add(l);
                }
            } catch (Exception e) {
                lines.add("reader failed: " + e);
            }
        }, "read-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** The port it listens on, once it says so. */
    int port() throws InterruptedException {
        String l = await(s -> LISTENING.matcher(s).find(), 60);
        Matcher m = LISTENING.matcher(l);
        m.find();
        return Integer.parseInt(m.group(1));
    }

    String await(Predicate<String> line, int seconds) throws InterruptedException {
        return await(0, line, seconds);
    }

    /** The first line from index {@code from} on that matches, waiting up to {@code seconds}. */
    String await(int from, Predicate<String> line, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            for (String l : lines.subList(from, lines.size())) {
                if (line.test(l)) {
                    return l;
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " ended (" + process.exitValue() + "): " + lines);
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " did not print the expected line in " + seconds + " s: " + lines);
    }

    /** SIGKILL: no hook runs, nothing is cleaned up. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits for the exit code. */
    int terminate(int seconds) throws Exception {
        new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start().waitFor();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(name + " did not exit within " + seconds + " s of SIGTERM: " + lines);
        }
        return process.exitValue();
    }

    /** The docker CLI's exit status, its output dropped: the ITs ask it whether a container is gone. */
    static int docker(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }
}

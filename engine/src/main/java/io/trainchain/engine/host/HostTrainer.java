package io.trainchain.engine.host;

import io.trainchain.engine.TrainerEnvironment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs the trainer as a child JVM on this machine. OpenMP reads OMP_NUM_THREADS and OMP_PROC_BIND once, when ND4J
 * loads, so they are set here, before that JVM starts.
 */
public final class HostTrainer {
    private HostTrainer() {
    }

    /** The command line, as a list (never a shell string). */
    public static List<String> command(HostTrainRequest r) {
        Path jar = r.trainerDist().resolve("trainchain-trainer.jar");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--out", r.out().toString()));
        r.data().ifPresent(d -> cmd.addAll(List.of("--data", d.toString())));
        r.params().ifPresent(p -> cmd.addAll(List.of("--params", p.toString())));
        if (r.limit() > 0) {
            cmd.addAll(List.of("--limit", Integer.toString(r.limit())));
        }
        if (r.resume()) {
            cmd.add("--resume");
        }
        return cmd;
    }

    /** Runs to the end, passing each output line (stdout and stderr merged) to {@code lines}; returns the exit code. */
    public static int run(HostTrainRequest r, Consumer<String> lines) throws IOException, InterruptedException {
        Path jar = r.trainerDist().resolve("trainchain-trainer.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + " not found: build the trainer first (mvn -B package -DskipTests), or point "
                    + "--trainer-dist at a folder holding trainchain-trainer.jar and lib/.");
        }
        ProcessBuilder pb = new ProcessBuilder(command(r)).redirectErrorStream(true);
        pb.environment().putAll(TrainerEnvironment.openMp(r.cpus()));
        Process p = pb.start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                lines.accept(line);
            }
            return p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw e;
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }
}

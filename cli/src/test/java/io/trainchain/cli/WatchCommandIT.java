package io.trainchain.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainchain.engine.docker.BuildTrainingImage;
import io.trainchain.engine.docker.DockerConnection;
import io.trainchain.engine.docker.DockerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `trainchain watch` on a training container started by hand with `docker run` (the docker CLI, as a user would):
 * it is killed after its first checkpoint, the command restarts it from there, and the training completes.
 */
class WatchCommandIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist");
    private final List<String> containers = new ArrayList<>();

    @AfterEach
    void removeContainers() throws Exception {
        for (String c : containers) {
            docker("rm", "-f", c, c + "-r1", c + "-r2");
        }
    }

    @Test
    void restartsAContainerStartedByHandFromItsCheckpoint(@TempDir Path tmp) throws Exception {
        String image = image(tmp);
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.setAttribute(out, "unix:uid", 1000); // the container user writes it (we run as root, like CI)
        Files.setAttribute(out, "unix:gid", 1000);
        Path params = Files.writeString(tmp.resolve("params.json"), "{\"epochs\": 3}");
        String name = "trainchain-it-byhand-" + System.nanoTime();
        containers.add(name);
        assertEquals(0, docker("run", "-d", "--name", name, "--network", "none", "--user", "1000:1000",
                "--memory", "2g", "--memory-swap", "2g", "--cpus", "2", "-e", "OMP_NUM_THREADS=2",
                "-v", DATA + ":/data:ro", "-v", out + ":/out", "-v", params + ":/params/params.json:ro",
                image, "--data", "/data", "--out", "/out", "--params", "/params/params.json", "--limit", "6000"));

        Thread killer = new Thread(() -> {
            try {
                Path first = out.resolve("checkpoints/checkpoint-epoch-0001.zip");
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
                while (!Files.exists(first) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                Thread.sleep(300);
                docker("kill", name);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        killer.start();
        TrainCommandIT.Result r = TrainCommandIT.run("watch", name, "--restart-backoff", "0s");
        killer.join();
        System.out.println(r.out() + r.err());

        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("watching " + name + " ("), r.out());
        assertTrue(r.out().contains("checkpoints in " + out), "the host folder read from the container's mounts");
        assertTrue(r.out().contains("  attempt 1: KILLED (exit 137)"), r.out());
        assertTrue(r.out().contains("  attempt 2: COMPLETED (exit 0)"), r.out());
        assertTrue(r.out().contains("resumed from checkpoint-epoch-0001.zip"), r.out());
        assertTrue(r.out().contains("training completed in " + name + "-r1"), r.out());
        var eval = new ObjectMapper().readTree(out.resolve("evaluation.json").toFile());
        assertEquals(3, eval.get("epochs").asInt());
        assertEquals(3, Files.readAllLines(out.resolve("metrics.jsonl")).size());
        assertEquals(0, docker("inspect", name), "the user's own container is left in place");
    }

    @Test
    void anUnknownContainerIsBadInput() {
        TrainCommandIT.Result r = TrainCommandIT.run("watch", "no-such-container-" + System.nanoTime());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("no container 'no-such-container-"), r.err());
        assertTrue(r.err().contains("docker ps -a"), r.err());
    }

    /** The training image, as the chain builds it (an unchanged one is reused at once). */
    private static String image(Path tmp) throws IOException {
        Path code = Files.createDirectories(tmp.resolve("code"));
        Files.writeString(code.resolve("README.txt"), "user code placeholder\n");
        try (DockerConnection c = DockerConnector.fromEnvironment().connect()) {
            return new BuildTrainingImage(c.client()).run(new BuildTrainingImage.Request(ROOT.resolve("dockerfiles/dl4j"),
                    ROOT.resolve("trainer/target/dist"), code, "trainchain/base-jre17:bookworm", null)).tag();
        }
    }

    private static int docker(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        int code = p.waitFor();
        System.out.println("[it] " + String.join(" ", cmd) + " -> " + code + (code == 0 ? "" : ": " + output));
        return code;
    }
}

package io.trainchain.engine.pipeline;

import io.trainchain.engine.ChainListener;
import io.trainchain.engine.docker.BuildTrainingImage;
import io.trainchain.engine.docker.DockerConnection;
import io.trainchain.engine.docker.DockerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The watchContainer step's engine path on a training container started by hand ({@code docker run}, as a script's
 * {@code sh} step would): killed after its first checkpoint, restarted from it, completed; the attempts come back.
 * Real Docker, trainer dist and Fashion-MNIST; fails without them.
 */
class PipelineWatchIT {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist");
    private final List<String> containers = new ArrayList<>();
    private final ChainListener listener = (step, line) -> System.out.println("[" + step + "] " + line);

    @AfterEach
    void removeContainers() throws Exception {
        for (String c : containers) {
            docker("rm", "-f", c, c + "-r1", c + "-r2");
        }
    }

    @Test
    void followsAContainerStartedByHandAndReturnsItsAttempts(@TempDir Path tmp) throws Exception {
        String image = image(tmp);
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.setAttribute(out, "unix:uid", 1000); // the container's user writes it (the tests run as root)
        Files.setAttribute(out, "unix:gid", 1000);
        Path params = Files.writeString(tmp.resolve("params.json"), "{\"epochs\": 2}");
        String name = "trainchain-it-pipeline-watch-" + System.nanoTime();
        containers.add(name);
        assertEquals(0, docker("run", "-d", "--name", name, "--network", "none", "--user", "1000:1000",
                "--memory", "2g", "--memory-swap", "2g", "--cpus", "2", "-e", "OMP_NUM_THREADS=2",
                "-v", DATA + ":/data:ro", "-v", out + ":/out", "-v", params + ":/params/params.json:ro",
                image, "--data", "/data", "--out", "/out", "--params", "/params/params.json", "--limit", "3000"));
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
        StepResult.Watched w = (StepResult.Watched) new PipelineSteps(new EngineSetup(null, null, null), tmp,
                listener).run(new StepRequest.Watch(name, null, 2, 20));
        killer.join();

        assertTrue(w.completed());
        assertEquals(name, w.container());
        assertEquals(out.toString(), w.outputDir(), "read from the container's mounts");
        assertEquals(2, w.attempts().size(), w.attempts().toString());
        assertEquals("KILLED", w.attempts().get(0).cause());
        assertEquals(137, w.attempts().get(0).exitCode());
        assertEquals("COMPLETED", w.attempts().get(1).cause());
        assertEquals(name + "-r1", w.attempts().get(1).containerName());
        assertTrue(Files.isRegularFile(out.resolve("evaluation.json")));
    }

    @Test
    void anUnknownContainerIsBadInput(@TempDir Path tmp) {
        StepFailedException e = assertThrows(StepFailedException.class, () -> new PipelineSteps(
                new EngineSetup(null, null, null), tmp, listener).run(
                new StepRequest.Watch("no-such-container-" + System.nanoTime(), null, null, 5)));
        assertEquals("BAD_INPUT", e.kind());
        assertTrue(e.getMessage().contains("docker ps -a"), e.getMessage());
    }

    /** The training image, as the chain builds it (an unchanged one is reused at once). */
    private static String image(Path tmp) throws IOException {
        Path code = Files.createDirectories(tmp.resolve("code"));
        Files.writeString(code.resolve("README.txt"), "user code placeholder\n");
        try (DockerConnection c = DockerConnector.fromEnvironment().connect()) {
            return new BuildTrainingImage(c.client()).run(new BuildTrainingImage.Request(
                    ROOT.resolve("dockerfiles/dl4j"), ROOT.resolve("trainer/target/dist"), code,
                    "trainchain/base-jre17:bookworm", null)).tag();
        }
    }

    private static int docker(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        System.out.println("[it] " + String.join(" ", cmd) + " -> " + code + (code == 0 ? "" : ": " + output));
        return code;
    }
}

package io.trainchain.engine.watch;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.docker.ContainerSpec;
import io.trainchain.engine.docker.DockerConnection;
import io.trainchain.engine.docker.DockerConnector;
import io.trainchain.engine.docker.DockerUnavailableException;
import io.trainchain.engine.docker.TrainInContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An engine that never comes back: the watcher tries, bounded, then says what it tried. No Docker needed. */
class EngineGoneTest {

    @Test
    void anEngineThatStaysAwayFailsAfterTheDeadlineListingTheTriesAndKeepsTheCheckpoints(@TempDir Path tmp) {
        Path socket = tmp.resolve("no-docker.sock"); // nothing listens here
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost("unix://" + socket).build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost())
                .connectionTimeout(Duration.ofSeconds(1)).responseTimeout(Duration.ofSeconds(2)).build();
        DockerConnection gone = new DockerConnection(DockerClientImpl.getInstance(config, http), http,
                new DockerConnector.Candidate("test", "unix://" + socket), "?", "?", "?", List.of());
        AtomicInteger tries = new AtomicInteger();
        List<String> lines = new ArrayList<>();
        ContainerSpec spec = ContainerSpec.lockedDown("trainchain/train-dl4j:x", List.of("--out", "/out"), Map.of(),
                List.of(), TrainInContainer.Limits.DEFAULT, "1000:1000", Map.of());
        WatchPolicy policy = new WatchPolicy(3, Duration.ZERO, 2, Duration.ZERO, 0, 0, Duration.ofSeconds(1));
        long t0 = System.nanoTime();
        TrainchainException e = assertThrows(TrainchainException.class, () -> new WatchContainer(gone, () -> {
            tries.incrementAndGet();
            throw new DockerUnavailableException("Could not find a working Docker engine. Tried: " + socket,
                    List.of());
        }).run(new WatchContainer.Request(spec, tmp.resolve("out"), "c", null, policy, Duration.ofMinutes(1), false,
                (step, line) -> lines.add(line), null)));
        double seconds = (System.nanoTime() - t0) / 1e9;

        assertEquals(TrainchainException.Kind.INFRASTRUCTURE, e.kind());
        assertTrue(e.getMessage().startsWith("the Docker engine stayed unreachable for 1 s after starting c; tried "
                + tries.get() + " times"), e.getMessage());
        assertTrue(tries.get() >= 2, "tried more than once: " + tries.get());
        assertTrue(e.getMessage().contains("Could not find a working Docker engine"), "what was tried: " + e.getMessage());
        assertTrue(e.getMessage().contains("checkpoints are kept in " + tmp.resolve("out/checkpoints")), e.getMessage());
        assertTrue(seconds < 10, "bounded by the deadline: " + seconds);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("watch: could not start c: the Docker engine failed")),
                lines.toString());
    }
}

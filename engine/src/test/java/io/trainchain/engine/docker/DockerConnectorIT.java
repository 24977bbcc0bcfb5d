package io.trainchain.engine.docker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DockerConnectorIT {

    @Test
    void connectsToTheLocalEngineAndReportsVersions() {
        DockerConnection c = TestDocker.connection();
        assertNotNull(c.serverVersion());
        assertTrue(c.apiVersion().matches("\\d+\\.\\d+"), c.apiVersion());
        // A real call through the negotiated (unversioned) API.
        assertNotNull(c.client().infoCmd().exec().getServerVersion());
    }

    @Test
    void listsEveryCandidateAndWhyItFailedWhenNoneWorks(@TempDir Path tmp) throws Exception {
        Path notASocket = Files.writeString(tmp.resolve("docker.sock"), "plain file");
        Path noSocket = tmp.resolve("missing/docker.sock");
        List<DockerConnector.Candidate> candidates = List.of(
                new DockerConnector.Candidate("DOCKER_HOST", "tcp://127.0.0.1:1"),
                new DockerConnector.Candidate("default socket", "unix://" + noSocket),
                new DockerConnector.Candidate("rootless ($XDG_RUNTIME_DIR)", "unix://" + notASocket),
                new DockerConnector.Candidate("ssh", "ssh://user@example.invalid"));
        DockerConnector connector = new DockerConnector(candidates, Map.of(), DockerConnector.Timeouts.DEFAULT);

        long start = System.nanoTime();
        DockerUnavailableException e = assertThrows(DockerUnavailableException.class, connector::connect);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println(e.getMessage());

        assertEquals(4, e.failures().size());
        String m = e.getMessage();
        assertTrue(m.contains("tcp://127.0.0.1:1") && m.contains("connection refused"), m);
        assertTrue(m.contains(noSocket.toString()) && m.contains("does not exist"), m);
        assertTrue(m.contains(notASocket.toString()), m);
        assertTrue(m.contains("ssh://") && m.contains("not supported"), m);
        assertTrue(m.contains("start the Docker daemon") && m.contains("DOCKER_HOST"), m);
        assertTrue(seconds < 30, "diagnosis took " + seconds + " s");
    }

    @Test
    void aBogusDockerHostFallsBackToTheDefaultSocketAndSaysSo(@TempDir Path home) {
        Map<String, String> env = Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock");
        List<DockerConnector.Candidate> candidates = DockerConnector.defaultCandidates(env, home);
        assertEquals("DOCKER_HOST", candidates.get(0).source());
        assertEquals("unix:///var/run/docker.sock", candidates.get(1).host());
        try (DockerConnection c = new DockerConnector(candidates, env, DockerConnector.Timeouts.DEFAULT).connect()) {
            assertEquals("unix:///var/run/docker.sock", c.candidate().host());
            assertFalse(c.warnings().isEmpty());
            assertTrue(c.warnings().get(0).contains("/nonexistent/docker.sock"), c.warnings().toString());
        }
    }
}

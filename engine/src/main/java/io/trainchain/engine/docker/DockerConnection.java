package io.trainchain.engine.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.transport.DockerHttpClient;

import java.util.List;

/**
 * A live connection: the client (timeouts set), where it points, and what the engine said about itself.
 * {@code http} is the same transport, for the one endpoint docker-java mishandles (streamed docker import).
 * Close it to release the HTTP connections.
 */
public record DockerConnection(DockerClient client, DockerHttpClient http, DockerConnector.Candidate candidate,
                               String serverVersion, String apiVersion, String minApiVersion, List<String> warnings)
        implements AutoCloseable {

    DockerConnection withWarnings(List<String> more) {
        return new DockerConnection(client, http, candidate, serverVersion, apiVersion, minApiVersion,
                List.copyOf(more));
    }

    /** One line for logs, e.g. "Docker 20.10.24 (API 1.41) at unix:///var/run/docker.sock". */
    public String describe() {
        return "Docker " + serverVersion + " (API " + apiVersion + ", min " + minApiVersion + ") at "
                + candidate.host() + " [" + candidate.source() + "]";
    }

    @Override
    public void close() {
        DockerConnector.closeQuietly(client);
    }
}

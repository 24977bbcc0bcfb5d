package io.trainchain.cli;

import io.trainchain.engine.server.GroupCommit;
import io.trainchain.engine.server.ServerConfig;
import io.trainchain.engine.server.Webhooks;
import io.trainchain.engine.store.RunStore;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The front over real Jetty and HTTP: a delivery refused because the server is stopping is a retryable 503. */
class HttpFrontTest {
    @TempDir
    Path tmp;

    @Test
    void aDeliveryWhileTheQueueIsClosedIsAnswered503() throws Exception {
        ServerConfig cfg = new ServerConfig("127.0.0.1", 0, 4096, 1, 1, true, tmp, List.of(new ServerConfig.Repository(
                "fashion", "https://example.org/acme/fashion.git", List.of(), List.of(), null,
                ServerConfig.ChainOptions.NONE, List.of())));
        try (RunStore store = RunStore.open(tmp.resolve("runs.db"))) {
            GroupCommit commits = new GroupCommit(store, true);
            commits.close(); // as when the server stops while a delivery is in flight
            Server jetty = new Server();
            ServerConnector connector = new ServerConnector(jetty);
            connector.setHost("127.0.0.1");
            jetty.addConnector(connector);
            jetty.setHandler(new HttpFront(new Webhooks(cfg, null, commits, () -> { }), store, tmp.resolve("jobs"),
                    4096, Clock.systemUTC()));
            jetty.start();
            try {
                String push = "{\"ref\":\"refs/heads/main\",\"after\":\"" + "a".repeat(40) + "\",\"repository\":"
                        + "{\"clone_url\":\"https://example.org/acme/fashion.git\"}}";
                HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + connector.getLocalPort()
                                + "/github-webhook"))
                        .header("X-GitHub-Event", "push").header("X-GitHub-Delivery", "d-1")
                        .POST(HttpRequest.BodyPublishers.ofString(push)).build();
                HttpResponse<String> r = HttpClient.newHttpClient().send(post, HttpResponse.BodyHandlers.ofString());
                assertEquals(503, r.statusCode(), r.body());
                assertTrue(r.body().contains("the server is stopping"), r.body());
                assertEquals(0, store.queue(10).size());
            } finally {
                jetty.stop();
            }
        }
    }
}

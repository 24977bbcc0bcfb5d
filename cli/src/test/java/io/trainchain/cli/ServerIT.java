package io.trainchain.cli;

import io.trainchain.engine.server.GitRemote;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainchain.engine.server.ServerConfig;
import io.trainchain.engine.server.Signatures;
import io.trainchain.engine.store.QueuedChain;
import io.trainchain.engine.store.RunStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server over real HTTP (Jetty on a free port), a real run store and a real bare Git repository the test
 * pushes to; the chain is a {@link RecordingExecutor} (see there why).
 */
class ServerIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private GitRemote remote;
    private RunStore store;
    private TrainchainServer server;
    private final RecordingExecutor executor = new RecordingExecutor();
    private Deliveries send;

    @BeforeEach
    void start() throws Exception {
        remote = new GitRemote(tmp.resolve("git"));
        store = RunStore.open(tmp.resolve("runs.db"));
        ServerConfig cfg = new ServerConfig("127.0.0.1", 0, 64 * 1024, 1, 1, true, tmp, List.of(
                new ServerConfig.Repository("fashion", remote.url(), List.of("acme/fashion"), List.of("main", "dev"),
                        null, ServerConfig.ChainOptions.NONE, List.of())));
        server = new TrainchainServer(cfg, store, new Signatures(Deliveries.SECRET), executor, Clock.systemUTC(),
                tmp.resolve("work"), 0, true, l -> System.out.println("[server] " + l));
        send = new Deliveries(server.port());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        store.close();
        remote.close();
    }

    @Test
    void aSignedPushQueuesOneChainThatRunsAtThePushedCommit() throws Exception {
        String first = remote.push("main", "train.py", "print('v1')");
        String second = remote.push("main", "train.py", "print('v2')");
        HttpResponse<String> r = send.github("push", "d-1", Deliveries.githubPush("acme/fashion", "refs/heads/main",
                first, "ada"), Deliveries.SECRET);
        assertEquals(202, r.statusCode(), r.body());
        JsonNode body = JSON.readTree(r.body());
        assertEquals(first, body.get("commit").asText());
        assertEquals("github:d-1", body.get("delivery").asText());
        QueuedChain done = awaitDone(body.get("queued").asLong());
        assertEquals("ada", done.pusher());
        assertEquals("push", done.event());
        assertEquals(1, executor.executions.size());
        RecordingExecutor.Execution e = executor.executions.get(0);
        assertEquals(first, e.checkedOut(), "the exact pushed commit, not the branch head " + second);
        assertEquals("main", e.branch());
        assertEquals("print('v1')", Files.readString(e.job().checkout().resolve("train.py")));

        JsonNode runs = JSON.readTree(send.get("/runs").body());
        assertEquals("DONE", runs.get("chains").get(0).get("state").asText());
        assertEquals("ada", runs.get("chains").get(0).get("pusher").asText());
        HttpResponse<String> health = send.get("/health");
        assertEquals(200, health.statusCode());
        assertEquals(store.schemaVersion(), JSON.readTree(health.body()).get("schemaVersion").asInt(),
                "the store the server has open, at the latest version");
    }

    @Test
    void aRedeliveryAnswers200NamingTheChainAndStartsNothing() throws Exception {
        String c = remote.push("main", "train.py", "x");
        String payload = Deliveries.githubPush("acme/fashion", "refs/heads/main", c, "ada");
        long seq = JSON.readTree(send.github("push", "d-7", payload, Deliveries.SECRET).body()).get("queued").asLong();
        awaitDone(seq);
        HttpResponse<String> again = send.github("push", "d-7", payload, Deliveries.SECRET);
        assertEquals(200, again.statusCode(), again.body());
        JsonNode b = JSON.readTree(again.body());
        assertEquals(seq, b.get("queued").asLong());
        assertTrue(b.get("duplicate").asText().contains("d-7"), again.body());
        Thread.sleep(700); // a worker poll: a second execution would show now
        assertEquals(1, executor.executions.size());
        assertEquals(1, store.queue(10).size());
    }

    @Test
    void badDeliveriesAreRefusedAndStartNothing() throws Exception {
        String c = remote.push("main", "train.py", "x");
        String good = Deliveries.githubPush("acme/fashion", "refs/heads/main", c, "ada");
        assertStatus(401, send.github("push", "d-a", good, "the wrong secret"), "does not match");
        assertStatus(401, send.github("push", "d-b", good, null), "no X-Hub-Signature-256");
        byte[] bytes = good.getBytes(StandardCharsets.UTF_8);
        assertStatus(401, send.post("/github-webhook", Map.of("X-GitHub-Event", "push", "X-GitHub-Delivery", "d-c",
                "X-Hub-Signature-256", new Signatures(Deliveries.SECRET).githubSignature(bytes)),
                (good + " ").getBytes(StandardCharsets.UTF_8)), "does not match"); // signed another body
        assertStatus(400, send.github("push", "d-d", "{\"ref\": ", Deliveries.SECRET), "not valid JSON");
        assertStatus(400, send.github("push", "d-e", "{\"ref\":\"refs/heads/main\",\"repository\":{}}",
                Deliveries.SECRET), "'after'");
        assertStatus(413, send.github("push", "d-f", "{\"pad\":\"" + "x".repeat(70 * 1024) + "\"}",
                Deliveries.SECRET), "at most 65536");
        assertStatus(202, send.github("issues", "d-g", "{}", Deliveries.SECRET), "event 'issues' starts nothing");
        assertStatus(202, send.github("push", "d-h", Deliveries.githubPush("acme/fashion", "refs/tags/v1", c, "ada"),
                Deliveries.SECRET), "tag push");
        assertStatus(202, send.github("push", "d-i", Deliveries.githubPush("acme/fashion", "refs/heads/main",
                Deliveries.deletion(), "ada"), Deliveries.SECRET), "was deleted");
        assertStatus(202, send.github("push", "d-j", Deliveries.githubPush("acme/fashion", "refs/heads/wip", c,
                "ada"), Deliveries.SECRET), "not built");
        assertStatus(202, send.github("push", "d-k", Deliveries.githubPush("acme/other", "refs/heads/main", c,
                "ada"), Deliveries.SECRET), "not configured");
        assertStatus(200, send.github("ping", "d-l", "{\"zen\":\"Keep it logically awesome.\"}", Deliveries.SECRET),
                "pong");
        Thread.sleep(700);
        assertEquals(List.of(), store.queue(10));
        assertEquals(List.of(), executor.executions);
    }

    @Test
    void gitlabAndGiteaPushesAreVerifiedTheirOwnWay() throws Exception {
        String c = remote.push("dev", "train.py", "x");
        assertStatus(401, send.gitlab("Push Hook", "u-1", Deliveries.gitlabPush("acme/fashion", "refs/heads/dev", c,
                "bob"), "wrong"), "does not match");
        assertStatus(401, send.gitlab("Push Hook", "u-1", Deliveries.gitlabPush("acme/fashion", "refs/heads/dev", c,
                "bob"), null), "no X-Gitlab-Token");
        assertStatus(202, send.gitlab("Tag Push Hook", "u-2", Deliveries.gitlabPush("acme/fashion", "refs/tags/v2", c,
                "bob"), Deliveries.SECRET), "tag push");
        HttpResponse<String> lab = send.gitlab("Push Hook", "u-3", Deliveries.gitlabPush("acme/fashion",
                "refs/heads/dev", c, "bob"), Deliveries.SECRET);
        assertStatus(202, lab, "\"queued\"");
        QueuedChain fromLab = awaitDone(JSON.readTree(lab.body()).get("queued").asLong());
        assertEquals("bob", fromLab.pusher());

        assertStatus(401, send.gitea("push", "g-1", Deliveries.giteaPush("acme/fashion", "refs/heads/dev", c, "eve"),
                "wrong"), "does not match");
        assertStatus(401, send.gitea("push", "g-1", Deliveries.giteaPush("acme/fashion", "refs/heads/dev", c, "eve"),
                null), "no X-Gitea-Signature");
        HttpResponse<String> tea = send.gitea("push", "g-2", Deliveries.giteaPush("acme/fashion", "refs/heads/dev", c,
                "eve"), Deliveries.SECRET);
        assertStatus(202, tea, "\"queued\"");
        QueuedChain fromTea = awaitDone(JSON.readTree(tea.body()).get("queued").asLong());
        assertEquals("eve", fromTea.pusher());
        assertEquals(2, executor.executions.size());
        assertTrue(executor.executions.stream().allMatch(e -> e.checkedOut().equals(c) && e.branch().equals("dev")));
    }

    private static void assertStatus(int status, HttpResponse<String> r, String says) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.body().contains(says), "expected '" + says + "' in " + r.body());
    }

    private QueuedChain awaitDone(long seq) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            QueuedChain q = store.queued(seq).orElseThrow();
            if (q.state() == QueuedChain.State.DONE || q.state() == QueuedChain.State.FAILED) {
                assertEquals(QueuedChain.State.DONE, q.state(), q.message());
                return q;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("queued chain " + seq + " did not finish: " + store.queued(seq));
    }
}

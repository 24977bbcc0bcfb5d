package io.trainchain.engine.server;

import io.trainchain.engine.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The answers that ServerIT does not reach over HTTP: the insecure mode, missing headers, GitLab's deletions. */
class WebhooksTest {
    @TempDir
    Path tmp;

    private static final String SHA = "b".repeat(40);

    private Webhooks.Answer send(Webhooks w, Forge forge, Map<String, String> headers, String body) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        return w.handle(forge, h::get, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theAnswersWithoutHttp() {
        ServerConfig cfg = new ServerConfig("127.0.0.1", 0, 4096, 1, 1, true, tmp, List.of(new ServerConfig.Repository(
                "fashion", "https://example.org/acme/fashion.git", List.of(), List.of(), null,
                ServerConfig.ChainOptions.NONE, List.of())));
        try (RunStore store = RunStore.open(tmp.resolve("runs.db")); GroupCommit commits = new GroupCommit(store, true)) {
            Webhooks insecure = new Webhooks(cfg, null, commits, () -> { });
            String push = "{\"ref\":\"refs/heads/any\",\"after\":\"" + SHA + "\",\"repository\":{\"clone_url\":"
                    + "\"https://example.org/acme/fashion.git\"}}";
            Webhooks.Answer unsigned = send(insecure, Forge.GITHUB, Map.of("X-GitHub-Event", "push",
                    "X-GitHub-Delivery", "1"), push);
            assertEquals(202, unsigned.status(), unsigned.body().toString());
            assertEquals(SHA, unsigned.body().get("commit"), "matched by clone URL; every branch built");

            Webhooks signed = new Webhooks(cfg, new Signatures("s"), commits, () -> { });
            String sig = new Signatures("s").githubSignature(push.getBytes(StandardCharsets.UTF_8));
            assertEquals(400, send(signed, Forge.GITHUB, Map.of("X-Hub-Signature-256", sig, "X-GitHub-Delivery", "2"),
                    push).status(), "no event header");
            Webhooks.Answer noDelivery = send(signed, Forge.GITHUB, Map.of("X-Hub-Signature-256", sig,
                    "X-GitHub-Event", "push"), push);
            assertEquals(400, noDelivery.status());
            assertTrue(noDelivery.body().get("error").toString().contains("X-GitHub-Delivery"));
            assertEquals(413, send(signed, Forge.GITHUB, Map.of(), "x".repeat(4097)).status(),
                    "too large: refused before the signature is even checked");

            String deleted = "{\"object_kind\":\"push\",\"ref\":\"refs/heads/old\",\"after\":\"" + "0".repeat(40)
                    + "\",\"project\":{\"git_http_url\":\"https://example.org/acme/fashion.git\"}}";
            Webhooks.Answer deletion = send(signed, Forge.GITLAB, Map.of("X-Gitlab-Token", "s", "X-Gitlab-Event",
                    "Push Hook", "Idempotency-Key", "k-1"), deleted);
            assertEquals(202, deletion.status());
            assertTrue(deletion.body().get("ignored").toString().contains("deleted"), deletion.body().toString());
            assertEquals(1, store.queue(10).size());
        }
    }
}

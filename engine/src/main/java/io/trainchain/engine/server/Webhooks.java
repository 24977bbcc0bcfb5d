package io.trainchain.engine.server;

import io.trainchain.engine.store.QueuedChain;
import io.trainchain.engine.store.Trigger;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Decides what a delivery gets, independent of the HTTP server: the signature is checked before anything is
 * parsed, then the event, the payload and the configuration; a push to a built branch is queued in the run store
 * (committed) before the answer says so.
 */
public final class Webhooks {
    /** The HTTP status and the JSON object answered. */
    public record Answer(int status, Map<String, Object> body) {
    }

    private final ServerConfig config;
    private final Signatures signatures;
    private final GroupCommit queue;
    private final Runnable queued;

    /**
     * @param signatures null only when the server was started with the insecure flag (a local test)
     * @param queue      commits the queued chains (with the other deliveries in flight)
     * @param queued     told after a chain was queued (wakes the workers)
     */
    public Webhooks(ServerConfig config, Signatures signatures, GroupCommit queue, Runnable queued) {
        this.config = config;
        this.signatures = signatures;
        this.queue = queue;
        this.queued = queued;
    }

    /** @param header a header's value by name (case-insensitive), null when absent */
    public Answer handle(Forge forge, UnaryOperator<String> header, byte[] body) {
        if (body.length > config.maxBodyBytes()) {
            return answer(413, "error", "the body is " + body.length + " bytes; this server takes at most "
                    + config.maxBodyBytes() + " (max_body_bytes)");
        }
        if (signatures != null) {
            String given = header.apply(forge.signatureHeader());
            if (given == null || given.isEmpty()) {
                return answer(401, "error", "no " + forge.signatureHeader() + " header; set the webhook's secret "
                        + "to the server's");
            }
            if (!signatures.valid(forge, given, body)) {
                return answer(401, "error", forge.signatureHeader() + " does not match this server's secret; "
                        + "check the webhook's secret");
            }
        }
        String event = header.apply(forge.eventHeader());
        if (event == null || event.isBlank()) {
            return answer(400, "error", "no " + forge.eventHeader() + " header: which event is this?");
        }
        if (forge.isPing(event)) {
            return answer(200, "answer", "pong");
        }
        if (!forge.isPush(event)) {
            return answer(202, "ignored", "event '" + event + "' starts nothing; only pushes start the chain");
        }
        String delivery = delivery(forge, header);
        if (delivery == null) {
            return answer(400, "error", "no delivery id (" + String.join(" or ", forge.deliveryHeaders())
                    + "); it is how redeliveries are recognised");
        }
        PushEvent push;
        try {
            push = PushEvent.parse(forge, body);
        } catch (PushEvent.BadPayload e) {
            return answer(400, "error", e.getMessage());
        }
        var repo = config.repositoryNamed(push.names());
        if (repo.isEmpty()) {
            return answer(202, "ignored", "repository " + push.names().get(0) + " is not configured on this server");
        }
        if (push.isTag()) {
            return answer(202, "ignored", "tag push " + push.ref() + ": only branch pushes start the chain");
        }
        if (!push.isBranch()) {
            return answer(202, "ignored", "ref " + push.ref() + " is not a branch");
        }
        if (push.deleted()) {
            return answer(202, "ignored", "branch " + push.branch() + " was deleted: nothing to build");
        }
        if (!repo.get().builds(push.branch())) {
            return answer(202, "ignored", "branch " + push.branch() + " is not built (branches: "
                    + String.join(", ", repo.get().branches()) + ")");
        }
        QueuedChain.Enqueued q = queue.enqueue(new QueuedChain.Request(repo.get().name(), push.branch(),
                push.after(), new Trigger("webhook", delivery), event, push.pusher()));
        Map<String, Object> out = describe(q.chain());
        if (q.duplicate()) {
            out.put("duplicate", "delivery " + delivery + " was received before: nothing new queued");
            return new Answer(200, out);
        }
        out.put("superseded", q.superseded());
        queued.run();
        return new Answer(202, out);
    }

    private static String delivery(Forge forge, UnaryOperator<String> header) {
        for (String h : forge.deliveryHeaders()) {
            String v = header.apply(h);
            if (v != null && !v.isBlank()) {
                return forge.name().toLowerCase(java.util.Locale.ROOT) + ":" + v.trim();
            }
        }
        return null;
    }

    /** A queued chain as the answers and GET /runs show it. */
    public static Map<String, Object> describe(QueuedChain c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("queued", c.seq());
        m.put("state", c.state().name());
        m.put("repository", c.repository());
        m.put("branch", c.branch());
        m.put("commit", c.commitId());
        m.put("trigger", c.trigger().kind());
        m.put("delivery", c.trigger().id());
        m.put("event", c.event());
        m.put("pusher", c.pusher());
        m.put("run", c.runId());
        m.put("runStatus", c.runStatus() == null ? null : c.runStatus().name());
        m.put("supersededBy", c.supersededBy());
        m.put("executions", c.executions());
        m.put("interruptions", c.interruptions());
        m.put("message", c.message());
        m.put("queuedAt", c.queuedAt() == null ? null : c.queuedAt().toString());
        m.put("startedAt", c.startedAt() == null ? null : c.startedAt().toString());
        m.put("finishedAt", c.finishedAt() == null ? null : c.finishedAt().toString());
        return m;
    }

    private static Answer answer(int status, String key, String text) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, text);
        return new Answer(status, m);
    }
}

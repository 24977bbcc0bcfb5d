package io.trainchain.engine.server;

import java.util.List;

/**
 * The forges whose push hooks the server takes, each with its own path, headers and way of proving the sender
 * knows the secret.
 */
public enum Forge {
    /** HMAC-SHA256 of the raw body in X-Hub-Signature-256 ("sha256=" + hex). */
    GITHUB("/github-webhook", "X-Hub-Signature-256", "X-GitHub-Event", List.of("X-GitHub-Delivery")),
    /** The secret itself in X-Gitlab-Token; retries of one event share Idempotency-Key (GitLab 17.4+). */
    GITLAB("/gitlab-webhook", "X-Gitlab-Token", "X-Gitlab-Event", List.of("Idempotency-Key", "X-Gitlab-Event-UUID")),
    /** Gitea and Forgejo: HMAC-SHA256 of the raw body in X-Gitea-Signature (bare hex). */
    GITEA("/gitea-webhook", "X-Gitea-Signature", "X-Gitea-Event", List.of("X-Gitea-Delivery"));

    private final String path;
    private final String signatureHeader;
    private final String eventHeader;
    private final List<String> deliveryHeaders;

    Forge(String path, String signatureHeader, String eventHeader, List<String> deliveryHeaders) {
        this.path = path;
        this.signatureHeader = signatureHeader;
        this.eventHeader = eventHeader;
        this.deliveryHeaders = deliveryHeaders;
    }

    public String path() {
        return path;
    }

    public String signatureHeader() {
        return signatureHeader;
    }

    public String eventHeader() {
        return eventHeader;
    }

    public List<String> deliveryHeaders() {
        return deliveryHeaders;
    }

    /** The forge whose hook is posted to {@code path}, or null. */
    public static Forge ofPath(String path) {
        for (Forge f : values()) {
            if (f.path.equals(path)) {
                return f;
            }
        }
        return null;
    }

    /** Whether the event is a push of branches or tags (the only kind that starts a chain). */
    boolean isPush(String event) {
        return switch (this) {
            case GITHUB, GITEA -> "push".equals(event);
            case GITLAB -> "Push Hook".equals(event) || "Tag Push Hook".equals(event);
        };
    }

    boolean isPing(String event) {
        return this == GITHUB && "ping".equals(event);
    }
}

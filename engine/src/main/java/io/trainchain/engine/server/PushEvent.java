package io.trainchain.engine.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields of a push payload the server needs, read the same from GitHub, Gitea/Forgejo and GitLab.
 *
 * @param names   how the payload names the repository (full name, clone URLs), to match the configuration
 * @param ref     e.g. refs/heads/main or refs/tags/v1
 * @param after   the pushed commit; all zeros for a deletion
 * @param deleted the ref was deleted
 * @param pusher  who pushed, or null
 */
public record PushEvent(List<String> names, String ref, String after, boolean deleted, String pusher) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Thrown for a payload that is not JSON or lacks a field; the message says which (answered 400). */
    public static final class BadPayload extends Exception {
        BadPayload(String message) {
            super(message);
        }
    }

    public boolean isTag() {
        return ref.startsWith("refs/tags/");
    }

    public boolean isBranch() {
        return ref.startsWith("refs/heads/");
    }

    public String branch() {
        return isBranch() ? ref.substring("refs/heads/".length()) : null;
    }

    static PushEvent parse(Forge forge, byte[] body) throws BadPayload {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadPayload("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadPayload("the body cannot be read as JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadPayload("the body is not a JSON object");
        }
        String ref = text(root, "ref");
        String after = text(root, "after");
        JsonNode repo = root.path(forge == Forge.GITLAB ? "project" : "repository");
        if (!repo.isObject()) {
            throw new BadPayload("the payload has no '" + (forge == Forge.GITLAB ? "project" : "repository")
                    + "' object");
        }
        List<String> names = new ArrayList<>();
        for (String f : forge == Forge.GITLAB ? List.of("path_with_namespace", "git_http_url", "git_ssh_url", "web_url")
                : List.of("full_name", "clone_url", "ssh_url", "html_url")) {
            if (repo.path(f).isTextual()) {
                names.add(repo.path(f).asText());
            }
        }
        if (names.isEmpty()) {
            throw new BadPayload("the payload's repository has neither a name nor a URL");
        }
        if (!after.matches("[0-9a-f]{40}|[0-9a-f]{64}")) {
            throw new BadPayload("'after' is not a commit id: " + after);
        }
        boolean deleted = root.path("deleted").asBoolean(false) || after.matches("0+");
        String pusher = switch (forge) {
            case GITHUB -> root.path("pusher").path("name").asText(null);
            case GITEA -> root.path("pusher").path("login").asText(root.path("pusher").path("username").asText(null));
            case GITLAB -> root.path("user_username").asText(null);
        };
        return new PushEvent(List.copyOf(names), ref, after, deleted, pusher);
    }

    private static String text(JsonNode root, String field) throws BadPayload {
        JsonNode n = root.get(field);
        if (n == null || !n.isTextual() || n.asText().isBlank()) {
            throw new BadPayload("the payload has no '" + field + "' string");
        }
        return n.asText();
    }
}

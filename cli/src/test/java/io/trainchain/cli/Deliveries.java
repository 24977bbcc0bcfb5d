package io.trainchain.cli;

import io.trainchain.engine.server.Signatures;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Builds push payloads as the forges send them and posts them over real HTTP, signed the forge's way. */
final class Deliveries {
    static final String SECRET = "test secret, not a real one";
    private static final String ZEROS = "0".repeat(40);

    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;

    Deliveries(int port) {
        base = "http://127.0.0.1:" + port;
    }

    static String githubPush(String fullName, String ref, String after, String pusher) {
        return "{\"ref\":\"" + ref + "\",\"before\":\"" + ZEROS + "\",\"after\":\"" + after + "\",\"deleted\":"
                + after.equals(ZEROS) + ",\"repository\":{\"full_name\":\"" + fullName + "\",\"clone_url\":"
                + "\"https://github.com/" + fullName + ".git\"},\"pusher\":{\"name\":\"" + pusher + "\"}}";
    }

    static String gitlabPush(String path, String ref, String after, String user) {
        return "{\"object_kind\":\"push\",\"ref\":\"" + ref + "\",\"after\":\"" + after + "\",\"user_username\":\""
                + user + "\",\"project\":{\"path_with_namespace\":\"" + path + "\"}}";
    }

    static String giteaPush(String fullName, String ref, String after, String login) {
        return "{\"ref\":\"" + ref + "\",\"after\":\"" + after + "\",\"repository\":{\"full_name\":\"" + fullName
                + "\"},\"pusher\":{\"login\":\"" + login + "\"}}";
    }

    static String deletion() {
        return ZEROS;
    }

    HttpResponse<String> github(String event, String delivery, String body, String secret) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> h = new java.util.LinkedHashMap<>();
        h.put("X-GitHub-Event", event);
        h.put("X-GitHub-Delivery", delivery);
        if (secret != null) {
            h.put("X-Hub-Signature-256", new Signatures(secret).githubSignature(bytes));
        }
        return post("/github-webhook", h, bytes);
    }

    HttpResponse<String> gitlab(String event, String uuid, String body, String token) throws Exception {
        Map<String, String> h = new java.util.LinkedHashMap<>();
        h.put("X-Gitlab-Event", event);
        h.put("X-Gitlab-Event-UUID", uuid);
        if (token != null) {
            h.put("X-Gitlab-Token", token);
        }
        return post("/gitlab-webhook", h, body.getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> gitea(String event, String delivery, String body, String secret) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> h = new java.util.LinkedHashMap<>();
        h.put("X-Gitea-Event", event);
        h.put("X-Gitea-Delivery", delivery);
        if (secret != null) {
            // Gitea signs as GitHub does, without the "sha256=" prefix
            h.put("X-Gitea-Signature", new Signatures(secret).githubSignature(bytes).substring("sha256=".length()));
        }
        return post("/gitea-webhook", h, bytes);
    }

    HttpResponse<String> post(String path, Map<String, String> headers, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}

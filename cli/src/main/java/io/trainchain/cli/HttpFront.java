package io.trainchain.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.server.Forge;
import io.trainchain.engine.server.StatusPage;
import io.trainchain.engine.server.Webhooks;
import io.trainchain.engine.store.QueuedChain;
import io.trainchain.engine.store.RunStore;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's HTTP routes on Jetty's core handler API (no servlets): the three webhook paths, GET /runs (JSON),
 * the status page at /, GET /health and each chain's report. Only HTTP here; what a delivery gets is decided by
 * {@link Webhooks}. A blocking handler: Jetty runs it on its worker threads.
 */
final class HttpFront extends Handler.Abstract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REPORT = Pattern.compile("/runs/(\\d+)/report\\.html");

    private final Webhooks webhooks;
    private final RunStore store;
    private final Path jobsDir;
    private static final long DRAIN_BYTES = 4L << 20;
    private final int maxBodyBytes;
    private final Clock clock;

    HttpFront(Webhooks webhooks, RunStore store, Path jobsDir, int maxBodyBytes, Clock clock) {
        this.webhooks = webhooks;
        this.store = store;
        this.jobsDir = jobsDir;
        this.maxBodyBytes = maxBodyBytes;
        this.clock = clock;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        Forge forge = Forge.ofPath(path);
        try {
            if (forge != null) {
                if (!"POST".equals(method)) {
                    return json(response, callback, 405, Map.of("error", "POST the webhook to " + path));
                }
                return webhook(forge, request, response, callback);
            }
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                return json(response, callback, 405, Map.of("error", method + " is not served at " + path));
            }
            Matcher report = REPORT.matcher(path);
            if (report.matches()) {
                return report(Long.parseLong(report.group(1)), response, callback);
            }
            return switch (path) {
                case "/runs" -> json(response, callback, 200, Map.of("chains", chains(store.queue(limit(request)))));
                case "/health" -> json(response, callback, 200, health());
                case "/", "/status" -> send(response, callback, 200, "text/html; charset=utf-8",
                        StatusPage.render(store.queue(limit(request)), this::hasReport, clock.instant())
                                .getBytes(StandardCharsets.UTF_8));
                default -> json(response, callback, 404, Map.of("error", "nothing at " + path + "; see /, /runs, "
                        + "/health, /github-webhook, /gitlab-webhook, /gitea-webhook"));
            };
        } catch (TrainchainException e) {
            // infrastructure: the store failed or the server is stopping; nothing was queued, the forge may redeliver.
            // Bad input or a bug here is permanent: a 500, not a 503 that invites a retry
            int status = e.kind() == TrainchainException.Kind.INFRASTRUCTURE ? 503 : 500;
            return json(response, callback, status, Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    private boolean webhook(Forge forge, Request request, Response response, Callback callback) throws IOException {
        long declared = request.getLength();
        if (declared > maxBodyBytes) {
            try (InputStream in = Request.asInputStream(request)) {
                drain(in);
            }
            return json(response, callback, 413, Map.of("error", "the body is " + declared + " bytes; this server "
                    + "takes at most " + maxBodyBytes + " (max_body_bytes)"));
        }
        byte[] body;
        try (InputStream in = Request.asInputStream(request)) {
            body = in.readNBytes(maxBodyBytes + 1); // one byte more tells a chunked body that is too large
            if (body.length > maxBodyBytes) {
                drain(in);
            }
        }
        Webhooks.Answer a = webhooks.handle(forge, name -> request.getHeaders().get(name), body);
        return json(response, callback, a.status(), a.body());
    }

    /**
     * Reads and drops what is left of a body that is too large, up to {@value #DRAIN_BYTES} bytes: closing the
     * connection on unread bytes makes the kernel reset it, and the client loses the 413 that says why.
     */
    private static void drain(InputStream in) throws IOException {
        long left = DRAIN_BYTES;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    return;
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private boolean report(long seq, Response response, Callback callback) throws IOException {
        Path file = reportFile(seq);
        if (!Files.isRegularFile(file)) {
            return json(response, callback, 404, Map.of("error", "queued chain " + seq + " has no report (yet)"));
        }
        return send(response, callback, 200, "text/html; charset=utf-8", Files.readAllBytes(file));
    }

    private Path reportFile(long seq) {
        return jobsDir.resolve(Long.toString(seq)).resolve("run").resolve(io.trainchain.engine.report.RunReport.FILE_NAME);
    }

    private boolean hasReport(long seq) {
        return Files.isRegularFile(reportFile(seq));
    }

    private Map<String, Object> health() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "ok");
        m.put("schemaVersion", store.schemaVersion());
        Map<String, Long> states = new LinkedHashMap<>();
        List<QueuedChain> recent = store.queue(1000);
        for (QueuedChain.State s : QueuedChain.State.values()) {
            states.put(s.name(), recent.stream().filter(c -> c.state() == s).count());
        }
        m.put("recentChains", states);
        return m;
    }

    private static List<Map<String, Object>> chains(List<QueuedChain> chains) {
        return chains.stream().map(Webhooks::describe).toList();
    }

    private static int limit(Request request) {
        String q = request.getHttpURI().getQuery();
        if (q != null) {
            for (String p : q.split("&")) {
                if (p.startsWith("limit=") && p.substring(6).matches("\\d{1,6}")) {
                    return Integer.parseInt(p.substring(6));
                }
            }
        }
        return 200;
    }

    private static boolean json(Response response, Callback callback, int status, Object body) throws IOException {
        return send(response, callback, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static boolean send(Response response, Callback callback, int status, String type, byte[] bytes) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.write(true, ByteBuffer.wrap(bytes), callback);
        return true;
    }
}

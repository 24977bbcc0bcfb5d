package io.trainchain.engine.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Finds a Docker engine and connects to it. Tries, in order: {@code DOCKER_HOST}, {@code /var/run/docker.sock},
 * {@code $XDG_RUNTIME_DIR/docker.sock} (rootless), {@code ~/.docker/run/docker.sock} (Docker Desktop), pinging each
 * with a short timeout. When none answers, one {@link DockerUnavailableException} lists every candidate and why it
 * failed, so the user sees the whole picture at once instead of the last error only.
 *
 * <p>No API version is ever pinned: the client sends unversioned paths, which every engine serves at its own
 * version (20.10 here, 25-29 elsewhere).
 */
public final class DockerConnector {

    /** One place to look for an engine; {@code source} says where it came from (for the diagnostics). */
    public record Candidate(String source, String host) {
        public Candidate {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(host, "host");
        }
    }

    /** Timeouts: the ping bounds the probe of each candidate; connect/response bound every later call. */
    public record Timeouts(Duration connect, Duration ping, Duration response) {
        public static final Timeouts DEFAULT =
                new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMinutes(10));
    }

    private final List<Candidate> candidates;
    private final Map<String, String> env;
    private final Timeouts timeouts;

    public DockerConnector(List<Candidate> candidates, Map<String, String> env, Timeouts timeouts) {
        this.candidates = List.copyOf(candidates);
        this.env = Map.copyOf(env);
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
    }

    /** The usual candidates for this process's environment and home directory. */
    public static DockerConnector fromEnvironment() {
        Map<String, String> env = System.getenv();
        return new DockerConnector(defaultCandidates(env, Path.of(System.getProperty("user.home"))), env,
                Timeouts.DEFAULT);
    }

    public static List<Candidate> defaultCandidates(Map<String, String> env, Path userHome) {
        List<Candidate> list = new ArrayList<>();
        String dockerHost = env.get("DOCKER_HOST");
        if (dockerHost != null && !dockerHost.isBlank()) {
            list.add(new Candidate("DOCKER_HOST", dockerHost.trim()));
        }
        list.add(new Candidate("default socket", "unix:///var/run/docker.sock"));
        String xdg = env.get("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isBlank()) {
            list.add(new Candidate("rootless ($XDG_RUNTIME_DIR)", "unix://" + Path.of(xdg, "docker.sock")));
        }
        list.add(new Candidate("Docker Desktop (~/.docker/run)",
                "unix://" + userHome.resolve(".docker/run/docker.sock")));
        // The same socket may appear twice (DOCKER_HOST naming the default): probe it once.
        List<Candidate> unique = new ArrayList<>();
        for (Candidate c : list) {
            if (unique.stream().noneMatch(u -> u.host().equals(c.host()))) {
                unique.add(c);
            }
        }
        return unique;
    }

    public List<Candidate> candidates() {
        return candidates;
    }

    /**
     * Connects to the first candidate that answers a ping.
     *
     * @throws DockerUnavailableException listing every candidate and why it failed, when none answers
     */
    public DockerConnection connect() {
        List<String> failures = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Candidate candidate : candidates) {
            String problem = precheck(candidate);
            if (problem == null) {
                try {
                    DockerConnection connection = probe(candidate, warnings);
                    if (!failures.isEmpty()) {
                        // Say so when an explicit DOCKER_HOST was skipped: the user may be talking to another engine.
                        warnings.add("skipped " + String.join("; ", failures));
                    }
                    return connection.withWarnings(warnings);
                } catch (RuntimeException e) {
                    problem = describe(e);
                }
            }
            failures.add(candidate.source() + " " + candidate.host() + ": " + problem);
        }
        throw new DockerUnavailableException(message(failures), failures);
    }

    private static String message(List<String> failures) {
        StringBuilder sb = new StringBuilder("Could not find a working Docker engine. Tried:\n");
        for (String f : failures) {
            sb.append("  - ").append(f).append('\n');
        }
        sb.append("What to do: start the Docker daemon (e.g. `sudo systemctl start docker`, or `dockerd &`),\n")
                .append("  or point DOCKER_HOST at a running engine (unix:///path/to/docker.sock or tcp://host:2376\n")
                .append("  with DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH), and make sure this user may use the\n")
                .append("  socket (member of the `docker` group, or a rootless engine).");
        return sb.toString();
    }

    /** Cheap checks before any connection, giving clearer reasons than a failed connect. */
    private static String precheck(Candidate candidate) {
        URI uri;
        try {
            uri = URI.create(candidate.host());
        } catch (IllegalArgumentException e) {
            return "not a valid URI (" + e.getMessage() + ")";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "unix": {
                Path socket = Path.of(uri.getPath());
                if (!Files.exists(socket)) {
                    return "socket " + socket + " does not exist (daemon not running?)";
                }
                if (Files.isDirectory(socket)) {
                    return socket + " is a directory, not a socket";
                }
                if (!Files.isReadable(socket) || !Files.isWritable(socket)) {
                    return "permission denied on " + socket + " (add the user to the `docker` group, or use a "
                            + "rootless engine)";
                }
                return null;
            }
            case "tcp":
            case "http":
            case "https":
                return null;
            case "npipe":
                return "named pipes (Windows) are not supported by this client";
            case "ssh":
                return "ssh:// hosts are not supported by this client; forward the socket "
                        + "(ssh -L /tmp/docker.sock:/var/run/docker.sock host) and use unix:///tmp/docker.sock";
            default:
                return "unsupported scheme '" + scheme + "'";
        }
    }

    private DockerConnection probe(Candidate candidate, List<String> warnings) {
        DefaultDockerClientConfig config = config(candidate.host());
        // A client with the short ping timeout first, so a hanging socket costs seconds, not minutes.
        try (DockerClient pinger = client(config, timeouts.ping())) {
            pinger.pingCmd().exec();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ApacheDockerHttpClient http = http(config, timeouts.response());
        DockerClient client = DockerClientImpl.getInstance(config, http);
        try {
            Version version = client.versionCmd().exec();
            return new DockerConnection(client, http, candidate, version.getVersion(), version.getApiVersion(),
                    version.getMinAPIVersion(), List.copyOf(warnings));
        } catch (RuntimeException e) {
            closeQuietly(client);
            throw e;
        }
    }

    private DefaultDockerClientConfig config(String host) {
        DefaultDockerClientConfig.Builder builder = new DefaultDockerClientConfig.Builder().withDockerHost(host);
        // TLS only from the standard variables; the API version is deliberately left unset (negotiated).
        String tlsVerify = env.get("DOCKER_TLS_VERIFY");
        if (tlsVerify != null && !tlsVerify.isBlank() && !"0".equals(tlsVerify)) {
            builder.withDockerTlsVerify(true);
            String certPath = env.get("DOCKER_CERT_PATH");
            if (certPath != null && !certPath.isBlank()) {
                builder.withDockerCertPath(certPath);
            }
        } else {
            builder.withDockerTlsVerify(false);
        }
        return builder.build();
    }

    private DockerClient client(DefaultDockerClientConfig config, Duration responseTimeout) {
        return DockerClientImpl.getInstance(config, http(config, responseTimeout));
    }

    private ApacheDockerHttpClient http(DefaultDockerClientConfig config, Duration responseTimeout) {
        return new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(32)
                .connectionTimeout(timeouts.connect())
                .responseTimeout(responseTimeout)
                .build();
    }

    /** A short, human reason from a failed ping: the root cause classified when it is a known one. */
    static String describe(Throwable e) {
        Throwable root = e;
        StringBuilder chain = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            root = t;
            if (t.getMessage() != null) {
                chain.append(' ').append(t.getMessage());
            }
        }
        String all = chain.toString().toLowerCase(Locale.ROOT);
        if (root instanceof SocketTimeoutException || all.contains("timed out") || all.contains("timeout")) {
            return "timed out (engine hung or unreachable): " + root;
        }
        if (root instanceof ConnectException || all.contains("connection refused") || all.contains("econnrefused")
                || all.contains("errno=111") || all.contains("error code 111")) {
            return "connection refused (nothing listening; daemon not running?): " + root;
        }
        if (all.contains("permission denied") || all.contains("eacces") || all.contains("error code 13")) {
            return "permission denied (add the user to the `docker` group): " + root;
        }
        if (all.contains("no such file") || all.contains("enoent") || all.contains("error code 2")) {
            return "socket missing: " + root;
        }
        if (all.contains("unknownhost") || root instanceof java.net.UnknownHostException) {
            return "unknown host: " + root;
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing a client that failed to connect: nothing useful to report
        }
    }
}

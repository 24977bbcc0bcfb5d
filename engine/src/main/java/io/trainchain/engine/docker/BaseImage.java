package io.trainchain.engine.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import io.trainchain.engine.ChainListener;

import com.github.dockerjava.transport.DockerHttpClient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code trainchain base-image}: builds a base image from Debian packages, because no registry can be reached:
 * {@code debootstrap --variant=minbase} into a temp dir, then {@code tar | docker import}. Needs root (debootstrap
 * creates device nodes and chowns files). Skips the work when the image already exists, unless forced.
 */
public final class BaseImage {

    public static final String STEP = "base-image";
    public static final String DEFAULT_MIRROR = "http://deb.debian.org/debian";

    /** The two bases the recipes use. */
    public enum Flavor {
        /** For JVM trainers (dl4j). */
        JRE17("trainchain/base-jre17", "bookworm", List.of("openjdk-17-jre-headless")),
        /** For Python recipes, which apt-get their own packages at build time. */
        DEBIAN("trainchain/base-debian", "bookworm", List.of());

        final String repository;
        final String tag;
        final List<String> includes;

        Flavor(String repository, String tag, List<String> includes) {
            this.repository = repository;
            this.tag = tag;
            this.includes = includes;
        }

        public String image() {
            return repository + ":" + tag;
        }
    }

    /** {@code mirror} null: taken from apt's sources. */
    public record Request(Flavor flavor, boolean force, String mirror, Duration timeout, ChainListener listener) {
        public Request {
            Objects.requireNonNull(flavor, "flavor");
            Objects.requireNonNull(timeout, "timeout");
            listener = listener == null ? ChainListener.NONE : listener;
        }

        public static Request of(Flavor flavor, ChainListener listener) {
            return new Request(flavor, false, null, Duration.ofMinutes(15), listener);
        }
    }

    public record Result(String image, String imageId, boolean reused, double seconds) {
    }

    private final DockerClient docker;
    private final DockerHttpClient http;

    public BaseImage(DockerConnection connection) {
        this.docker = Objects.requireNonNull(connection, "connection").client();
        this.http = connection.http();
    }

    /** The image id if {@code image} exists locally, else null. */
    static String existingImageId(DockerClient docker, String image) {
        try {
            InspectImageResponse inspect = docker.inspectImageCmd(image).exec();
            return inspect.getId();
        } catch (NotFoundException e) {
            return null;
        }
    }

    public Result ensure(Request request) {
        long start = System.nanoTime();
        ChainListener out = request.listener();
        String image = request.flavor().image();
        String existing = existingImageId(docker, image);
        if (existing != null && !request.force()) {
            out.log(STEP, image + " exists (" + existing + "); reusing it (force to rebuild)");
            return new Result(image, existing, true, seconds(start));
        }
        Path debootstrap = checkPrerequisites();
        String mirror = request.mirror() != null ? request.mirror() : detectMirror(Path.of("/etc/apt"));
        Path root = null;
        try {
            root = Files.createTempDirectory("trainchain-rootfs-");
            List<String> cmd = new ArrayList<>(List.of(debootstrap.toString(), "--variant=minbase"));
            if (!request.flavor().includes.isEmpty()) {
                cmd.add("--include=" + String.join(",", request.flavor().includes));
            }
            cmd.addAll(List.of(request.flavor().tag, root.toString(), mirror));
            out.log(STEP, "running " + String.join(" ", cmd));
            Processes.run(cmd, null, request.timeout(), line -> out.log(STEP, line));
            trimRootfs(root);
            out.log(STEP, "importing " + root + " as " + image);
            String id = importRootfs(root, request.flavor(), request.timeout());
            out.log(STEP, "imported " + image + " (" + id + ")");
            return new Result(image, id, false, seconds(start));
        } catch (IOException e) {
            throw new DockerStepException("building base image " + image + " failed: " + e.getMessage(), e);
        } finally {
            if (root != null) {
                deleteRootfs(root, out);
            }
        }
    }

    private static Path checkPrerequisites() {
        if (!isRoot()) {
            throw new DockerStepException("building the base image needs root: debootstrap creates device nodes "
                    + "and files owned by other users. Run `sudo trainchain base-image` once (the image is reused "
                    + "afterwards).");
        }
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            Path p = Path.of(dir, "debootstrap");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(":")) {
                Path p = Path.of(dir, "debootstrap");
                if (!dir.isEmpty() && Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        throw new DockerStepException("debootstrap not found (looked in /usr/sbin, /sbin, /usr/bin, /bin and "
                + "PATH). Install it: `apt-get install debootstrap`.");
    }

    static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** Drops the downloaded .debs and apt lists: ~tens of MB nobody needs in the image. */
    private static void trimRootfs(Path root) throws IOException {
        for (String dir : List.of("var/cache/apt/archives", "var/lib/apt/lists")) {
            Path d = root.resolve(dir);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(d)) {
                for (Path f : files) {
                    if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                            && !f.getFileName().toString().equals("lock")) {
                        Files.delete(f);
                    }
                }
            }
        }
    }

    /** tar (root only can read everything and keep owners) piped into the engine's import endpoint. */
    private String importRootfs(Path root, Flavor flavor, Duration timeout) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("tar", "--numeric-owner", "-C", root.toString(), "-c", ".");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process tar = pb.start();
        try (InputStream in = tar.getInputStream()) {
            postImport(in, flavor);
        } finally {
            try {
                if (!tar.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    tar.destroyForcibly();
                    throw new DockerStepException("tar of the rootfs did not finish within " + timeout);
                }
                if (tar.exitValue() != 0) {
                    throw new DockerStepException("tar of the rootfs exited with " + tar.exitValue());
                }
            } catch (InterruptedException e) {
                tar.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new DockerStepException("interrupted while importing the base image", e);
            }
        }
        String id = existingImageId(docker, flavor.image());
        if (id == null) {
            throw new DockerStepException("import finished but " + flavor.image() + " is not there");
        }
        return id;
    }

    /**
     * POST /images/create?fromSrc=- by hand: docker-java's createImageCmd returns after the first progress message
     * and closes the connection while the engine is still reading the tar (the import then silently fails).
     * Unversioned path: the engine serves its own API version.
     */
    private void postImport(InputStream tar, Flavor flavor) throws IOException {
        String path = "/images/create?fromSrc=-&repo=" + URLEncoder.encode(flavor.repository, StandardCharsets.UTF_8)
                + "&tag=" + URLEncoder.encode(flavor.tag, StandardCharsets.UTF_8);
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.POST)
                .path(path)
                .putHeader("Content-Type", "application/x-tar")
                .body(tar)
                .build();
        String lastError = null;
        try (DockerHttpClient.Response response = http.execute(request);
             BufferedReader body = new BufferedReader(
                     new InputStreamReader(response.getBody(), StandardCharsets.UTF_8))) {
            // Read the progress stream to its end: that is what keeps the upload going.
            StringBuilder all = new StringBuilder();
            String line;
            while ((line = body.readLine()) != null) {
                all.append(line).append('\n');
                if (line.contains("\"error\"")) {
                    lastError = line;
                }
            }
            if (response.getStatusCode() / 100 != 2) {
                throw new DockerStepException("docker import answered " + response.getStatusCode() + ": " + all);
            }
        }
        if (lastError != null) {
            throw new DockerStepException("docker import failed: " + lastError);
        }
    }

    /** rm with --one-file-system: never descends into something still mounted (e.g. a leftover /proc). */
    private static void deleteRootfs(Path root, ChainListener out) {
        try {
            Processes.run(List.of("rm", "-rf", "--one-file-system", root.toString()), null,
                    Duration.ofMinutes(2), line -> out.log(STEP, line));
        } catch (RuntimeException e) {
            out.log(STEP, "could not delete " + root + ": " + e.getMessage());
        }
    }

    /**
     * The Debian mirror apt uses here: the first URI of a deb822 stanza in sources.list.d/*.sources, else the
     * first "deb" line of sources.list, skipping security mirrors (they only carry updates); else the default.
     */
    static String detectMirror(Path aptDir) {
        List<Path> files = new ArrayList<>();
        Path dir = aptDir.resolve("sources.list.d");
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.sources")) {
                ds.forEach(files::add);
            } catch (IOException ignored) {
                // unreadable: fall through to sources.list and the default
            }
        }
        files.sort(null);
        for (Path f : files) {
            String uri = firstDeb822Uri(f);
            if (uri != null) {
                return uri;
            }
        }
        Path list = aptDir.resolve("sources.list");
        if (Files.isRegularFile(list)) {
            try {
                for (String line : Files.readAllLines(list)) {
                    String[] parts = line.trim().split("\\s+");
                    if (parts.length >= 3 && parts[0].equals("deb")) {
                        int i = 1;
                        if (parts[i].startsWith("[")) { // options like [arch=amd64 signed-by=...]
                            while (i < parts.length && !parts[i].endsWith("]")) {
                                i++;
                            }
                            i++;
                        }
                        if (i < parts.length && usableMirror(parts[i])) {
                            return parts[i];
                        }
                    }
                }
            } catch (IOException ignored) {
                // unreadable: default
            }
        }
        return DEFAULT_MIRROR;
    }

    private static String firstDeb822Uri(Path file) {
        try {
            String text = Files.readString(file);
            for (String stanza : text.split("\\n\\s*\\n")) {
                boolean deb = false;
                String uris = null;
                for (String line : stanza.split("\\n")) {
                    String l = line.trim();
                    String lower = l.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("types:")) {
                        deb = List.of(l.substring(6).trim().split("\\s+")).contains("deb");
                    } else if (lower.startsWith("uris:")) {
                        uris = l.substring(5).trim();
                    }
                }
                if (deb && uris != null) {
                    for (String u : uris.split("\\s+")) {
                        if (usableMirror(u)) {
                            return u;
                        }
                    }
                }
            }
        } catch (IOException ignored) {
            // unreadable: next file
        }
        return null;
    }

    private static boolean usableMirror(String uri) {
        return (uri.startsWith("http://") || uri.startsWith("https://")) && !uri.contains("security");
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}

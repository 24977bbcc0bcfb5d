package io.trainchain.engine.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import io.trainchain.engine.ChainListener;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    private final RootfsImport rootfsImport;

    public BaseImage(DockerConnection connection) {
        this.docker = Objects.requireNonNull(connection, "connection").client();
        this.rootfsImport = new RootfsImport(docker, connection.http());
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
            String id = rootfsImport.importRootfs(root, request.flavor(), request.timeout());
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

    /** rm with --one-file-system: never descends into something still mounted (e.g. a leftover /proc). */
    private static void deleteRootfs(Path root, ChainListener out) {
        try {
            Processes.run(List.of("rm", "-rf", "--one-file-system", root.toString()), null,
                    Duration.ofMinutes(2), line -> out.log(STEP, line));
        } catch (RuntimeException e) {
            out.log(STEP, "could not delete " + root + ": " + e.getMessage());
        }
    }

    /** The Debian mirror apt uses here ({@link AptSources#firstMirror}), else the default. */
    static String detectMirror(Path aptDir) {
        String mirror = AptSources.firstMirror(aptDir);
        return mirror != null ? mirror : DEFAULT_MIRROR;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}

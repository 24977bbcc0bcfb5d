package io.trainchain.engine.docker;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The files of a training image's build context, as a sorted map from context path to source file. It is never
 * copied: it is hashed in place (for the cache tag) and streamed as an uncompressed tar straight into the build
 * request, which saves copying ~170 MB of jars to a temp dir on every run.
 *
 * <p>Layout: the recipe's files at the root (Dockerfile, scripts), {@code lib/} and {@code trainchain-trainer.jar}
 * from the trainer dist, the user's code under {@code code/}.
 */
final class BuildContext {

    /** Never part of the user code in the image: VCS data, build outputs, editor and Python caches. */
    static final Set<String> EXCLUDED_DIRS = Set.of(".git", ".hg", ".svn", "target", "build", ".gradle", ".idea",
            ".vscode", "__pycache__", ".venv", "venv", "node_modules", ".mypy_cache", ".pytest_cache",
            ".ipynb_checkpoints", ".trainchain");
    static final Set<String> EXCLUDED_FILES = Set.of(".DS_Store", "Thumbs.db");
    private static final List<String> EXCLUDED_SUFFIXES = List.of(".pyc", ".pyo", ".class", ".swp", "~");
    /** Fixed mtime in the tar: the same content gives the same bytes, whatever the checkout time. */
    private static final long FIXED_MTIME_MILLIS = 946_684_800_000L; // 2000-01-01

    /** The warm-up main class (and its inner classes) inside the trainer jar: see dockerfiles/dl4j/Dockerfile. */
    static final String WARMUP_CLASS = "io/trainchain/trainer/NativesWarmup";

    /** A context file: on disk, or bytes taken out of a jar. */
    record Source(Path file, byte[] bytes, boolean executable) {
        static Source of(Path file) throws IOException {
            return new Source(file, null, ownerExecutable(file));
        }

        long size() throws IOException {
            return file != null ? Files.size(file) : bytes.length;
        }

        InputStream open() throws IOException {
            return file != null ? Files.newInputStream(file) : new ByteArrayInputStream(bytes);
        }

        @Override
        public String toString() {
            return file != null ? file.toString() : "(extracted, " + bytes.length + " bytes)";
        }
    }

    private final SortedMap<String, Source> files;
    private final List<String> skipped;

    private BuildContext(SortedMap<String, Source> files, List<String> skipped) {
        this.files = Collections.unmodifiableSortedMap(files);
        this.skipped = List.copyOf(skipped);
    }

    static BuildContext assemble(Path recipeDir, Path trainerDist, Path codeDir) throws IOException {
        return assemble(recipeDir, trainerDist, codeDir, Map.of());
    }

    static BuildContext assemble(Path recipeDir, Path trainerDist, Path codeDir, Map<String, byte[]> extra)
            throws IOException {
        SortedMap<String, Source> files = new TreeMap<>();
        List<String> skipped = new ArrayList<>();
        if (!Files.isRegularFile(recipeDir.resolve("Dockerfile"))) {
            throw new DockerStepException("no Dockerfile in recipe dir " + recipeDir);
        }
        addTree(recipeDir, "", files, skipped, false);
        if (trainerDist != null) {
            Path jar = trainerDist.resolve("trainchain-trainer.jar");
            Path lib = trainerDist.resolve("lib");
            if (!Files.isRegularFile(jar) || !Files.isDirectory(lib)) {
                throw new DockerStepException("trainer dist " + trainerDist + " must hold trainchain-trainer.jar "
                        + "and lib/ (build it: mvn -B -pl trainer -am package -DskipTests)");
            }
            put(files, "trainchain-trainer.jar", Source.of(jar));
            addTree(lib, "lib/", files, skipped, false);
            addWarmupClasses(jar, files);
        }
        for (Map.Entry<String, byte[]> e : new TreeMap<>(extra).entrySet()) {
            put(files, e.getKey(), new Source(null, e.getValue(), false));
        }
        if (codeDir != null) {
            addTree(codeDir, "code/", files, skipped, true);
        }
        if (files.keySet().stream().noneMatch(k -> k.startsWith("code/"))) {
            // Recipes COPY code/ unconditionally; the legacy builder fails on a COPY with no source.
            put(files, "code/.keep", new Source(null, new byte[0], false));
        }
        return new BuildContext(files, skipped);
    }

    /**
     * The warm-up class goes in its own small layer before the trainer jar, so natives are re-extracted only when
     * lib/ or the warm-up changes, not on every trainer change. A context without it would fail the build with a
     * bare ClassNotFoundException; say what is missing instead.
     */
    private static void addWarmupClasses(Path jar, SortedMap<String, Source> files) throws IOException {
        int found = 0;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            List<? extends ZipEntry> entries = Collections.list(zip.entries());
            for (ZipEntry e : entries) {
                String n = e.getName();
                if (n.equals(WARMUP_CLASS + ".class") || (n.startsWith(WARMUP_CLASS + "$") && n.endsWith(".class"))) {
                    try (InputStream in = zip.getInputStream(e)) {
                        put(files, "warmup/" + n, new Source(null, in.readAllBytes(), false));
                        found++;
                    }
                }
            }
        }
        if (found == 0) {
            throw new DockerStepException(jar + " has no " + WARMUP_CLASS.replace('/', '.') + " (the main class "
                    + "that extracts the ND4J natives at image build time)");
        }
    }

    private static void put(SortedMap<String, Source> files, String name, Source source) {
        Source previous = files.putIfAbsent(name, source);
        if (previous != null) {
            throw new DockerStepException("build context clash: " + name + " comes from both " + previous + " and "
                    + source + " (recipe files must not be named lib/, code/ or trainchain-trainer.jar)");
        }
    }

    private static void addTree(Path root, String prefix, SortedMap<String, Source> files, List<String> skipped,
                                boolean applyExcludes) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new DockerStepException("not a directory: " + root);
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(root) && applyExcludes && EXCLUDED_DIRS.contains(dir.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String rel = prefix + root.relativize(file).toString().replace('\\', '/');
                String name = file.getFileName().toString();
                if (applyExcludes && (EXCLUDED_FILES.contains(name)
                        || EXCLUDED_SUFFIXES.stream().anyMatch(name::endsWith))) {
                    return FileVisitResult.CONTINUE;
                }
                if (!attrs.isRegularFile()) {
                    // Symlinks could point outside the repository; sockets/devices make no sense in an image.
                    skipped.add(rel + " (not a regular file)");
                    return FileVisitResult.CONTINUE;
                }
                put(files, rel, Source.of(file));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    SortedMap<String, Source> files() {
        return files;
    }

    List<String> skipped() {
        return skipped;
    }

    long totalBytes() throws IOException {
        long sum = 0;
        for (Source src : files.values()) {
            sum += src.size();
        }
        return sum;
    }

    /**
     * SHA-256 over everything that decides the image: recipe name, base image id, build args, and each file's
     * context path, executable bit, size and bytes, in path order.
     */
    String contentHash(String recipe, String baseImageId, Map<String, String> buildArgs) throws IOException {
        MessageDigest sha = sha256();
        field(sha, "trainchain-build-context/v1");
        field(sha, recipe);
        field(sha, baseImageId);
        for (Map.Entry<String, String> arg : new TreeMap<>(buildArgs).entrySet()) {
            field(sha, arg.getKey() + "=" + arg.getValue());
        }
        byte[] buf = new byte[1 << 16];
        for (Map.Entry<String, Source> e : files.entrySet()) {
            field(sha, e.getKey());
            field(sha, e.getValue().executable() ? "755" : "644");
            field(sha, Long.toString(e.getValue().size()));
            try (InputStream in = e.getValue().open()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    sha.update(buf, 0, n);
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Writes the context as an uncompressed tar; {@code progress} gets each entry name. */
    void writeTar(OutputStream out, Consumer<String> progress) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Map.Entry<String, Source> e : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(e.getValue().size());
                entry.setMode(e.getValue().executable() ? 0100755 : 0100644);
                entry.setModTime(FIXED_MTIME_MILLIS);
                tar.putArchiveEntry(entry);
                try (InputStream in = e.getValue().open()) {
                    in.transferTo(tar);
                }
                tar.closeArchiveEntry();
                progress.accept(e.getKey());
            }
            tar.finish();
        }
    }

    /** The owner's x bit, not access(2): as root every file with any x bit would count. */
    private static boolean ownerExecutable(Path p) throws IOException {
        try {
            return Files.getPosixFilePermissions(p).contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (UnsupportedOperationException e) {
            return Files.isExecutable(p);
        }
    }

    private static void field(MessageDigest sha, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        sha.update(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) ':');
        sha.update(b);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}

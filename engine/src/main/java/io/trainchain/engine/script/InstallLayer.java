package io.trainchain.engine.script;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.config.PipInstall;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Python recipes' install layer (trainchain.yaml {@code install:}): under {@value #CONTEXT_DIR} in the build
 * context, {@code install.json} (what to install from where; empty without {@code install:}), the repository's
 * requirements.txt / pyproject.toml and its wheels. The recipe runs {@code trainchain_install.py} on them before the
 * code layer, so an unchanged requirements file reuses the layer when only the code changed. Nothing here holds a
 * secret: an index URL with credentials is refused when trainchain.yaml is read.
 */
public final class InstallLayer {
    public static final String CONTEXT_DIR = "trainchain-install/";
    /** The recipe's install step, and its exit status when a requirement cannot be met (not a network failure). */
    public static final String INSTALLER = "trainchain_install.py";
    public static final int UNMET_EXIT = 2;
    static final String MANIFEST = "install.json";
    static final String WHEELS = "wheels/";
    static final List<String> REQUIREMENT_FILES = List.of("requirements.txt", "pyproject.toml");
    private static final List<String> WHEEL_SUFFIXES = List.of(".whl", ".tar.gz", ".zip");
    private static final long MAX_WHEELS_BYTES = 512L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** pip's include line, as the launcher reads it. */
    private static final Pattern INCLUDE = Pattern.compile("^(?:-r|--requirement)(?:\\s+|=)(\\S+)$");

    private InstallLayer() {
    }

    /**
     * The layer's context files by context path; with no {@code install:} only an empty manifest (the recipe's
     * COPY needs the folder).
     *
     * @param config trainchain.yaml, named in messages; {@code repo}, {@code recipeDir} and {@code config} are
     *               only read with {@code install}
     */
    public static Map<String, byte[]> contextFiles(Path repo, Optional<PipInstall> install, Path recipeDir,
                                                   Path config) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        ObjectNode manifest = JSON.createObjectNode();
        if (install.isPresent()) {
            PipInstall p = install.get();
            checkRecipe(recipeDir, config);
            List<String> found = new ArrayList<>();
            for (String name : REQUIREMENT_FILES) {
                if (Files.isRegularFile(repo.resolve(name))) {
                    withIncludes(repo, Path.of(name), files);
                    found.add(name);
                }
            }
            if (found.isEmpty()) {
                throw TrainchainException.badInput(config + ": install is set, but " + repo + " has no "
                        + String.join(" or ", REQUIREMENT_FILES) + " to install from; add one that lists the "
                        + "packages the image lacks, or remove install");
            }
            manifest.putArray("files").addAll(found.stream().map(JSON.getNodeFactory()::textNode).toList());
            p.indexUrl().ifPresent(u -> manifest.put("index_url", u.toString()));
            if (p.findLinks().isPresent()) {
                wheels(repo, p.findLinks().get(), config, files);
                manifest.put("find_links", p.findLinks().get());
            }
            manifest.put("no_index", !p.usesIndex());
        }
        try {
            files.put(CONTEXT_DIR + MANIFEST, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
        } catch (IOException e) {
            throw TrainchainException.infrastructure("cannot write the install manifest: " + e.getMessage(), e);
        }
        return files;
    }

    /**
     * {@code name} and the files its {@code -r FILE} lines include (relative to it), by their paths in the
     * repository; one outside the repository or missing is left to the installer, whose check names the line.
     */
    private static void withIncludes(Path repo, Path name, Map<String, byte[]> files) {
        String key = CONTEXT_DIR + name.toString().replace('\\', '/');
        Path file = repo.resolve(name).normalize();
        if (files.containsKey(key) || !file.startsWith(repo.normalize()) || !Files.isRegularFile(file)) {
            return;
        }
        byte[] bytes = read(file);
        files.put(key, bytes);
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            Matcher m = INCLUDE.matcher(line.split("#", 2)[0].strip());
            if (m.matches()) {
                Path parent = name.getParent();
                withIncludes(repo, (parent == null ? Path.of(m.group(1)) : parent.resolve(m.group(1))).normalize(),
                        files);
            }
        }
    }

    /** A recipe of the user's own (e.g. dockerfiles/tensorflow) may not have the install layer. */
    private static void checkRecipe(Path recipeDir, Path config) {
        Path dockerfile = recipeDir.resolve("Dockerfile");
        String text = new String(read(dockerfile), StandardCharsets.UTF_8);
        if (!text.contains(CONTEXT_DIR.substring(0, CONTEXT_DIR.length() - 1))) {
            throw TrainchainException.badInput(config + ": install is set, but the image recipe " + dockerfile
                    + " has no install layer; add, before its USER and code lines:\n"
                    + "  COPY " + CONTEXT_DIR + " /opt/trainchain/install/\n"
                    + "  RUN [\"python3\", \"" + PythonImage.DIR + "/" + INSTALLER + "\", "
                    + "\"/opt/trainchain/install\"]\n"
                    + "  ENV PATH=/opt/trainchain/venv/bin:$PATH\n"
                    + "with python3-pip installed before them (as dockerfiles/pytorch/Dockerfile does), or remove "
                    + "install from trainchain.yaml");
        }
    }

    private static void wheels(Path repo, String folder, Path config, Map<String, byte[]> files) {
        Path dir = repo.resolve(folder).normalize();
        if (!dir.startsWith(repo.normalize()) || !Files.isDirectory(dir)) {
            throw TrainchainException.badInput(config + ": install.find_links '" + folder + "' is not a folder in "
                    + repo + "; put the wheels (.whl) pip should install from there, or remove find_links");
        }
        List<Path> found;
        try (Stream<Path> s = Files.list(dir)) {
            found = s.filter(Files::isRegularFile)
                    .filter(f -> WHEEL_SUFFIXES.stream().anyMatch(x -> f.getFileName().toString().endsWith(x)))
                    .sorted().toList();
        } catch (IOException e) {
            throw TrainchainException.infrastructure("cannot list " + dir + ": " + e.getMessage(), e);
        }
        if (found.isEmpty()) {
            throw TrainchainException.badInput(config + ": install.find_links '" + folder + "' holds no wheel or "
                    + "source archive (" + String.join(", ", WHEEL_SUFFIXES) + "); build them with `pip wheel -r "
                    + "requirements.txt -w " + folder + "` where an index is reachable");
        }
        long total = 0;
        for (Path f : found) {
            byte[] bytes = read(f);
            total += bytes.length;
            if (total > MAX_WHEELS_BYTES) {
                throw TrainchainException.badInput(config + ": install.find_links '" + folder + "' holds more than "
                        + (MAX_WHEELS_BYTES >> 20) + " MB; install that much in a recipe or base image of your own");
            }
            files.put(CONTEXT_DIR + WHEELS + f.getFileName(), bytes);
        }
    }

    private static byte[] read(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw TrainchainException.infrastructure("cannot read " + f + ": " + e.getMessage(), e);
        }
    }
}

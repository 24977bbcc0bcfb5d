package io.trainchain.engine.detect;

import io.trainchain.engine.TrainchainException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The detectFramework step: scans a repository's sources and dependency files, weighs the evidence per
 * framework, and lets trainchain.yaml override the result.
 */
public final class DetectFramework {

    public static final int DEFAULT_MAX_FILES = 20_000;
    public static final long DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

    /** Folders that hold other people's code or build output, never the project's own ML code. */
    private static final Set<String> SKIPPED_DIRS = Set.of(".git", ".hg", ".svn", "venv", ".venv",
            "node_modules", "__pycache__", "target", "build", "dist", ".gradle", ".idea", ".tox", ".nox",
            ".mypy_cache", ".pytest_cache", ".ipynb_checkpoints", "site-packages", ".eggs");

    private final int maxFiles;
    private final long maxFileBytes;

    public DetectFramework() {
        this(DEFAULT_MAX_FILES, DEFAULT_MAX_FILE_BYTES);
    }

    public DetectFramework(int maxFiles, long maxFileBytes) {
        if (maxFiles <= 0 || maxFileBytes <= 0) {
            throw new IllegalArgumentException("maxFiles and maxFileBytes must be positive");
        }
        this.maxFiles = maxFiles;
        this.maxFileBytes = maxFileBytes;
    }

    /** The project file that may name the framework (read by the config package, which depends on this one). */
    static final String CONFIG_FILE = "trainchain.yaml";

    /** Detection from the code alone. */
    public Detection detect(Path repo) {
        return detect(repo, Optional.empty());
    }

    /**
     * @param declared the framework trainchain.yaml names, if any: it wins, and the scan's evidence is kept
     * @throws TrainchainException BAD_INPUT when repo is not a directory; INFRASTRUCTURE when the folder cannot be
     *                             walked
     */
    public Detection detect(Path repo, Optional<Framework> declared) {
        if (repo == null || !Files.isDirectory(repo)) {
            throw TrainchainException.badInput("repository " + repo + " is not a directory; "
                    + "point Trainchain at the checked-out repository folder");
        }
        Scan scan = scan(repo);
        List<String> notes = new ArrayList<>(scan.collector.problems());
        if (scan.truncated) {
            notes.add("stopped after " + maxFiles + " files; the rest of the repository was not scanned");
        }

        Map<Framework, Double> totals = new EnumMap<>(Framework.class);
        Map<Framework, Integer> places = new EnumMap<>(Framework.class);
        for (Evidence e : scan.collector.evidence()) {
            totals.merge(e.framework(), e.weight(), Double::sum);
            places.merge(e.framework(), 1, Integer::sum);
        }
        double total = totals.values().stream().mapToDouble(Double::doubleValue).sum();
        // EnumMap iterates in declaration order, so on equal weight the earlier framework (DL4J first) stays.
        Framework winner = null;
        for (Map.Entry<Framework, Double> e : totals.entrySet()) {
            if (winner == null || e.getValue() > totals.get(winner)) {
                winner = e.getKey();
            }
        }
        if (totals.size() > 1) {
            notes.add(mixedNote(winner, totals, places));
        }

        Optional<Framework> override = declared;
        if (override.isPresent()) {
            Framework chosen = override.get();
            notes.add("framework set to " + chosen.displayName() + " by " + CONFIG_FILE
                    + (winner == null ? "; the scan found no ML framework"
                    : winner == chosen ? "; the scan agrees" : "; the scan alone would pick " + winner.displayName()));
            return new Detection(chosen, 1.0, scan.collector.evidence(), notes, true);
        }
        if (winner == null) {
            notes.add(0, "no ML framework found: scanned " + scan.describe() + " under " + repo
                    + "; looked for imports of deeplearning4j/nd4j, torch, tensorflow/keras, sklearn and for them in "
                    + "pom.xml, build.gradle, requirements*.txt, pyproject.toml, setup.py, environment.yml; "
                    + "if the project does use one, set 'framework:' in " + CONFIG_FILE);
            return new Detection(null, 0.0, List.of(), notes, false);
        }
        return new Detection(winner, totals.get(winner) / total, scan.collector.evidence(), notes, false);
    }

    private static String mixedNote(Framework winner, Map<Framework, Double> totals, Map<Framework, Integer> places) {
        List<Framework> ranked = new ArrayList<>(totals.keySet());
        // Stable sort keeps declaration order among equals, matching the tie rule.
        ranked.sort((a, b) -> Double.compare(totals.get(b), totals.get(a)));
        StringBuilder s = new StringBuilder("mixed evidence: ");
        for (int i = 0; i < ranked.size(); i++) {
            Framework f = ranked.get(i);
            s.append(i == 0 ? "" : i == 1 ? " over runner-up " : ", ")
                    .append(f.displayName()).append(' ')
                    .append(String.format(Locale.ROOT, "%.1f", totals.get(f)))
                    .append(" (").append(places.get(f)).append(places.get(f) == 1 ? " place)" : " places)");
        }
        Framework runnerUp = ranked.get(1);
        if (totals.get(runnerUp).equals(totals.get(winner))) {
            s.append("; a tie, resolved in favour of ").append(winner.displayName())
                    .append(" (ties go to Deeplearning4j, then PyTorch, TensorFlow, scikit-learn)");
        } else {
            s.append("; ").append(winner.displayName()).append(" chosen by total weight");
        }
        s.append("; set 'framework:' in ").append(CONFIG_FILE).append(" if that is wrong");
        return s.toString();
    }

    private Scan scan(Path repo) {
        Scan scan = new Scan(repo);
        try {
            Files.walkFileTree(repo, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE, scan);
        } catch (IOException e) {
            throw TrainchainException.infrastructure("cannot scan repository " + repo + ": " + e.getMessage()
                    + "; check that the folder is readable", e);
        }
        return scan;
    }

    private final class Scan extends SimpleFileVisitor<Path> {
        final Path root;
        final EvidenceCollector collector = new EvidenceCollector();
        final Map<String, Integer> scannedByKind = new TreeMap<>();
        final Set<String> skippedDirs = new TreeSet<>();
        int files;
        int tooLarge;
        int unreadable;
        boolean truncated;

        Scan(Path root) {
            this.root = root;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (dir.equals(root)) {
                return FileVisitResult.CONTINUE;
            }
            String name = dir.getFileName().toString();
            if (SKIPPED_DIRS.contains(name) || name.endsWith(".egg-info") || Files.exists(dir.resolve("pyvenv.cfg"))) {
                skippedDirs.add(relative(dir) + "/");
                return FileVisitResult.SKIP_SUBTREE;
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (!attrs.isRegularFile()) {
                return FileVisitResult.CONTINUE;
            }
            if (++files > maxFiles) {
                truncated = true;
                return FileVisitResult.TERMINATE;
            }
            Optional<String> kind = EvidenceCollector.kindOf(file.getFileName().toString());
            if (kind.isEmpty()) {
                return FileVisitResult.CONTINUE;
            }
            if (attrs.size() > maxFileBytes) {
                tooLarge++;
                return FileVisitResult.CONTINUE;
            }
            String text;
            try {
                // Invalid UTF-8 is replaced, not fatal: a Latin-1 comment must not hide an import.
                text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                unreadable++;
                return FileVisitResult.CONTINUE;
            }
            scannedByKind.merge(kind.get(), 1, Integer::sum);
            collector.collect(kind.get(), relative(file), text);
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException exc) {
            unreadable++;
            return FileVisitResult.CONTINUE;
        }

        String relative(Path p) {
            return root.relativize(p).toString().replace('\\', '/');
        }

        /** "3 files (2 python, 1 requirements) of 5; skipped venv/, .git/". */
        String describe() {
            int relevant = scannedByKind.values().stream().mapToInt(Integer::intValue).sum();
            StringBuilder s = new StringBuilder();
            s.append(relevant).append(relevant == 1 ? " relevant file" : " relevant files");
            if (!scannedByKind.isEmpty()) {
                s.append(" (");
                scannedByKind.forEach((k, v) -> s.append(v).append(' ').append(k).append(", "));
                s.setLength(s.length() - 2);
                s.append(')');
            }
            s.append(" of ").append(Math.min(files, maxFiles)).append(files == 1 ? " file" : " files");
            if (!skippedDirs.isEmpty()) {
                s.append("; skipped ").append(String.join(", ", skippedDirs));
            }
            if (tooLarge > 0) {
                s.append("; ").append(tooLarge).append(" over ").append(maxFileBytes / 1024).append(" KiB ignored");
            }
            if (unreadable > 0) {
                s.append("; ").append(unreadable).append(" unreadable");
            }
            return s.toString();
        }
    }
}

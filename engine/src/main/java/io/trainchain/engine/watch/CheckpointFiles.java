package io.trainchain.engine.watch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The trainer's checkpoints as the watcher sees them on the host, before it restarts a container with
 * {@code --resume}: {@code checkpoints/checkpoint-epoch-NNNN.zip} (after an epoch) and
 * {@code checkpoint-epoch-NNNN-batch-NNNNN.zip} (mid-epoch), newest by position, not by name. A newest file that
 * does not read back whole (truncated, corrupt) is moved aside to {@code NAME.corrupt}, kept for inspection but out
 * of the trainer's way, and the previous one is used, with a warning naming both.
 */
public final class CheckpointFiles {
    public static final String DIR = "checkpoints";
    private static final Pattern NAME = Pattern.compile("checkpoint-epoch-(\\d+)(?:-batch-(\\d+))?\\.zip");
    /** The trainer's own entry in each checkpoint zip, besides DL4J's. */
    static final String STATE_ENTRY = "trainchain-state.json";

    private CheckpointFiles() {
    }

    /** A checkpoint: where it is, the position it holds, when it was written. */
    public record Checkpoint(Path file, int epochsDone, int batch, Instant writtenAt) {
        public String name() {
            return file.getFileName().toString();
        }
    }

    /** Every checkpoint file under {@code outputDir}, oldest position first; nothing is validated. */
    public static List<Checkpoint> list(Path outputDir) throws IOException {
        Path dir = outputDir.resolve(DIR);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Checkpoint> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches() && Files.isRegularFile(p)) {
                    found.add(new Checkpoint(p, Integer.parseInt(m.group(1)),
                            m.group(2) == null ? 0 : Integer.parseInt(m.group(2)),
                            Files.getLastModifiedTime(p).toInstant()));
                }
            }
        }
        found.sort(Comparator.comparingInt(Checkpoint::epochsDone).thenComparingInt(Checkpoint::batch));
        return found;
    }

    /**
     * The newest checkpoint that reads back whole. Newer broken ones are renamed to {@code .corrupt} with a warning
     * each; empty when there is none (the trainer then starts fresh).
     */
    public static Optional<Checkpoint> newestValid(Path outputDir, Consumer<String> warn) throws IOException {
        List<Checkpoint> all = list(outputDir);
        for (int i = all.size() - 1; i >= 0; i--) {
            Checkpoint c = all.get(i);
            String problem = problem(c.file());
            if (problem == null) {
                return Optional.of(c);
            }
            Path aside = c.file().resolveSibling(c.name() + ".corrupt");
            Files.move(c.file(), aside, StandardCopyOption.REPLACE_EXISTING);
            warn.accept("checkpoint " + c.name() + " is unusable (" + problem + "); moved it to "
                    + aside.getFileName() + " and " + (i > 0 ? "resuming from " + all.get(i - 1).name()
                    + " instead" : "no older checkpoint is left: the restart starts fresh"));
        }
        return Optional.empty();
    }

    /** Null when the zip reads back whole, with every entry's CRC right and the trainer's state in it. */
    static String problem(Path zip) {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            if (z.getEntry(STATE_ENTRY) == null) {
                return "no " + STATE_ENTRY + " entry";
            }
            byte[] buf = new byte[64 * 1024];
            Enumeration<? extends ZipEntry> entries = z.entries();
            CRC32 crc = new CRC32();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                crc.reset();
                try (InputStream in = z.getInputStream(e)) {
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        crc.update(buf, 0, n);
                    }
                }
                // ZipFile's streams do not check the CRC themselves (ZipInputStream would): compare it here.
                if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
                    return "entry " + e.getName() + " fails its CRC check";
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }
}

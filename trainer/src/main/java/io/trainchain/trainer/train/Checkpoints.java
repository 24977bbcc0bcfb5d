package io.trainchain.trainer.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainchain.trainer.model.NetworkFactory;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * checkpoints/checkpoint-epoch-NNNN.zip (after N epochs) and checkpoint-epoch-NNNN-batch-BBBBB.zip (N epochs and B
 * batches of the next done): DL4J's model zip (configuration, weights, updater state) plus our
 * {@link CheckpointState} as one more entry. Each is written to a temp file and renamed, so a kill mid-write never
 * leaves a corrupt newest checkpoint; the last {@value #KEEP} by position are kept.
 */
public final class Checkpoints {
    static final int KEEP = 2;
    static final String STATE_ENTRY = "trainchain-state.json";
    private static final Pattern NAME = Pattern.compile("checkpoint-epoch-(\\d{1,9})(?:-batch-(\\d{1,9}))?\\.zip");
    /** By (epochs done, batch), not by string: "0002-batch-00005" sorts before "0002.zip" as a string. */
    private static final Comparator<Matcher> BY_POSITION = Comparator
            .<Matcher>comparingLong(m -> Long.parseLong(m.group(1)))
            .thenComparingLong(m -> m.group(2) == null ? 0 : Long.parseLong(m.group(2)));
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Consumer<String> warn;

    public Checkpoints(Path dir, Consumer<String> warn) {
        this.dir = dir;
        this.warn = warn;
    }

    public record Loaded(MultiLayerNetwork net, CheckpointState state, Path file) {
    }

    public Path save(MultiLayerNetwork net, CheckpointState state) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(fileName(state.epoch(), state.batch()));
        AtomicFiles.write(target, tmp -> {
            ModelSerializer.writeModel(net, tmp.toFile(), true);
            try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + tmp.toUri()), Map.of())) {
                Files.write(zip.getPath(STATE_ENTRY), JSON.writeValueAsBytes(state));
            }
        });
        List<Path> all = list();
        for (int i = 0; i < all.size() - KEEP; i++) {
            Files.deleteIfExists(all.get(i));
        }
        return target;
    }

    /** The newest checkpoint that reads back whole; a corrupt newer one is skipped with a warning naming it. */
    public Optional<Loaded> loadLatest() throws IOException {
        List<Path> all = list();
        for (int i = all.size() - 1; i >= 0; i--) {
            Path file = all.get(i);
            try {
                CheckpointState state = readState(file);
                MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true);
                NetworkFactory.withFastHelpers(net); // the same training path as a fresh network: exact resume
                return Optional.of(new Loaded(net, state, file));
            } catch (IOException | RuntimeException e) {
                warn.accept("checkpoint " + file + " is unreadable (" + e + "); "
                        + (i > 0 ? "falling back to " + all.get(i - 1).getFileName() : "no older checkpoint"));
            }
        }
        return Optional.empty();
    }

    static CheckpointState readState(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry e = zip.getEntry(STATE_ENTRY);
            if (e == null) {
                throw new IOException("no " + STATE_ENTRY + " entry");
            }
            try (InputStream in = zip.getInputStream(e)) {
                return JSON.readValue(in, CheckpointState.class);
            }
        }
    }

    /** The name of the checkpoint after {@code epoch} epochs and {@code batch} batches of the next (0: epoch end). */
    static String fileName(int epoch, int batch) {
        return batch == 0 ? String.format(Locale.ROOT, "checkpoint-epoch-%04d.zip", epoch)
                : String.format(Locale.ROOT, "checkpoint-epoch-%04d-batch-%05d.zip", epoch, batch);
    }

    /** Checkpoint files, oldest position first. */
    List<Path> list() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.map(p -> NAME.matcher(p.getFileName().toString())).filter(Matcher::matches)
                    .sorted(BY_POSITION).map(m -> dir.resolve(m.group())).toList());
        }
    }
}

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
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * checkpoints/checkpoint-epoch-NNNN.zip: DL4J's model zip (configuration, weights, updater state) plus our
 * {@link CheckpointState} as one more entry. Each is written to a temp file and renamed, so a kill mid-write never
 * leaves a corrupt newest checkpoint; the last {@value #KEEP} are kept.
 */
public final class Checkpoints {
    static final int KEEP = 2;
    static final String STATE_ENTRY = "trainchain-state.json";
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
        Path target = dir.resolve(String.format("checkpoint-epoch-%04d.zip", state.epoch()));
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

    /** Checkpoint files, oldest first. */
    List<Path> list() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.filter(p -> p.getFileName().toString().matches("checkpoint-epoch-\\d+\\.zip"))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList());
        }
    }
}

package io.trainchain.trainer.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.trainchain.trainer.model.NetworkFactory;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.File;
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
import java.util.zip.CRC32;
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

    /**
     * Builds the untrained configuration of the network a checkpoint's state describes (the caller's params and data
     * shape), or throws to refuse the checkpoint: that exception propagates, it is no reason to fall back.
     */
    @FunctionalInterface
    public interface Blueprint {
        MultiLayerConfiguration configurationFor(CheckpointState state, Path file);
    }

    /**
     * The newest checkpoint that reads back whole, restored onto {@code blueprint}'s configuration as
     * {@link ModelSerializer#restoreMultiLayerNetwork(File, boolean)} restores one onto the configuration.json saved
     * in it (parsing that is most of its time): the same epoch and iteration counts, parameters and updater state.
     * A checkpoint that does not read back, or does not fit the configuration (other layers, parameter count or
     * updater state size), is skipped with a warning naming it.
     */
    public Optional<Loaded> loadLatest(Blueprint blueprint) throws IOException {
        List<Path> all = list();
        for (int i = all.size() - 1; i >= 0; i--) {
            Path file = all.get(i);
            Contents c;
            try {
                c = read(file);
            } catch (IOException | RuntimeException e) {
                unreadable(all, i, e);
                continue;
            }
            MultiLayerConfiguration conf = blueprint.configurationFor(c.state(), file);
            try {
                return Optional.of(new Loaded(restore(conf, c), c.state(), file));
            } catch (RuntimeException e) {
                unreadable(all, i, e);
            }
        }
        return Optional.empty();
    }

    private void unreadable(List<Path> all, int i, Exception e) {
        warn.accept("checkpoint " + all.get(i) + " is unreadable (" + e + "); "
                + (i > 0 ? "falling back to " + all.get(i - 1).getFileName() : "no older checkpoint"));
    }

    /** A checkpoint's entries, read and CRC-checked before any network is built. */
    private record Contents(CheckpointState state, JsonNode configuration, INDArray params, INDArray updaterState) {
    }

    private static Contents read(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            CheckpointState state = JSON.readValue(entry(zip, STATE_ENTRY, true), CheckpointState.class);
            JsonNode configuration = JSON.readTree(entry(zip, ModelSerializer.CONFIGURATION_JSON, true));
            INDArray params = SavedArrays.read(entry(zip, ModelSerializer.COEFFICIENTS_BIN, true));
            byte[] updater = entry(zip, ModelSerializer.UPDATER_BIN, false); // absent: an updater without state (SGD)
            return new Contents(state, configuration, params, updater == null ? null : SavedArrays.read(updater));
        }
    }

    private static byte[] entry(ZipFile zip, String name, boolean required) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            if (required) {
                throw new IOException("no " + name + " entry");
            }
            return null;
        }
        byte[] bytes;
        try (InputStream in = zip.getInputStream(e)) {
            bytes = in.readAllBytes();
        }
        CRC32 crc = new CRC32(); // ZipFile does not check it (ZipInputStream, which ModelSerializer reads with, does)
        crc.update(bytes);
        if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
            throw new IOException("entry " + name + " fails its CRC check");
        }
        return bytes;
    }

    /** ModelSerializer's restore, on {@code conf} instead of the parsed configuration.json. */
    private static MultiLayerNetwork restore(MultiLayerConfiguration conf, Contents c) {
        requireSameLayers(c.configuration(), conf);
        conf.setEpochCount(c.configuration().path("epochCount").asInt(0)); // drives the lr schedule
        conf.setIterationCount(c.configuration().path("iterationCount").asInt(0));
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init(c.params(), false); // checks the length and data type
        if (c.updaterState() != null) {
            net.getUpdater().setStateViewArray(net, c.updaterState(), false); // checks the length
        } else if (net.getUpdater().getStateViewArray() != null) {
            throw new IllegalStateException("no " + ModelSerializer.UPDATER_BIN + " entry for an updater with state");
        }
        return NetworkFactory.withFastHelpers(net); // the same training path as a fresh network: exact resume
    }

    /** The same parameter count could still lay the weights out otherwise: the saved layers must be these ones. */
    private static void requireSameLayers(JsonNode saved, MultiLayerConfiguration conf) {
        JsonNode confs = saved.path("confs");
        if (confs.size() != conf.getConfs().size()) {
            throw new IllegalStateException(confs.size() + " layers saved, " + conf.getConfs().size() + " expected");
        }
        for (int i = 0; i < confs.size(); i++) {
            JsonNode l = confs.get(i).path("layer");
            Layer want = conf.getConf(i).getLayer();
            JsonNode k = want instanceof ConvolutionLayer ? l.path("kernelSize") : MissingNode.getInstance();
            String was = l.path("@class").asText() + " " + l.path("nin").asLong(0) + "→" + l.path("nout").asLong(0)
                    + " kernel " + k.path(0).asInt(0) + "×" + k.path(1).asInt(0);
            if (!was.equals(describe(want))) {
                throw new IllegalStateException("layer " + i + " was saved as " + was + ", this run builds "
                        + describe(want));
            }
        }
    }

    /** A layer's type and the sizes its parameters' shapes follow from (a convolution's kernel, not a pooling's). */
    private static String describe(Layer l) {
        FeedForwardLayer f = l instanceof FeedForwardLayer ff ? ff : null;
        int[] k = l instanceof ConvolutionLayer c ? c.getKernelSize() : new int[]{0, 0};
        return l.getClass().getName() + " " + (f == null ? 0 : f.getNIn()) + "→" + (f == null ? 0 : f.getNOut())
                + " kernel " + k[0] + "×" + k[1];
    }

    static CheckpointState readState(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return JSON.readValue(entry(zip, STATE_ENTRY, true), CheckpointState.class);
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

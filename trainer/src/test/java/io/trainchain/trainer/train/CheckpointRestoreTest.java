package io.trainchain.trainer.train;

import io.trainchain.trainer.BadInputException;
import io.trainchain.trainer.config.ConfigJson;
import io.trainchain.trainer.config.ConfigReader;
import io.trainchain.trainer.config.TrainConfig;
import io.trainchain.trainer.model.NetworkFactory;
import io.trainchain.trainer.runtime.OneDnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Checkpoints#loadLatest} restores exactly what {@link ModelSerializer} restores from the same file. */
class CheckpointRestoreTest {
    private static final String NET = "\"conv_blocks\": [{\"filters\": 4, \"kernel\": 3, \"pooling\": \"max\", "
            + "\"pool\": 2}], \"dense_units\": [16], \"lr_decay\": 0.8, \"seed\": 7";

    private static TrainConfig config(String more) {
        return ConfigReader.parse("{" + NET + (more.isEmpty() ? "" : ", " + more) + "}", "test");
    }

    private static Checkpoints.Blueprint blueprint(TrainConfig c) {
        return (state, file) -> NetworkFactory.configuration(c, 1, 8, 8, 3);
    }

    private static DataSet batch(int seed) {
        Random r = new Random(seed);
        float[] x = new float[6 * 64];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        float[] y = new float[6 * 3];
        for (int i = 0; i < 6; i++) {
            y[i * 3 + r.nextInt(3)] = 1;
        }
        return new DataSet(Nd4j.create(x, new long[]{6, 1, 8, 8}, 'c'), Nd4j.create(y, new long[]{6, 3}, 'c'));
    }

    private static void step(MultiLayerNetwork net, int seed) {
        Nd4j.getRandom().setSeed(1000 + seed); // as the trainer does before each batch (dropout)
        net.fit(batch(seed));
    }

    /** A net one epoch and one batch in (the lr schedule is per epoch), saved as a checkpoint. */
    private static MultiLayerNetwork trainAndSave(TrainConfig c, Checkpoints checkpoints) throws Exception {
        OneDnn.enableHelpers();
        MultiLayerNetwork net = NetworkFactory.build(c, 1, 8, 8, 3);
        step(net, 1);
        step(net, 2);
        net.incrementEpochCount();
        step(net, 3);
        checkpoints.save(net, new CheckpointState(1, net.getIterationCount(), c.seed(), 12, ConfigJson.toJson(c), 1,
                0.5, 10, 20));
        return net;
    }

    private static float[] floats(INDArray a) {
        return a.dup('c').data().asFloat();
    }

    private static void assertSameNet(MultiLayerNetwork want, MultiLayerNetwork got) {
        assertArrayEquals(floats(want.params()), floats(got.params()), "params, bit for bit");
        INDArray ws = want.getUpdater().getStateViewArray();
        INDArray gs = got.getUpdater().getStateViewArray();
        if (ws == null) {
            assertNull(gs);
        } else {
            assertArrayEquals(floats(ws), floats(gs), "updater state, bit for bit");
        }
        assertEquals(want.getEpochCount(), got.getEpochCount());
        assertEquals(want.getIterationCount(), got.getIterationCount());
        for (int i = 0; i < want.getnLayers(); i++) {
            assertEquals(want.getLayer(i).getEpochCount(), got.getLayer(i).getEpochCount(), "layer " + i);
            assertEquals(want.getLayer(i).getIterationCount(), got.getLayer(i).getIterationCount(), "layer " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"dropout\": 0.25, \"batch_norm\": true, \"l2\": 1e-4", "\"optimizer\": \"sgd\"",
            "\"optimizer\": \"nesterovs\", \"dropout\": 0.5", "\"optimizer\": \"rmsprop\", \"batch_norm\": true",
            "\"optimizer\": \"adadelta\""})
    void restoresWhatModelSerializerRestoresAndTrainsOnIdentically(String params, @TempDir Path dir)
            throws Exception {
        TrainConfig c = config(params);
        Checkpoints checkpoints = new Checkpoints(dir, w -> { throw new AssertionError(w); });
        MultiLayerNetwork original = trainAndSave(c, checkpoints);
        Checkpoints.Loaded loaded = checkpoints.loadLatest(blueprint(c)).orElseThrow();
        MultiLayerNetwork fast = loaded.net();
        MultiLayerNetwork dl4j = NetworkFactory.withFastHelpers(
                ModelSerializer.restoreMultiLayerNetwork(loaded.file().toFile(), true));

        assertEquals(1, fast.getEpochCount());
        assertEquals(3, fast.getIterationCount());
        assertSameNet(dl4j, fast);
        assertSameNet(original, fast);
        try (ZipFile zip = new ZipFile(loaded.file().toFile())) {
            String saved = new String(zip.getInputStream(zip.getEntry(ModelSerializer.CONFIGURATION_JSON))
                    .readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(saved, fast.getLayerWiseConfigurations().toJson(), "the configuration DL4J would restore");
        }
        assertEquals(OneDnn.helpers(dl4j), OneDnn.helpers(fast));

        step(original, 4);
        step(dl4j, 4);
        step(fast, 4);
        assertEquals(dl4j.score(), fast.score());
        assertEquals(original.score(), fast.score());
        assertSameNet(dl4j, fast);
        assertSameNet(original, fast);
        INDArray x = batch(5).getFeatures();
        assertArrayEquals(floats(dl4j.output(x, false)), floats(fast.output(x, false)));
        assertEquals(OneDnn.helpers(dl4j), OneDnn.helpers(fast));
    }

    @Test
    void aCheckpointOfOtherLayersIsSkippedWithAWarningNotLoadedInPart(@TempDir Path dir) throws Exception {
        TrainConfig c = config("");
        List<String> warnings = new ArrayList<>();
        Checkpoints checkpoints = new Checkpoints(dir, warnings::add);
        trainAndSave(c, checkpoints);
        checkpoints.save(NetworkFactory.build(ConfigReader.parse("{" + NET.replace("[16]", "[17]") + "}", "x"), 1, 8,
                8, 3), new CheckpointState(2, 0, c.seed(), 12, ConfigJson.toJson(c), 0, 0, 0, 0));

        Checkpoints.Loaded l = checkpoints.loadLatest(blueprint(c)).orElseThrow();
        assertEquals("checkpoint-epoch-0001-batch-00001.zip", l.file().getFileName().toString());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("checkpoint-epoch-0002.zip is unreadable"), warnings.get(0));
        assertTrue(warnings.get(0).contains("layer 2 was saved as org.deeplearning4j.nn.conf.layers.DenseLayer 36→17 "
                + "kernel 0×0, this run builds org.deeplearning4j.nn.conf.layers.DenseLayer 36→16 kernel 0×0"),
                warnings.get(0));
        assertTrue(warnings.get(0).contains("falling back to checkpoint-epoch-0001-batch-00001.zip"), warnings.get(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {ModelSerializer.COEFFICIENTS_BIN, ModelSerializer.UPDATER_BIN})
    void anArrayOneValueShortIsAnError(String entry, @TempDir Path dir) throws Exception {
        TrainConfig c = config("");
        List<String> warnings = new ArrayList<>();
        Checkpoints checkpoints = new Checkpoints(dir, warnings::add);
        trainAndSave(c, checkpoints);
        Path file = checkpoints.list().get(0);
        Map<String, byte[]> entries = entries(file);
        INDArray a = Nd4j.read(new DataInputStream(new ByteArrayInputStream(entries.get(entry))));
        ByteArrayOutputStream shorter = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(shorter)) {
            Nd4j.write(a.get(NDArrayIndex.interval(0, a.length() - 1)).reshape(1, a.length() - 1).dup(), out);
        }
        entries.put(entry, shorter.toByteArray());
        write(file, entries);

        assertTrue(checkpoints.loadLatest(blueprint(c)).isEmpty());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains(file.getFileName() + " is unreadable")
                && warnings.get(0).contains("length") && warnings.get(0).contains("no older checkpoint"),
                warnings.get(0));
    }

    @Test
    void aRefusalByTheBlueprintPropagatesInsteadOfFallingBack(@TempDir Path dir) throws Exception {
        TrainConfig c = config("");
        Checkpoints checkpoints = new Checkpoints(dir, w -> { throw new AssertionError(w); });
        trainAndSave(c, checkpoints);
        BadInputException refused = new BadInputException("other params");
        assertSame(refused, assertThrows(BadInputException.class,
                () -> checkpoints.loadLatest((s, f) -> { throw refused; })));
    }

    @Test
    void aFlippedBitInAStoredArrayFailsTheCrcCheck(@TempDir Path dir) throws Exception {
        TrainConfig c = config("");
        List<String> warnings = new ArrayList<>();
        Checkpoints checkpoints = new Checkpoints(dir, warnings::add);
        trainAndSave(c, checkpoints);
        Path file = checkpoints.list().get(0);
        Map<String, byte[]> entries = entries(file);
        write(file, entries); // stored, not deflated: a flipped bit still inflates, only the CRC can tell
        byte[] zip = Files.readAllBytes(file);
        byte[] coefficients = entries.get(ModelSerializer.COEFFICIENTS_BIN);
        int at = indexOf(zip, Arrays.copyOfRange(coefficients, coefficients.length - 64, coefficients.length));
        assertTrue(at > 0);
        zip[at + 60] ^= 1; // in the last weight
        Files.write(file, zip);

        assertTrue(checkpoints.loadLatest(blueprint(c)).isEmpty());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("entry coefficients.bin fails its CRC check"), warnings.get(0));
    }

    private static int indexOf(byte[] in, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= in.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (in[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static Map<String, byte[]> entries(Path file) throws Exception {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                out.put(e.getName(), zip.getInputStream(e).readAllBytes());
            }
        }
        return out;
    }

    /** The entries as a zip of stored (uncompressed) entries. */
    private static void write(Path file, Map<String, byte[]> entries) throws Exception {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry n = new ZipEntry(e.getKey());
                n.setMethod(ZipEntry.STORED);
                n.setSize(e.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                n.setCrc(crc.getValue());
                out.putNextEntry(n);
                out.write(e.getValue());
            }
        }
    }
}

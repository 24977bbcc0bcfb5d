package io.trainchain.trainer.train;

import io.trainchain.trainer.config.ConfigJson;
import io.trainchain.trainer.config.ConvBlock;
import io.trainchain.trainer.config.Pooling;
import io.trainchain.trainer.config.TrainConfig;
import io.trainchain.trainer.model.NetworkFactory;
import io.trainchain.trainer.runtime.OneDnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointsTest {
    private static final TrainConfig SMALL = new TrainConfig(1e-3, 0.8, io.trainchain.trainer.config.Optimizer.ADAM, 0.9,
            8, 3, List.of(new ConvBlock(4, 3, 1, 0, Pooling.MAX, 2)), List.of(16), 0, 0, false,
            io.trainchain.trainer.config.Activation.RELU, io.trainchain.trainer.config.WeightInit.RELU, 1, 0.1);

    /** The params and data shape of {@link #net()}. */
    static final Checkpoints.Blueprint SAME = (state, file) -> NetworkFactory.configuration(SMALL, 1, 8, 8, 3);

    private static MultiLayerNetwork net() {
        OneDnn.enableHelpers();
        MultiLayerNetwork net = NetworkFactory.build(SMALL, 1, 8, 8, 3);
        net.fit(Nd4j.rand(4, 1, 8, 8), Nd4j.eye(3).getRows(0, 1, 2, 0));
        return net;
    }

    private static CheckpointState state(int epoch, MultiLayerNetwork net) {
        return state(epoch, 0, net);
    }

    private static CheckpointState state(int epoch, int batch, MultiLayerNetwork net) {
        return new CheckpointState(epoch, net.getIterationCount(), 1, 100, ConfigJson.toJson(SMALL), batch,
                batch == 0 ? 0 : 0.1 + batch / 3.0, batch * 1_000_001L, epoch * 7_000_000_003L + batch);
    }

    private static List<String> names(Checkpoints c) throws Exception {
        return c.list().stream().map(p -> p.getFileName().toString()).toList();
    }

    @Test
    void fileNamesEncodeThePosition() {
        assertEquals("checkpoint-epoch-0002.zip", Checkpoints.fileName(2, 0));
        assertEquals("checkpoint-epoch-0002-batch-00123.zip", Checkpoints.fileName(2, 123));
        assertEquals("checkpoint-epoch-0000-batch-123456.zip", Checkpoints.fileName(0, 123456));
    }

    @Test
    void listOrdersByEpochThenBatchNotByString(@TempDir Path dir) throws Exception {
        for (String n : List.of("checkpoint-epoch-0002.zip", "checkpoint-epoch-0002-batch-00123.zip",
                "checkpoint-epoch-0001-batch-00005.zip", "checkpoint-epoch-0003.zip", "checkpoint-epoch-0001.zip",
                "checkpoint-epoch-0002-batch-00009.zip", "checkpoint-epoch-0002-batch-100000.zip",
                "checkpoint-epoch-0010.zip", ".checkpoint-epoch-0011.zip.tmp", "checkpoint-epoch-0012.zip.tmp",
                "checkpoint-epoch-x.zip", "model.zip")) {
            Files.writeString(dir.resolve(n), "");
        }
        assertEquals(List.of("checkpoint-epoch-0001.zip", "checkpoint-epoch-0001-batch-00005.zip",
                "checkpoint-epoch-0002.zip", "checkpoint-epoch-0002-batch-00009.zip",
                "checkpoint-epoch-0002-batch-00123.zip", "checkpoint-epoch-0002-batch-100000.zip",
                "checkpoint-epoch-0003.zip", "checkpoint-epoch-0010.zip"), names(new Checkpoints(dir, s -> { })));
    }

    @Test
    void keepsTheLastTwoByPositionWithMixedNamesAndResumesFromTheNewestPosition(@TempDir Path dir) throws Exception {
        Checkpoints c = new Checkpoints(dir, s -> { });
        MultiLayerNetwork net = net();
        c.save(net, state(1, 0, net));
        c.save(net, state(1, 7, net));
        assertEquals(List.of("checkpoint-epoch-0001.zip", "checkpoint-epoch-0001-batch-00007.zip"), names(c));
        c.save(net, state(2, 0, net));
        assertEquals(List.of("checkpoint-epoch-0001-batch-00007.zip", "checkpoint-epoch-0002.zip"), names(c));
        c.save(net, state(2, 3, net));
        c.save(net, state(2, 11, net));
        assertEquals(List.of("checkpoint-epoch-0002-batch-00003.zip", "checkpoint-epoch-0002-batch-00011.zip"),
                names(c));
        Checkpoints.Loaded l = c.loadLatest(SAME).orElseThrow();
        assertEquals("checkpoint-epoch-0002-batch-00011.zip", l.file().getFileName().toString());
        assertEquals(state(2, 11, net).toString(), l.state().toString(), "every field back exactly, doubles too");
        c.save(net, state(3, 0, net));
        assertEquals(List.of("checkpoint-epoch-0002-batch-00011.zip", "checkpoint-epoch-0003.zip"), names(c));
    }

    @Test
    void aStateWrittenBeforeMidEpochCheckpointsReadsAsAnEpochEndPosition(@TempDir Path dir) throws Exception {
        String old = "{\"epoch\":2,\"iteration\":58,\"seed\":123,\"trainImages\":3600,\"params\":{\"epochs\":3}}";
        Path file = dir.resolve("checkpoint-epoch-0002.zip");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new java.util.zip.ZipEntry(Checkpoints.STATE_ENTRY));
            zip.write(old.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        CheckpointState s = Checkpoints.readState(file);
        assertEquals(2, s.epoch());
        assertEquals(58, s.iteration());
        assertEquals(123, s.seed());
        assertEquals(3600, s.trainImages());
        assertEquals(3, s.params().get("epochs").asInt());
        assertEquals(0, s.batch());
        assertEquals(0.0, s.lossSum());
        assertEquals(0, s.epochTrainingNanos());
        assertEquals(0, s.trainingNanos());
    }

    @Test
    void keepsTheLastTwoAndRestoresWeightsAndUpdaterExactly(@TempDir Path dir) throws Exception {
        Checkpoints c = new Checkpoints(dir, s -> { });
        MultiLayerNetwork net = net();
        for (int e = 1; e <= 3; e++) {
            c.save(net, state(e, net));
        }
        assertEquals(List.of("checkpoint-epoch-0002.zip", "checkpoint-epoch-0003.zip"),
                c.list().stream().map(p -> p.getFileName().toString()).toList());
        Checkpoints.Loaded l = c.loadLatest(SAME).orElseThrow();
        assertEquals(3, l.state().epoch());
        assertEquals(net.params(), l.net().params());
        assertEquals(net.getUpdater().getStateViewArray(), l.net().getUpdater().getStateViewArray());
        assertEquals(ConfigJson.toJson(SMALL).toString(), l.state().params().toString());
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp file left behind");
        }
    }

    @Test
    void aTruncatedNewestCheckpointFallsBackToThePreviousWithAWarning(@TempDir Path dir) throws Exception {
        List<String> warnings = new ArrayList<>();
        Checkpoints c = new Checkpoints(dir, warnings::add);
        MultiLayerNetwork net = net();
        c.save(net, state(1, net));
        Path newest = c.save(net, state(2, net));
        byte[] all = Files.readAllBytes(newest);
        Files.write(newest, java.util.Arrays.copyOf(all, all.length / 3));
        Checkpoints.Loaded l = c.loadLatest(SAME).orElseThrow();
        assertEquals(1, l.state().epoch());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("checkpoint-epoch-0002.zip is unreadable"), warnings.get(0));
        assertTrue(warnings.get(0).contains("falling back to checkpoint-epoch-0001.zip"), warnings.get(0));
    }

    @Test
    void noCheckpointIsEmpty(@TempDir Path dir) throws Exception {
        assertTrue(new Checkpoints(dir.resolve("none"), s -> { }).loadLatest(SAME).isEmpty());
    }
}

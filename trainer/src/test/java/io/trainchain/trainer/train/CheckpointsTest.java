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

    private static MultiLayerNetwork net() {
        OneDnn.enableHelpers();
        MultiLayerNetwork net = NetworkFactory.build(SMALL, 1, 8, 8, 3);
        net.fit(Nd4j.rand(4, 1, 8, 8), Nd4j.eye(3).getRows(0, 1, 2, 0));
        return net;
    }

    private static CheckpointState state(int epoch, MultiLayerNetwork net) {
        return new CheckpointState(epoch, net.getIterationCount(), 1, 100, ConfigJson.toJson(SMALL));
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
        Checkpoints.Loaded l = c.loadLatest().orElseThrow();
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
        Checkpoints.Loaded l = c.loadLatest().orElseThrow();
        assertEquals(1, l.state().epoch());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("checkpoint-epoch-0002.zip is unreadable"), warnings.get(0));
        assertTrue(warnings.get(0).contains("falling back to checkpoint-epoch-0001.zip"), warnings.get(0));
    }

    @Test
    void noCheckpointIsEmpty(@TempDir Path dir) throws Exception {
        assertTrue(new Checkpoints(dir.resolve("none"), s -> { }).loadLatest().isEmpty());
    }
}

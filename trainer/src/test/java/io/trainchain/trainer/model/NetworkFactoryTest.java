package io.trainchain.trainer.model;

import io.trainchain.trainer.BadInputException;
import io.trainchain.trainer.config.ConfigReader;
import io.trainchain.trainer.config.TrainConfig;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkFactoryTest {

    @Test
    void learningRateDecaysPerEpoch() {
        TrainConfig c = ConfigReader.parse("{\"learning_rate\": 0.01, \"lr_decay\": 0.5}", "x");
        MultiLayerNetwork net = NetworkFactory.build(c, 1, 28, 28, 10);
        Adam adam = (Adam) ((BaseLayer) net.getLayer(0).conf().getLayer()).getIUpdater();
        assertEquals(0.01, adam.getLearningRateSchedule().valueAt(0, 0), 1e-12);
        assertEquals(0.0025, adam.getLearningRateSchedule().valueAt(500, 2), 1e-12);
    }

    @Test
    void cachesForwardActivationsForBackprop() {
        MultiLayerNetwork net = NetworkFactory.build(TrainConfig.defaults(), 1, 28, 28, 10);
        assertEquals(CacheMode.DEVICE, net.getLayerWiseConfigurations().getCacheMode());
    }

    @Test
    void blocksThatLeaveNoPixelsAreNamed() {
        TrainConfig c = ConfigReader.parse("{\"conv_blocks\": [{\"filters\": 4, \"kernel\": 5}, {\"filters\": 4, "
                + "\"kernel\": 5}, {\"filters\": 4, \"kernel\": 5}]}", "x");
        String m = assertThrows(BadInputException.class, () -> NetworkFactory.build(c, 1, 28, 28, 10)).getMessage();
        assertTrue(m.contains("'conv_blocks[2]' leaves no pixels of the 28×28 input"), m);
    }
}

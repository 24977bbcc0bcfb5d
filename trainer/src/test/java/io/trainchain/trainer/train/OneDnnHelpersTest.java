package io.trainchain.trainer.train;

import io.trainchain.trainer.config.TrainConfig;
import io.trainchain.trainer.model.NetworkFactory;
import io.trainchain.trainer.runtime.OneDnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Speed depends on oneDNN: every convolution and pooling layer of the default net must run with its helper. */
class OneDnnHelpersTest {

    @Test
    void everyConvolutionAndPoolingLayerRunsWithItsOneDnnHelper() {
        OneDnn.enableHelpers();
        MultiLayerNetwork net = NetworkFactory.build(TrainConfig.defaults(), 1, 28, 28, 10);
        net.fit(Nd4j.rand(16, 1, 28, 28), Nd4j.eye(10).getRows(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5));
        assertEquals(List.of("ConvolutionLayer#0=InputConvolutionHelper", "SubsamplingLayer#1=MKLDNNSubsamplingHelper",
                "ConvolutionLayer#2=MKLDNNConvHelper", "SubsamplingLayer#3=MKLDNNSubsamplingHelper"),
                OneDnn.helpers(net));
        OneDnn.requireHelpers(net);
    }
}

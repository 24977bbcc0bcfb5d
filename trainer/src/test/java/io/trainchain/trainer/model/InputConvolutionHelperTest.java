package io.trainchain.trainer.model;

import io.trainchain.trainer.config.ConfigReader;
import io.trainchain.trainer.config.TrainConfig;
import io.trainchain.trainer.runtime.OneDnn;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The first layer's weight and bias gradients must be DL4J's own, to float rounding, whichever path computes them. */
class InputConvolutionHelperTest {

    @BeforeAll
    static void helpersOn() {
        OneDnn.enableHelpers();
    }

    @Test
    void gradientsEqualDl4jsOnFashionMnistShapes() {
        assertSameGradients("{}", 1, 28, 28);
    }

    @Test
    void gradientsEqualDl4jsWithColourInputAndPadding() {
        assertSameGradients("{\"conv_blocks\": [{\"filters\": 8, \"kernel\": 5, \"padding\": 2}, "
                + "{\"filters\": 16, \"kernel\": 3}], \"dense_units\": [32]}", 3, 32, 32);
    }

    @Test
    void stridedFirstLayerGoesToDl4jsHelperAndStaysCorrect() {
        assertSameGradients("{\"conv_blocks\": [{\"filters\": 8, \"kernel\": 4, \"stride\": 2, \"pooling\": "
                + "\"none\"}], \"dense_units\": [16]}", 1, 28, 28);
    }

    @Test
    void notInstalledWhereTheInputGradientIsNeeded() {
        MultiLayerNetwork net = NetworkFactory.build(TrainConfig.defaults(), 1, 28, 28, 10);
        assertTrue(net.getLayer(0) instanceof org.deeplearning4j.nn.layers.convolution.ConvolutionLayer c
                && c.getHelper() instanceof InputConvolutionHelper);
        // Dropout on layer 0 would need the input gradient in its backward pass.
        MultiLayerNetwork withDropout = plainCopy(net);
        ((ConvolutionLayer) withDropout.getLayer(0).conf().getLayer()).setIDropout(new Dropout(0.5));
        assertFalse(InputConvolutionHelper.installOn(withDropout));
        // Layer 2 is a convolution too, but its input gradient feeds layer 1.
        assertEquals(MKLDNNConvHelper.class,
                ((org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) net.getLayer(2)).getHelper().getClass());
    }

    private static void assertSameGradients(String params, int channels, int height, int width) {
        TrainConfig cfg = ConfigReader.parse(params, "params");
        MultiLayerNetwork ours = NetworkFactory.build(cfg, channels, height, width, 10);
        assertTrue(((org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) ours.getLayer(0)).getHelper()
                instanceof InputConvolutionHelper);
        MultiLayerNetwork dl4j = plainCopy(ours);
        assertEquals(MKLDNNConvHelper.class,
                ((org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) dl4j.getLayer(0)).getHelper().getClass());

        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, 24, channels, height, width);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 24, 10);
        for (int i = 0; i < 24; i++) {
            y.putScalar(i, (i * 7) % 10, 1f);
        }
        INDArray g1 = gradient(ours, x, y);
        INDArray g2 = gradient(dl4j, x, y);
        assertNotSame(g1, g2);
        double scale = g2.amaxNumber().doubleValue();
        assertTrue(scale > 0, "the reference gradient is all zeros");
        double diff = g1.sub(g2).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-4 * scale, "gradients differ by " + diff + " (largest " + scale + ")");
    }

    /** The same configuration and parameters, with the helpers DL4J itself picks. */
    private static MultiLayerNetwork plainCopy(MultiLayerNetwork net) {
        MultiLayerNetwork copy = new MultiLayerNetwork(net.getLayerWiseConfigurations().clone());
        copy.init(net.params().dup(), true);
        return copy;
    }

    private static INDArray gradient(MultiLayerNetwork net, INDArray x, INDArray y) {
        net.setInput(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        return net.gradient().gradient().dup();
    }
}

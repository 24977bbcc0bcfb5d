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

/**
 * Our helpers ({@link InputConvolutionHelper}, {@link BatchNormHelper}) must give DL4J's own gradients, to float
 * rounding: each test compares a network with them against a copy running DL4J's helpers.
 */
class FastHelpersTest {

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
    void batchNormGradientsAndStatisticsEqualDl4jsAfterConvolutionsAndDenseLayers() {
        MultiLayerNetwork net = assertSameGradients("{\"batch_norm\": true}", 1, 28, 28);
        assertEquals(3, net.getLayers().length - java.util.Arrays.stream(net.getLayers())
                .filter(l -> !(l instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization bn
                        && bn.getHelper() instanceof BatchNormHelper)).count());
    }

    @Test
    void batchNormWithColourInputAndOneTrainingStepMatchesDl4j() {
        // Plain SGD: Adam's first step is ±learning rate for any non-zero gradient, so float rounding of a
        // near-zero gradient could flip it.
        String params = "{\"batch_norm\": true, \"optimizer\": \"sgd\", \"learning_rate\": 0.1, \"conv_blocks\": [{\"filters\": 8, \"kernel\": 3, \"padding\": 1}], "
                + "\"dense_units\": [16]}";
        MultiLayerNetwork ours = NetworkFactory.build(ConfigReader.parse(params, "params"), 3, 32, 32, 10);
        MultiLayerNetwork dl4j = plainCopy(ours);
        INDArray[] batch = batch(3, 32, 32);
        ours.fit(batch[0], batch[1]);
        dl4j.fit(batch[0], batch[1]);
        // Parameters after a step, running mean and variance included; then inference with them.
        assertClose(dl4j.params(), ours.params());
        assertClose(dl4j.output(batch[0], false), ours.output(batch[0], false));
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

    private static MultiLayerNetwork assertSameGradients(String params, int channels, int height, int width) {
        TrainConfig cfg = ConfigReader.parse(params, "params");
        MultiLayerNetwork ours = NetworkFactory.build(cfg, channels, height, width, 10);
        assertTrue(((org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) ours.getLayer(0)).getHelper()
                instanceof InputConvolutionHelper);
        MultiLayerNetwork dl4j = plainCopy(ours);
        assertEquals(MKLDNNConvHelper.class,
                ((org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) dl4j.getLayer(0)).getHelper().getClass());

        INDArray[] batch = batch(channels, height, width);
        INDArray g1 = gradient(ours, batch[0], batch[1]);
        INDArray g2 = gradient(dl4j, batch[0], batch[1]);
        assertNotSame(g1, g2);
        assertClose(g2, g1);
        return ours;
    }

    private static INDArray[] batch(int channels, int height, int width) {
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, 24, channels, height, width);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 24, 10);
        for (int i = 0; i < 24; i++) {
            y.putScalar(i, (i * 7) % 10, 1f);
        }
        return new INDArray[]{x, y};
    }

    private static void assertClose(INDArray expected, INDArray actual) {
        double scale = expected.amaxNumber().doubleValue();
        assertTrue(scale > 0, "the reference is all zeros");
        double diff = actual.sub(expected).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-4 * scale, "differ by " + diff + " (largest " + scale + ")");
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

package io.trainchain.trainer.model;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The oneDNN helper of the network's FIRST convolution: the same forward pass, but a backward pass that computes only
 * the weight and bias gradients.
 *
 * <p>Why: DL4J's helper runs libnd4j's conv2d_bp, which always computes the gradient with respect to the layer's
 * input as well. For the first layer that is the gradient with respect to the images, which nothing uses, and oneDNN
 * computes it slowly for a one-channel input: 9.0 of a 46 ms training step (bench/trainer/profile, batch 128).
 *
 * <p>How: for stride 1 and no dilation, dW[o][c][i][j] = Σ_n Σ_y,x δ[n][o][y][x] · in[n][c][y+i][x+j], which is
 * itself a forward convolution: the input with batch and channel axes swapped ([C, N, H, W]) convolved with δ as the
 * kernel ([O, N, outH, outW]) gives dW with its first two axes swapped. oneDNN's forward convolution does that in
 * ~2 ms. The bias gradient is δ summed per channel ({@link ChannelSums}). Every other case
 * goes to DL4J's own helper unchanged.
 *
 * <p>Returns no input gradient (null), which DL4J accepts for layer 0 only: install it there and nowhere else
 * ({@link #installOn}).
 */
public final class InputConvolutionHelper extends MKLDNNConvHelper {

    private OpContext weightGradContext;
    private final ChannelSums sums = new ChannelSums();

    public InputConvolutionHelper(DataType dataType) {
        super(dataType);
    }

    /**
     * Gives layer 0 this helper when it is a plain convolution running DL4J's oneDNN helper without dropout (the
     * input gradient would be needed for dropout's backward pass); otherwise leaves the network as it is. Call after
     * {@code init()} or a restore: only the helper changes, so saved models stay plain DL4J models.
     *
     * @return whether it was installed
     */
    public static boolean installOn(MultiLayerNetwork net) {
        if (net.getnLayers() == 0
                || !(net.getLayer(0) instanceof org.deeplearning4j.nn.layers.convolution.ConvolutionLayer first)
                || first.getClass() != org.deeplearning4j.nn.layers.convolution.ConvolutionLayer.class
                || first.getHelper() == null || first.getHelper().getClass() != MKLDNNConvHelper.class
                || first.layerConf().getIDropout() != null) {
            return false;
        }
        LayerHelpers.replace(first, org.deeplearning4j.nn.layers.convolution.ConvolutionLayer.class,
                new InputConvolutionHelper(first.getParam(ConvolutionParamInitializer.WEIGHT_KEY).dataType()));
        return true;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray weights, INDArray bias, INDArray delta,
            int[] kernel, int[] strides, int[] pad, INDArray biasGradView, INDArray weightGradView, IActivation afn,
            ConvolutionLayer.AlgoMode mode, ConvolutionLayer.BwdFilterAlgo bwdFilterAlgo,
            ConvolutionLayer.BwdDataAlgo bwdDataAlgo, ConvolutionMode convolutionMode, int[] dilation,
            CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (!supported(input, weights, delta, strides, dilation, convolutionMode, format)) {
            return super.backpropGradient(input, weights, bias, delta, kernel, strides, pad, biasGradView,
                    weightGradView, afn, mode, bwdFilterAlgo, bwdDataAlgo, convolutionMode, dilation, format,
                    workspaceMgr);
        }
        long outH = delta.size(2);
        long outW = delta.size(3);
        if (weightGradContext == null) {
            weightGradContext = Nd4j.getExecutioner().buildContext();
        }
        // conv2d's integer arguments: kernel (= δ's map), stride 1, the layer's padding, dilation 1, not "same" mode,
        // NCHW, weights as [out, in, kH, kW].
        weightGradContext.setIArguments(outH, outW, 1, 1, pad[0], pad[1], 1, 1, 0, 0, 1);
        weightGradContext.purge();
        weightGradContext.setInputArray(0, input.permute(1, 0, 2, 3));
        weightGradContext.setInputArray(1, delta.permute(1, 0, 2, 3));
        weightGradContext.setOutputArray(0, weightGradView.permute(1, 0, 2, 3));
        Nd4j.exec(new Conv2D(), weightGradContext);

        DefaultGradient g = new DefaultGradient();
        if (biasGradView != null) {
            sums.sum(delta, biasGradView);
            g.gradientForVariable().put(ConvolutionParamInitializer.BIAS_KEY, biasGradView);
        }
        g.gradientForVariable().put(ConvolutionParamInitializer.WEIGHT_KEY, weightGradView);
        return new Pair<>(g, null);
    }

    /** The cases the weight-gradient-as-convolution identity above holds for, with arrays laid out as it needs. */
    private static boolean supported(INDArray input, INDArray weights, INDArray delta, int[] strides, int[] dilation,
            ConvolutionMode convolutionMode, CNN2DFormat format) {
        return format == CNN2DFormat.NCHW && convolutionMode != ConvolutionMode.Same
                && input.dataType() == DataType.FLOAT && weights.dataType() == DataType.FLOAT
                && delta.dataType() == DataType.FLOAT && strides[0] == 1 && strides[1] == 1
                && dilation[0] == 1 && dilation[1] == 1 && delta.rank() == 4;
    }
}

package io.trainchain.trainer.runtime;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.LayerHelper;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * DL4J's oneDNN layer helpers: 5× faster convolutions on CPU than its im2col path, but off in M2.1 by default (see
 * ../shared/dl4j/README.md and {@link org.nd4j.nativeblas.Nd4jCpu} for the two upstream bugs worked around).
 */
public final class OneDnn {
    /** DL4J creates no layer helper at all unless this property is "false"; it defaults to "true". */
    static final String HELPERS_DISABLE = "org.eclipse.deeplearning4j.helpers.disable";

    private OneDnn() {
    }

    /** Call before any network is built. */
    public static void enableHelpers() {
        System.setProperty(HELPERS_DISABLE, "false");
    }

    public static boolean cpuBackend() {
        return Nd4j.getBackend().getClass().getName().contains(".cpu.");
    }

    /** Each convolution, pooling and batch-norm layer with the name of its helper class ("none" without one). */
    public static List<String> helpers(MultiLayerNetwork net) {
        List<String> out = new ArrayList<>();
        for (Layer l : net.getLayers()) {
            if (l instanceof ConvolutionLayer || l instanceof SubsamplingLayer || l instanceof BatchNormalization) {
                LayerHelper h = helper(l);
                out.add(l.getClass().getSimpleName() + "#" + l.getIndex() + "="
                        + (h == null ? "none" : h.getClass().getSimpleName()));
            }
        }
        return out;
    }

    /** Fails when a convolution or pooling layer on the CPU backend runs without a oneDNN helper. */
    public static void requireHelpers(MultiLayerNetwork net) {
        if (!cpuBackend()) {
            return;
        }
        List<String> missing = new ArrayList<>();
        for (Layer l : net.getLayers()) {
            LayerHelper h = helper(l);
            boolean oneDnn = h instanceof MKLDNNConvHelper || h instanceof MKLDNNSubsamplingHelper;
            if ((l instanceof ConvolutionLayer || l instanceof SubsamplingLayer) && !oneDnn) {
                missing.add(l.getClass().getSimpleName() + "#" + l.getIndex());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("oneDNN helpers missing on " + missing + ": the trainer would run "
                    + "~5× slower. Check that the nd4j-native linux-x86_64-onednn jar is on the class path and "
                    + "that " + HELPERS_DISABLE + "=false was set before the network was built.");
        }
    }

    private static LayerHelper helper(Layer l) {
        if (l instanceof ConvolutionLayer c) {
            return c.getHelper();
        }
        if (l instanceof BatchNormalization b) {
            return b.getHelper();
        }
        return l instanceof SubsamplingLayer s ? s.getHelper() : null;
    }
}

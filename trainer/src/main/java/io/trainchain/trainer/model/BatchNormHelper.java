package io.trainchain.trainer.model;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.api.ops.impl.layers.convolution.BatchNorm;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Collections;
import java.util.Map;

/**
 * Batch normalisation for NCHW float activations, replacing DL4J's oneDNN helper where that one is slow.
 *
 * <p>Why: DL4J's helper takes the batch mean and variance with ND4J reductions over axes (0, 2, 3) and runs libnd4j's
 * batchnorm_bp, which for these shapes is mostly not oneDNN: together 24 of a 60 ms step of the default net with
 * batch_norm (bench/trainer/profile '{"batch_norm":true}'), against 2.7 ms in oneDNN's own batch-norm primitives;
 * 11 ms with this helper.
 *
 * <p>How: per-channel sums as matrix-vector products (the activations as an [N·C, H·W] matrix times ones, then the
 * N rows of C summed the same way), and the backward pass in closed form with per-channel coefficients:
 * with T = x − μ, σ = √(var + ε), M = N·H·W: dβ = Σ δ, dγ = Σ δ·T / σ and
 * dx = (γ/σ)·δ − (γ·dγ / (σ²·M))·T − γ·dβ / (σ·M). The normalised output itself is still libnd4j's batchnorm op
 * (oneDNN). Anything else (other layouts or types) goes to DL4J's helper unchanged.
 */
public final class BatchNormHelper implements BatchNormalizationHelper {
    private final MKLDNNBatchNormHelper dl4j;
    private boolean delegated;
    private OpContext forward;
    private INDArray mean;
    private INDArray var;
    private final ChannelSums sums = new ChannelSums();

    public BatchNormHelper(DataType dataType) {
        this.dl4j = new MKLDNNBatchNormHelper(dataType);
    }

    /**
     * Gives every batch-norm layer of {@code net} this helper where DL4J gave it its oneDNN helper; call after
     * {@code init()} or a restore (saved models stay plain DL4J models).
     */
    public static int installOn(org.deeplearning4j.nn.multilayer.MultiLayerNetwork net) {
        int installed = 0;
        for (org.deeplearning4j.nn.api.Layer l : net.getLayers()) {
            if (l instanceof BatchNormalization bn && bn.getHelper() != null
                    && bn.getHelper().getClass() == MKLDNNBatchNormHelper.class
                    && bn.layerConf().getCnn2DFormat() == CNN2DFormat.NCHW && !bn.layerConf().isLockGammaBeta()) {
                LayerHelpers.replace(bn, BatchNormalization.class,
                        new BatchNormHelper(bn.getParam("gamma").dataType()));
                installed++;
            }
        }
        return installed;
    }

    @Override
    public boolean checkSupported(double eps, boolean fixedGammaBeta) {
        return dl4j.checkSupported(eps, fixedGammaBeta);
    }

    @Override
    public boolean checkSupported() {
        return dl4j.checkSupported();
    }

    @Override
    public INDArray preOutput(INDArray x, boolean training, long[] shape, INDArray gamma, INDArray beta,
            INDArray globalMean, INDArray globalVar, double decay, double eps, CNN2DFormat format,
            LayerWorkspaceMgr workspaceMgr) {
        delegated = !supported(x, gamma, beta, format);
        if (delegated) {
            return dl4j.preOutput(x, training, shape, gamma, beta, globalMean, globalVar, decay, eps, format,
                    workspaceMgr);
        }
        INDArray m;
        INDArray v;
        long channels = x.size(1);
        if (training) {
            if (mean == null || mean.length() != channels) {
                try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                    mean = Nd4j.create(DataType.FLOAT, channels);
                    var = Nd4j.create(DataType.FLOAT, channels);
                }
            }
            long perChannel = x.length() / channels;
            sums.sum(x, mean).divi(perChannel);
            INDArray centred = workspaceMgr.createUninitialized(ArrayType.FF_WORKING_MEM, DataType.FLOAT, x.shape());
            perChannel("subtract", x, mean, centred);
            centred.muli(centred);
            sums.sum(centred, var).divi(perChannel); // biased, as in DL4J's helper and batch norm's definition
            m = mean;
            v = var;
        } else {
            m = globalMean.reshape(globalMean.length());
            v = globalVar.reshape(globalVar.length());
        }
        if (forward == null) {
            forward = Nd4j.getExecutioner().buildContext();
            forward.setIArguments(1, 1, 1); // apply gamma, apply beta, channel axis 1
        }
        forward.setTArguments(eps);
        forward.purge();
        forward.setInputArray(0, x);
        forward.setInputArray(1, m);
        forward.setInputArray(2, v);
        forward.setInputArray(3, gamma.reshape(gamma.length()));
        forward.setInputArray(4, beta.reshape(beta.length()));
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.shape());
        forward.setOutputArray(0, out);
        Nd4j.exec(new BatchNorm(), forward);
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray x, INDArray delta, long[] shape, INDArray gamma,
            INDArray beta, INDArray dGammaView, INDArray dBetaView, double eps, CNN2DFormat format,
            LayerWorkspaceMgr workspaceMgr) {
        if (delegated) { // the forward pass went to DL4J's helper, which holds the batch statistics
            return dl4j.backpropGradient(x, delta, shape, gamma, beta, dGammaView, dBetaView, eps, format,
                    workspaceMgr);
        }
        if (mean == null || dGammaView == null) {
            throw new IllegalStateException("batch-norm backprop without a training forward pass or with fixed "
                    + "gamma/beta (installOn never installs it for those)");
        }
        delta = delta.castTo(DataType.FLOAT);
        if (!Shape.hasDefaultStridesForShape(delta)) {
            delta = delta.dup('c');
        }
        int channels = (int) x.size(1);
        double m = (double) x.length() / channels;
        INDArray dBeta = dBetaView.reshape(channels);
        INDArray dGamma = dGammaView.reshape(channels);
        sums.sum(delta, dBeta);
        INDArray centred = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT, x.shape());
        perChannel("subtract", x, mean, centred);
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, x.shape());
        Nd4j.exec(new MulOp(centred, delta, dx));
        sums.sum(dx, dGamma); // Σ δ·(x − μ); divided by σ below

        float[] g = gamma.reshape(channels).toFloatVector();
        float[] v = var.toFloatVector();
        float[] sumDeltaCentred = dGamma.toFloatVector();
        float[] sumDelta = dBeta.toFloatVector();
        float[] a = new float[channels];
        float[] b = new float[channels];
        float[] d = new float[channels];
        float[] dg = new float[channels];
        for (int c = 0; c < channels; c++) {
            double sigma = Math.sqrt(v[c] + eps);
            dg[c] = (float) (sumDeltaCentred[c] / sigma);
            a[c] = (float) (g[c] / sigma);
            b[c] = (float) (-g[c] * dg[c] / (sigma * sigma * m));
            d[c] = (float) (-g[c] * sumDelta[c] / (sigma * m));
        }
        dGamma.assign(Nd4j.createFromArray(dg));
        perChannel("multiply", delta, Nd4j.createFromArray(a), dx);
        perChannel("multiply", centred, Nd4j.createFromArray(b), centred);
        dx.addi(centred);
        perChannel("add", dx, Nd4j.createFromArray(d), dx);

        DefaultGradient grad = new DefaultGradient();
        grad.setGradientFor("gamma", dGammaView);
        grad.setGradientFor("beta", dBetaView);
        return new Pair<>(grad, dx);
    }

    /** out = x (op) v[c], v broadcast over batch and pixels; op is a libnd4j broadcastable op name. */
    private static void perChannel(String op, INDArray x, INDArray v, INDArray out) {
        Nd4j.exec(DynamicCustomOp.builder(op).addInputs(x, v.reshape('c', new long[]{1, v.length(), 1, 1}))
                .addOutputs(out).build());
    }

    private static boolean supported(INDArray x, INDArray gamma, INDArray beta, CNN2DFormat format) {
        return format == CNN2DFormat.NCHW && x.rank() == 4 && x.dataType() == DataType.FLOAT && gamma != null
                && beta != null;
    }

    @Override
    public INDArray getMeanCache(DataType dataType) {
        return delegated ? dl4j.getMeanCache(dataType) : mean;
    }

    @Override
    public INDArray getVarCache(DataType dataType) {
        return delegated ? dl4j.getVarCache(dataType) : var;
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return Collections.emptyMap();
    }
}

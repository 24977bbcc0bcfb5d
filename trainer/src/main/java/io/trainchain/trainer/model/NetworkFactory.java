package io.trainchain.trainer.model;

import io.trainchain.trainer.config.ConvBlock;
import io.trainchain.trainer.config.Pooling;
import io.trainchain.trainer.config.TrainConfig;
import io.trainchain.trainer.BadInputException;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/** Builds the CNN that a {@link TrainConfig} describes, for images of the given shape. */
public final class NetworkFactory {
    private NetworkFactory() {
    }

    public static MultiLayerNetwork build(TrainConfig c, int channels, int height, int width, int classes) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(c, channels, height, width, classes));
        net.init();
        return withFastHelpers(net);
    }

    /**
     * The configuration {@link #build} initialises, epoch and iteration counts 0: also what a checkpoint of the
     * same params is restored onto, without parsing the configuration.json DL4J saved in it.
     */
    public static MultiLayerConfiguration configuration(TrainConfig c, int channels, int height, int width,
                                                        int classes) {
        checkFits(c, height, width);
        Activation act = activation(c);
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(c.seed())
                .updater(updater(c))
                .weightInit(weightInit(c))
                // Keep each layer's pre-activation from the forward pass: without it DL4J runs every convolution's
                // and dense layer's forward pass a second time during backprop (44 instead of 22 oneDNN forward
                // convolutions a step in the oneDNN log).
                .cacheMode(CacheMode.DEVICE);
        if (c.l2() > 0) {
            base.l2(c.l2());
        }
        NeuralNetConfiguration.ListBuilder list = base.list();
        for (ConvBlock b : c.convBlocks()) {
            list.layer(new ConvolutionLayer.Builder(b.kernel(), b.kernel())
                    .stride(b.stride(), b.stride())
                    .padding(b.padding(), b.padding())
                    .nOut(b.filters())
                    .activation(c.batchNorm() ? Activation.IDENTITY : act)
                    .helperAllowFallback(false) // a failing oneDNN helper must be an error, not a silent 5× slowdown
                    .build());
            if (c.batchNorm()) {
                list.layer(new BatchNormalization.Builder().build());
                list.layer(new ActivationLayer.Builder().activation(act).build());
            }
            if (b.pooling() != Pooling.NONE) {
                list.layer(new SubsamplingLayer.Builder(b.pooling() == Pooling.MAX ? PoolingType.MAX : PoolingType.AVG)
                        .kernelSize(b.pool(), b.pool())
                        .stride(b.pool(), b.pool())
                        .helperAllowFallback(false)
                        .build());
            }
        }
        for (int units : c.denseUnits()) {
            DenseLayer.Builder dense = new DenseLayer.Builder().nOut(units)
                    .activation(c.batchNorm() ? Activation.IDENTITY : act);
            if (c.dropout() > 0) {
                dense.dropOut(1.0 - c.dropout()); // DL4J takes the probability of KEEPING a unit
            }
            list.layer(dense.build());
            if (c.batchNorm()) {
                list.layer(new BatchNormalization.Builder().build());
                list.layer(new ActivationLayer.Builder().activation(act).build());
            }
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD)
                .nOut(classes)
                .activation(Activation.SOFTMAX)
                .build());
        list.setInputType(InputType.convolutional(height, width, channels));
        return list.build();
    }

    /**
     * Swaps in our faster helpers where DL4J's own are slow (see {@link InputConvolutionHelper} and
     * {@link BatchNormHelper}); call on every network that will train, built or restored. Only helper objects
     * change, so saved models stay plain DL4J models.
     */
    public static MultiLayerNetwork withFastHelpers(MultiLayerNetwork net) {
        InputConvolutionHelper.installOn(net);
        BatchNormHelper.installOn(net);
        return net;
    }

    /** The blocks must leave at least a 1×1 map: say which block runs out of pixels instead of a DL4J shape error. */
    static void checkFits(TrainConfig c, int height, int width) {
        int h = height;
        int w = width;
        for (int i = 0; i < c.convBlocks().size(); i++) {
            ConvBlock b = c.convBlocks().get(i);
            h = (h + 2 * b.padding() - b.kernel()) / b.stride() + 1;
            w = (w + 2 * b.padding() - b.kernel()) / b.stride() + 1;
            if (b.pooling() != Pooling.NONE) {
                h = h / b.pool();
                w = w / b.pool();
            }
            if (h < 1 || w < 1) {
                throw new BadInputException("params: field 'conv_blocks[" + i + "]' leaves no pixels of the "
                        + height + "×" + width + " input (kernel " + b.kernel() + ", stride " + b.stride() + ", pool "
                        + b.pool() + "). Use fewer blocks, smaller kernels or padding.");
            }
        }
    }

    private static IUpdater updater(TrainConfig c) {
        // Epoch-based, so the schedule follows the epoch count a checkpoint restores.
        ISchedule lr = c.lrDecay() == 1.0 ? new FixedSchedule(c.learningRate())
                : new ExponentialSchedule(ScheduleType.EPOCH, c.learningRate(), c.lrDecay());
        return switch (c.optimizer()) {
            case ADAM -> new Adam(lr);
            case NESTEROVS -> new Nesterovs(lr, c.momentum());
            case SGD -> new Sgd(lr);
            case RMSPROP -> new RmsProp(lr);
            case ADADELTA -> new AdaDelta(); // AdaDelta has no learning rate
        };
    }

    private static Activation activation(TrainConfig c) {
        return switch (c.activation()) {
            case RELU -> Activation.RELU;
            case LEAKYRELU -> Activation.LEAKYRELU;
            case ELU -> Activation.ELU;
            case TANH -> Activation.TANH;
            case SIGMOID -> Activation.SIGMOID;
            case IDENTITY -> Activation.IDENTITY;
        };
    }

    private static WeightInit weightInit(TrainConfig c) {
        return switch (c.weightInit()) {
            case XAVIER -> WeightInit.XAVIER;
            case XAVIER_UNIFORM -> WeightInit.XAVIER_UNIFORM;
            case RELU -> WeightInit.RELU;
            case RELU_UNIFORM -> WeightInit.RELU_UNIFORM;
            case NORMAL -> WeightInit.NORMAL;
            case LECUN_NORMAL -> WeightInit.LECUN_NORMAL;
        };
    }
}

package io.trainchain.trainer.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainchain.trainer.BadInputException;
import io.trainchain.trainer.data.Dataset;
import io.trainchain.trainer.data.PixelScaling;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * {@code trainer --evaluate MODEL}: a saved model's test-set result on this data, no training. The registry uses it
 * to measure its champion on a challenger's test set, so two models are compared on the same images.
 */
public final class SavedModelEvaluation {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String SCALING = "pixel_scaling";

    private SavedModelEvaluation() {
    }

    /** Evaluates {@code model} on {@code data}'s test images; writes and returns evaluation.json in {@code outDir}. */
    public static ObjectNode run(Path model, Path outDir, Dataset data, Consumer<String> log) throws IOException {
        if (!Files.isRegularFile(model)) {
            throw new BadInputException(model + ": model file not found. --evaluate takes a model.zip the trainer "
                    + "wrote.");
        }
        MultiLayerNetwork net;
        try {
            net = ModelSerializer.restoreMultiLayerNetwork(model.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(model + ": not a model the trainer wrote (" + e.getMessage() + ").");
        }
        requireFits(net, data, model);
        data = withSavedScaling(model, data);
        Trainer.Scored test = Trainer.score(net, data.test(), data);
        ObjectNode evaluation = Evaluation.ofSavedModel(test.metrics(), test.loss(), data,
                model.getFileName().toString(), sha256(model));
        Files.createDirectories(outDir);
        AtomicFiles.writeString(outDir.resolve("evaluation.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(evaluation));
        log.accept(String.format(Locale.ROOT, "evaluated %s: accuracy %.4f, macro F1 %.4f on %d test images; "
                        + "wrote evaluation.json", model.getFileName(), test.metrics().accuracy(),
                test.metrics().macroF1(), data.test().size()));
        return evaluation;
    }

    /**
     * The pixel scaling the model was trained with goes into model.zip: CIFAR's is computed from the (possibly
     * limited) training images, so another --limit would otherwise feed the model differently scaled inputs.
     */
    static void addScaling(Path modelZip, PixelScaling scaling) {
        ModelSerializer.addObjectToFile(modelZip.toFile(), SCALING, new double[][]{scaling.mean(), scaling.std()});
    }

    /** {@code data} with the model's own scaling when model.zip has one (a model from before it: the data's). */
    static Dataset withSavedScaling(Path model, Dataset data) {
        if (!ModelSerializer.listObjectsInFile(model.toFile()).contains(SCALING)) {
            return data;
        }
        double[][] ms = ModelSerializer.getObjectFromFile(model.toFile(), SCALING);
        return data.withScaling(new PixelScaling(ms[0], ms[1]));
    }

    /** The model's input channels and classes against the data's: a mismatch is bad input, not a native crash. */
    static void requireFits(MultiLayerNetwork net, Dataset data, Path model) {
        Layer first = net.getLayerWiseConfigurations().getConf(0).getLayer();
        Layer last = net.getLayerWiseConfigurations().getConf(net.getnLayers() - 1).getLayer();
        long channels = first instanceof ConvolutionLayer c ? c.getNIn() : -1;
        long classes = last instanceof BaseOutputLayer o ? o.getNOut() : -1;
        if (channels > 0 && channels != data.train().channels() || classes > 0 && classes != data.numClasses()) {
            throw new BadInputException(String.format(Locale.ROOT, "%s takes %d-channel images into %d classes; "
                            + "the data %s has %d channels and %d classes. Evaluate a model trained on this kind of data.",
                    model, channels, classes, data.name(), data.train().channels(), data.numClasses()));
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            MessageDigest md = ((DigestInputStream) in).getMessageDigest();
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}

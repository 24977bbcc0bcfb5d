package io.trainchain.trainer.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainchain.trainer.config.ConfigJson;
import io.trainchain.trainer.config.TrainConfig;
import io.trainchain.trainer.data.Dataset;

import java.util.List;

/** Builds evaluation.json: the test-set result with everything needed to tell what produced it. */
final class Evaluation {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Evaluation() {
    }

    static ObjectNode toJson(ClassificationMetrics m, double testLoss, Dataset data, TrainConfig config,
                             int trainImages, int validationImages, int epochs, double trainingSeconds) {
        ObjectNode o = testResult(m, testLoss, data);
        o.put("train_images", trainImages);
        o.put("validation_images", validationImages);
        o.put("epochs", epochs);
        o.put("training_seconds", Math.round(trainingSeconds * 1000) / 1000.0);
        describe(o, m, data);
        o.set("params", ConfigJson.toJson(config));
        return o;
    }

    /** The test result of a saved model evaluated without training ({@code trainer --evaluate}). */
    static ObjectNode ofSavedModel(ClassificationMetrics m, double testLoss, Dataset data, String modelFile,
                                   String modelSha256) {
        ObjectNode o = testResult(m, testLoss, data);
        o.putObject("evaluated_model").put("file", modelFile).put("sha256", modelSha256);
        describe(o, m, data);
        return o;
    }

    private static ObjectNode testResult(ClassificationMetrics m, double testLoss, Dataset data) {
        ObjectNode o = JSON.createObjectNode();
        o.put("accuracy", m.accuracy());
        o.put("macro_f1", m.macroF1());
        o.put("test_loss", testLoss);
        o.put("test_images", data.test().size());
        return o;
    }

    private static void describe(ObjectNode o, ClassificationMetrics m, Dataset data) {
        List<String> names = data.classNames();
        ArrayNode perClass = o.putArray("per_class");
        for (int c = 0; c < names.size(); c++) {
            perClass.addObject().put("class", names.get(c)).put("precision", m.precision()[c])
                    .put("recall", m.recall()[c]).put("f1", m.f1()[c]).put("support", m.support()[c]);
        }
        ArrayNode cm = o.putArray("confusion_matrix");
        for (long[] row : m.confusion()) {
            ArrayNode r = cm.addArray();
            for (long v : row) {
                r.add(v);
            }
        }
        ArrayNode cn = o.putArray("class_names");
        names.forEach(cn::add);
        o.set("dataset", JSON.valueToTree(data.identity()));
        ObjectNode scaling = o.putObject("pixel_scaling");
        scaling.set("mean", JSON.valueToTree(data.scaling().mean()));
        scaling.set("std", JSON.valueToTree(data.scaling().std()));
    }
}

package io.trainchain.trainer.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainchain.trainer.BadInputException;
import io.trainchain.trainer.config.TrainConfig;
import io.trainchain.trainer.data.Dataset;
import io.trainchain.trainer.data.DatasetLoader;
import io.trainchain.trainer.data.PixelScaling;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** trainer --evaluate on real Fashion-MNIST: a saved model scored again, as the registry re-measures its champion. */
class SavedModelEvaluationIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSavedModelScoresWhatTrainingScoredOnTheSameImagesAndOtherwiseOnTheNewOnes(@TempDir Path tmp)
            throws Exception {
        Path trained = tmp.resolve("trained");
        JsonNode training = new Trainer(l -> { }).run(new TrainRequest(DatasetLoader.DEFAULT_DIR, trained,
                TrainConfig.defaults().withEpochs(1), 2000, false));
        Path model = trained.resolve("model.zip");

        List<String> log = new ArrayList<>();
        Dataset same = DatasetLoader.load(DatasetLoader.DEFAULT_DIR, 2000);
        JsonNode again = SavedModelEvaluation.run(model, tmp.resolve("same"), same, log::add);
        for (String k : List.of("accuracy", "macro_f1", "test_loss", "test_images", "confusion_matrix", "dataset")) {
            assertEquals(training.get(k), again.get(k), k + ": the same model on the same images");
        }
        assertEquals(again.toString(), JSON.readTree(tmp.resolve("same/evaluation.json").toFile()).toString());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(model))),
                again.path("evaluated_model").path("sha256").asText());
        assertTrue(log.get(0).startsWith("evaluated model.zip: accuracy "), log.toString());

        // Another test set (more images): other figures, and they say which images they are on.
        JsonNode other = SavedModelEvaluation.run(model, tmp.resolve("other"),
                DatasetLoader.load(DatasetLoader.DEFAULT_DIR, 5000), l -> { });
        assertEquals(5000, other.get("test_images").asInt());
        assertNotEquals(training.get("confusion_matrix"), other.get("confusion_matrix"));
        double acc = other.get("accuracy").asDouble();
        assertTrue(acc > 0.6 && acc < 1, "a sane accuracy: " + acc);

        // The model is fed as it was trained: the pixel scaling saved in model.zip wins over the data's (CIFAR's is
        // computed from the training images, so another --limit gives another one).
        assertEquals(training.get("pixel_scaling"), again.get("pixel_scaling"));
        Path rescaled = tmp.resolve("rescaled.zip");
        ModelSerializer.writeModel(ModelSerializer.restoreMultiLayerNetwork(model.toFile(), false), rescaled.toFile(),
                false);
        SavedModelEvaluation.addScaling(rescaled, new PixelScaling(new double[]{0.5}, new double[]{0.25}));
        JsonNode fed = SavedModelEvaluation.run(rescaled, tmp.resolve("rescaled"), same, l -> { });
        assertEquals("{\"mean\":[0.5],\"std\":[0.25]}", fed.get("pixel_scaling").toString());
        assertNotEquals(training.get("confusion_matrix"), fed.get("confusion_matrix"), "scored with that scaling");
    }

    @Test
    void aMissingOrForeignModelFileIsBadInput(@TempDir Path tmp) throws Exception {
        Dataset data = DatasetLoader.load(DatasetLoader.DEFAULT_DIR, 100);
        String m = assertThrows(BadInputException.class, () -> SavedModelEvaluation.run(tmp.resolve("nope.zip"),
                tmp.resolve("out"), data, l -> { })).getMessage();
        assertTrue(m.contains("nope.zip: model file not found"), m);
        Path junk = Files.writeString(tmp.resolve("junk.zip"), "not a zip");
        m = assertThrows(BadInputException.class, () -> SavedModelEvaluation.run(junk, tmp.resolve("out"), data,
                l -> { })).getMessage();
        assertTrue(m.contains("junk.zip: not a model the trainer wrote"), m);
        assertTrue(Files.notExists(tmp.resolve("out/evaluation.json")), "no result written for a failure");
    }
}

package io.trainchain.engine.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a gate metric was measured on, as a key: two models' values are comparable only on the same test set. From
 * evaluation.json: the data files' SHA-256 (sorted) and the number of test images (a --limit run tests fewer);
 * where the trainer recorded no checksums (a user's script), the dataset's name and the test count, marked weak.
 */
public final class TestSet {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestSet() {
    }

    public static String key(Path evaluationJson, String datasetName) {
        JsonNode eval = null;
        try {
            if (evaluationJson != null && Files.isRegularFile(evaluationJson)) {
                eval = JSON.readTree(evaluationJson.toFile());
            }
        } catch (IOException e) {
            eval = null; // the gate already said the file is unreadable; a weak key is all there is
        }
        String count = eval == null || !eval.path("test_images").isNumber() ? "?"
                : eval.get("test_images").asText();
        List<String> sums = new ArrayList<>();
        if (eval != null) {
            for (JsonNode f : eval.path("dataset").path("files")) {
                if (f.path("sha256").isTextual()) {
                    sums.add(f.get("sha256").asText());
                }
            }
        }
        if (sums.isEmpty()) {
            return "name:" + datasetName + ";test_images:" + count;
        }
        sums.sort(String::compareTo);
        return "sha256:" + String.join(",", sums) + ";test_images:" + count;
    }

    /** A key from the dataset's name only: the same name is not proof of the same files. */
    public static boolean weak(String key) {
        return key.startsWith("name:");
    }
}

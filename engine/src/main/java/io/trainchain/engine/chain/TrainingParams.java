package io.trainchain.engine.chain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainchain.engine.TrainchainException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The params the trainer gets. When trainchain.yaml has inline params or an epochs override applies, they are
 * merged over the user's file into a new params.json (the user's file is never edited); otherwise the user's file
 * is mounted as it is.
 *
 * @param json   the effective params as a JSON object (stored with the run)
 * @param source the user's file, or null
 * @param merged whether a merged file must be written and mounted instead of {@code source}
 * @param epochs the number of epochs the trainer will run (its default when the params do not say)
 */
public record TrainingParams(String json, Path source, boolean merged, int epochs) {

    /** The trainer's default epochs (README: params.json). */
    public static final int TRAINER_DEFAULT_EPOCHS = 2;
    public static final String MERGED_FILE = "params.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static TrainingParams resolve(ChainSettings s) {
        ObjectNode params = JSON.createObjectNode();
        if (s.paramsFile() != null) {
            params = read(s.paramsFile());
        }
        boolean merged = false;
        if (!s.inlineParams().isEmpty()) {
            params.setAll((ObjectNode) JSON.valueToTree(s.inlineParams()));
            merged = true;
        }
        if (s.epochs() != null) {
            params.put("epochs", s.epochs());
            merged = true;
        }
        JsonNode e = params.get("epochs");
        int epochs = e != null && e.canConvertToInt() ? e.asInt() : TRAINER_DEFAULT_EPOCHS;
        return new TrainingParams(params.toString(), s.paramsFile(), merged, epochs);
    }

    /** The file to mount: the merged one written into {@code runDir}, the user's file, or null for none. */
    public Path mountFile(Path runDir) {
        if (!merged) {
            return source;
        }
        Path file = runDir.resolve(MERGED_FILE);
        try {
            Files.createDirectories(runDir);
            Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(json)));
        } catch (IOException e) {
            throw TrainchainException.infrastructure("cannot write the merged params " + file + ": " + e.getMessage()
                    + "; check that the run folder is writable", e);
        }
        return file;
    }

    static ObjectNode read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw TrainchainException.badInput("params file " + file + " does not exist; fix the path given by "
                    + "--params or 'params:' in trainchain.yaml");
        }
        JsonNode node;
        try {
            node = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : ":" + e.getLocation().getLineNr();
            throw TrainchainException.badInput("params file " + file + where + " is not valid JSON ("
                    + e.getOriginalMessage() + "); write one object such as {\"epochs\": 2, \"batch_size\": 64}", e);
        } catch (IOException e) {
            throw TrainchainException.infrastructure("cannot read params file " + file + ": " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw TrainchainException.badInput("params file " + file + " must hold one JSON object such as "
                    + "{\"epochs\": 2}, but holds " + (node == null ? "nothing" : node.getNodeType()));
        }
        return (ObjectNode) node;
    }
}

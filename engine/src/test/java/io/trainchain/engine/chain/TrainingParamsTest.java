package io.trainchain.engine.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.config.ProjectConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingParamsTest {
    @TempDir
    Path repo;

    private ChainSettings settings(String yaml, Integer cliEpochs) throws Exception {
        Files.writeString(repo.resolve("params.json"), "{\"epochs\": 2, \"batch_size\": 64}");
        Files.writeString(repo.resolve("trainchain.yaml"), yaml);
        return MergeSettings.merge(ChainRequest.of(repo, null, repo).withImages(null, cliEpochs),
                ProjectConfig.load(repo));
    }

    @Test
    void theUsersFileIsMountedAsItIsWhenNothingOverridesIt() throws Exception {
        TrainingParams p = TrainingParams.resolve(settings("params: params.json\n", null));
        assertFalse(p.merged());
        assertEquals(2, p.epochs());
        Path run = repo.resolve("run");
        assertEquals(repo.resolve("params.json").toAbsolutePath().normalize(), p.mountFile(run));
        assertFalse(Files.exists(run.resolve("params.json")));
    }

    @Test
    void epochsOverrideIsWrittenIntoAMergedFileNotIntoTheUsersFile() throws Exception {
        TrainingParams p = TrainingParams.resolve(settings("params: params.json\nepochs: 5\n", 1));
        assertTrue(p.merged());
        assertEquals(1, p.epochs(), "the command line wins over the file's epochs");
        Path mounted = p.mountFile(repo.resolve("run"));
        assertEquals(repo.resolve("run/params.json"), mounted);
        JsonNode json = new ObjectMapper().readTree(mounted.toFile());
        assertEquals(1, json.get("epochs").asInt());
        assertEquals(64, json.get("batch_size").asInt());
        assertEquals("{\"epochs\": 2, \"batch_size\": 64}", Files.readString(repo.resolve("params.json")));
    }

    @Test
    void inlineParamsMergeOverTheTrainerDefaults() throws Exception {
        TrainingParams p = TrainingParams.resolve(settings("params: {learning_rate: 0.01, epochs: 3}\n", null));
        assertTrue(p.merged());
        assertNull(p.source());
        assertEquals(3, p.epochs());
        assertEquals(0.01, new ObjectMapper().readTree(p.json()).get("learning_rate").asDouble());
    }

    @Test
    void noParamsAtAllMeansTheTrainersDefaults() throws Exception {
        TrainingParams p = TrainingParams.resolve(settings("{}\n", null));
        assertFalse(p.merged());
        assertNull(p.mountFile(repo.resolve("run")));
        assertEquals(TrainingParams.TRAINER_DEFAULT_EPOCHS, p.epochs());
        assertEquals("{}", p.json());
    }

    @Test
    void aParamsFileThatIsNotAnObjectIsBadInputWithItsPath() throws Exception {
        ChainSettings s = settings("params: params.json\n", null);
        Files.writeString(repo.resolve("params.json"), "[1, 2]");
        TrainchainException e = assertThrows(TrainchainException.class, () -> TrainingParams.resolve(s));
        assertEquals(TrainchainException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().contains("params.json must hold one JSON object"), e.getMessage());
    }
}

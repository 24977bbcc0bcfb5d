package io.trainchain.trainer.config;

import io.trainchain.trainer.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigReaderTest {

    @Test
    void emptyObjectGivesTheDefaults() {
        assertEquals(TrainConfig.defaults(), ConfigReader.parse("{}", "p.json"));
    }

    @Test
    void readsEveryField() {
        TrainConfig c = ConfigReader.parse("""
                {"learning_rate": 0.01, "lr_decay": 0.7, "optimizer": "Nesterovs", "momentum": 0.8, "batch_size": 32, "epochs": 3,
                 "conv_blocks": [{"filters": 8, "kernel": 3, "padding": 1, "pooling": "avg", "pool": 2},
                                 {"filters": 16, "kernel": 3, "stride": 2, "pooling": "none"}],
                 "dense_units": [64, 32], "dropout": 0.25, "l2": 0.0001, "batch_norm": true,
                 "activation": "elu", "weight_init": "xavier", "seed": 7, "validation_fraction": 0.2}""", "p.json");
        assertEquals(0.01, c.learningRate());
        assertEquals(0.7, c.lrDecay());
        assertEquals(Optimizer.NESTEROVS, c.optimizer());
        assertEquals(32, c.batchSize());
        assertEquals(3, c.epochs());
        assertEquals(new ConvBlock(8, 3, 1, 1, Pooling.AVG, 2), c.convBlocks().get(0));
        assertEquals(new ConvBlock(16, 3, 2, 0, Pooling.NONE, 2), c.convBlocks().get(1));
        assertEquals(java.util.List.of(64, 32), c.denseUnits());
        assertEquals(0.25, c.dropout());
        assertTrue(c.batchNorm());
        assertEquals(Activation.ELU, c.activation());
        assertEquals(WeightInit.XAVIER, c.weightInit());
        assertEquals(7L, c.seed());
        assertEquals(0.2, c.validationFraction());
    }

    @Test
    void roundTripsThroughConfigJson() {
        TrainConfig c = ConfigReader.parse("{\"optimizer\":\"rmsprop\",\"batch_norm\":true,\"dense_units\":[10]}", "x");
        assertEquals(c, ConfigReader.parse(ConfigJson.toJson(c).toString(), "x"));
        assertEquals(c, ConfigReader.parse(ConfigJson.toJson(c), "x"), "as a tree too");
    }

    @Test
    void unknownOptimizerNamesTheFieldAndTheChoices() {
        String m = error("{\"optimizer\": \"adamw\"}");
        assertTrue(m.contains("p.json: field 'optimizer' has unknown value \"adamw\""), m);
        assertTrue(m.contains("adam, nesterovs, sgd, rmsprop, adadelta"), m);
    }

    @Test
    void zeroOrNegativeEpochsAreRefused() {
        assertTrue(error("{\"epochs\": 0}").contains("field 'epochs' is 0"));
        assertTrue(error("{\"epochs\": -3}").contains("field 'epochs' is -3"));
        assertTrue(error("{\"epochs\": 1.5}").contains("expected a whole number"));
    }

    @Test
    void unknownFieldIsRefusedNotIgnored() {
        String m = error("{\"learningrate\": 0.1}");
        assertTrue(m.contains("field 'learningrate' is not a known field"), m);
        assertTrue(m.contains("learning_rate"), m);
    }

    @Test
    void blockFieldsAreCheckedWithTheirPath() {
        assertTrue(error("{\"conv_blocks\": [{\"filters\": 8}]}").contains("'conv_blocks[0]' needs both"));
        assertTrue(error("{\"conv_blocks\": [{\"filters\": 8, \"kernel\": 3, \"pooling\": \"min\"}]}")
                .contains("'conv_blocks[0].pooling' has unknown value \"min\""));
        assertTrue(error("{\"dense_units\": [0]}").contains("'dense_units[0]'"));
    }

    @Test
    void typesAndRangesAreChecked() {
        assertTrue(error("{\"learning_rate\": \"fast\"}").contains("expected a number"));
        assertTrue(error("{\"learning_rate\": 0}").contains("'learning_rate' is 0.0"));
        assertTrue(error("{\"dropout\": 1}").contains("'dropout'"));
        assertTrue(error("{\"lr_decay\": 1.5}").contains("'lr_decay' is 1.5"));
        assertTrue(error("{\"batch_norm\": \"yes\"}").contains("expected true or false"));
    }

    @Test
    void badJsonSaysWhere() {
        String m = error("{\"epochs\": 2,,}");
        assertTrue(m.startsWith("p.json: not valid JSON at line 1"), m);
        assertTrue(error("[1, 2]").contains("expected a JSON object"));
    }

    @Test
    void missingOrUnreadableFile(@TempDir Path dir) throws Exception {
        BadInputException e = assertThrows(BadInputException.class, () -> ConfigReader.read(dir.resolve("nope.json")));
        assertTrue(e.getMessage().contains("nope.json: params file not found"), e.getMessage());
        Path folder = Files.createDirectory(dir.resolve("folder.json"));
        e = assertThrows(BadInputException.class, () -> ConfigReader.read(folder));
        assertTrue(e.getMessage().contains("folder.json: cannot read the params file"), e.getMessage());
    }

    private static String error(String json) {
        return assertThrows(BadInputException.class, () -> ConfigReader.parse(json, "p.json")).getMessage();
    }
}

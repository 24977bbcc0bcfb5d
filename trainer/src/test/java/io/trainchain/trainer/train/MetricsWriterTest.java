package io.trainchain.trainer.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eachEpochIsVisibleAsSoonAsItIsWritten(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("metrics.jsonl");
        try (MetricsWriter w = MetricsWriter.open(f, 0)) {
            w.write(new EpochMetrics(1, 0.5, 0.4, 0.85, 0.84, 12.3456, 4321.09));
            List<String> lines = Files.readAllLines(f); // read while the writer is still open
            assertEquals(1, lines.size());
            var o = JSON.readTree(lines.get(0));
            assertEquals(1, o.get("epoch").asInt());
            assertEquals(0.85, o.get("val_accuracy").asDouble());
            assertEquals(12.346, o.get("seconds").asDouble());
            assertEquals(4321.1, o.get("images_per_second").asDouble());
            for (String k : List.of("train_loss", "val_loss", "val_macro_f1")) {
                assertTrue(o.has(k), k);
            }
        }
    }

    @Test
    void noValidationIsWrittenAsNull(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("m.jsonl");
        try (MetricsWriter w = MetricsWriter.open(f, 0)) {
            w.write(new EpochMetrics(1, 0.5, Double.NaN, Double.NaN, Double.NaN, 1, 1));
        }
        assertTrue(JSON.readTree(Files.readAllLines(f).get(0)).get("val_loss").isNull());
    }

    @Test
    void reopeningForAResumeDropsLaterAndTornLines(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("metrics.jsonl");
        Files.writeString(f, "{\"epoch\":1,\"train_loss\":1}\n{\"epoch\":2,\"train_loss\":0.9}\n"
                + "{\"epoch\":3,\"train_loss\":0.8}\n{\"epoch\":4,\"tra");
        try (MetricsWriter w = MetricsWriter.open(f, 2)) {
            w.write(new EpochMetrics(3, 0.7, 0.6, 0.9, 0.9, 1, 1));
        }
        List<String> lines = Files.readAllLines(f);
        assertEquals(3, lines.size());
        assertEquals(0.7, JSON.readTree(lines.get(2)).get("train_loss").asDouble());
    }
}

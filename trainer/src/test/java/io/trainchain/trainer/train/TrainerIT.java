package io.trainchain.trainer.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainchain.trainer.config.TrainConfig;
import io.trainchain.trainer.data.DatasetLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real training on real Fashion-MNIST (a few thousand images, one epoch), checked against the output contract. */
class TrainerIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void oneEpochOnRealDataFulfilsTheOutputContract(@TempDir Path out) throws Exception {
        List<String> log = new ArrayList<>();
        JsonNode eval = new Trainer(log::add).run(new TrainRequest(DatasetLoader.DEFAULT_DIR, out,
                TrainConfig.defaults().withEpochs(1), 4000, false));

        List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertEquals(1, lines.size());
        JsonNode m = JSON.readTree(lines.get(0));
        for (String k : List.of("epoch", "train_loss", "val_loss", "val_accuracy", "val_macro_f1", "seconds",
                "images_per_second")) {
            assertTrue(m.get(k).isNumber(), k + " in " + m);
        }
        assertTrue(Files.size(out.resolve("model.zip")) > 100_000);
        assertTrue(Files.exists(out.resolve("checkpoints/checkpoint-epoch-0001.zip")));

        JsonNode onDisk = JSON.readTree(out.resolve("evaluation.json").toFile());
        assertEquals(eval.toString(), onDisk.toString());
        double acc = onDisk.get("accuracy").asDouble();
        assertTrue(acc > 0.65 && acc < 1.0, "a sane accuracy after 1 epoch on 3,600 images: " + acc);
        assertEquals(4000, onDisk.get("test_images").asInt());
        assertEquals(3600, onDisk.get("train_images").asInt());
        assertEquals(10, onDisk.get("per_class").size());
        assertEquals(10, onDisk.get("confusion_matrix").size());
        long total = 0;
        for (JsonNode row : onDisk.get("confusion_matrix")) {
            for (JsonNode v : row) {
                total += v.asLong();
            }
        }
        assertEquals(4000, total);
        assertEquals("fashion-mnist", onDisk.at("/dataset/name").asText());
        assertEquals(64, onDisk.at("/dataset/files/0/sha256").asText().length());
        assertEquals(1, onDisk.at("/params/epochs").asInt());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("epoch 1/1: train_loss")), log.toString());
    }

    @Test
    void withoutAValidationSplitTheValidationMetricsAreNull(@TempDir Path out) throws Exception {
        List<String> log = new ArrayList<>();
        TrainConfig cfg = io.trainchain.trainer.config.ConfigReader.parse(
                "{\"epochs\": 1, \"validation_fraction\": 0}", "params");
        JsonNode eval = new Trainer(log::add).run(new TrainRequest(DatasetLoader.DEFAULT_DIR, out, cfg, 2000, false));
        JsonNode m = JSON.readTree(Files.readAllLines(out.resolve("metrics.jsonl")).get(0));
        assertTrue(m.get("val_accuracy").isNull(), m.toString());
        assertTrue(m.get("train_loss").isNumber(), m.toString());
        assertEquals(2000, eval.get("train_images").asInt());
        assertEquals(0, eval.get("validation_images").asInt());
        assertTrue(log.stream().anyMatch(l -> l.contains("no validation split")), log.toString());
    }

    @Test
    void everySecondEpochWritesEpochEndCheckpointsOnlyAfterEpochTwoOfThree(@TempDir Path out) throws Exception {
        List<String> log = new ArrayList<>();
        TrainConfig cfg = io.trainchain.trainer.config.ConfigReader.parse("{\"epochs\": 3, \"conv_blocks\": "
                + "[{\"filters\": 4, \"kernel\": 5}], \"dense_units\": [16]}", "params");
        new Trainer(log::add).run(new TrainRequest(DatasetLoader.DEFAULT_DIR, out, cfg, 1000, false,
                new CheckpointPolicy(2, 0)));
        try (var files = Files.list(out.resolve("checkpoints"))) {
            assertEquals(List.of("checkpoint-epoch-0002.zip"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(3, Files.readAllLines(out.resolve("metrics.jsonl")).size());
        List<String> written = log.stream().filter(l -> l.startsWith("checkpoint ")).toList();
        assertEquals(1, written.size(), log.toString());
        assertTrue(written.get(0).matches("checkpoint checkpoint-epoch-0002\\.zip written \\(epoch 2, batch 0\\) "
                + "in \\d+\\.\\d\\d s"), written.get(0));
        assertEquals(1, log.stream().filter(l -> l.startsWith("first training step done ")).count(), log.toString());
    }

    @Test
    void aStandbyWritesNothingUntilItsSignalThenResumesFromTheNewestCheckpoint(@TempDir Path out) throws Exception {
        TrainConfig cfg = io.trainchain.trainer.config.ConfigReader.parse("{\"epochs\": 1, \"conv_blocks\": "
                + "[{\"filters\": 4, \"kernel\": 5}], \"dense_units\": [16]}", "params");
        new Trainer(l -> { }).run(new TrainRequest(DatasetLoader.DEFAULT_DIR, out, cfg, 1000, false));
        Files.delete(out.resolve("evaluation.json"));
        Files.delete(out.resolve("model.zip"));
        List<String> before = listing(out);
        String metrics = Files.readString(out.resolve("metrics.jsonl"));

        List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
        Path signal = out.resolve(".standby-test.go");
        java.util.concurrent.FutureTask<JsonNode> standby = new java.util.concurrent.FutureTask<>(() ->
                new Trainer(log::add).run(new TrainRequest(DatasetLoader.DEFAULT_DIR, out, cfg.withEpochs(2), 1000,
                        true, CheckpointPolicy.DEFAULT, signal)));
        new Thread(standby, "standby").start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (log.stream().noneMatch(l -> l.startsWith("standby: ready")) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(300); // it must stay waiting
        assertTrue(log.stream().anyMatch(l -> l.startsWith("standby: ready")), log.toString());
        assertTrue(!standby.isDone(), "a standby without its signal must wait: " + log);
        assertEquals(before, listing(out), "a standby writes nothing before its signal");
        assertEquals(metrics, Files.readString(out.resolve("metrics.jsonl")));

        Files.writeString(signal, "");
        JsonNode eval = standby.get(120, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(log.stream().anyMatch(l -> l.startsWith("standby: activated after ")), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("resuming from checkpoint-epoch-0001.zip after epoch 1, "
                + "batch 0")), log.toString());
        assertEquals(2, Files.readAllLines(out.resolve("metrics.jsonl")).size());
        assertEquals(2, eval.at("/params/epochs").asInt());
    }

    private static List<String> listing(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            return files.map(p -> dir.relativize(p) + " " + p.toFile().length() + " " + p.toFile().lastModified())
                    .sorted().toList();
        }
    }
}

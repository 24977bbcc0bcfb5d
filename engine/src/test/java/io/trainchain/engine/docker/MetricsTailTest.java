package io.trainchain.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MetricsTailTest {

    @Test
    void reportsOnlyCompleteLinesOnceEach(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("metrics.jsonl");
        List<JsonNode> seen = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        MetricsTail tail = new MetricsTail(f, seen::add, bad::add);
        assertEquals(0, tail.poll(), "missing file is fine");

        Files.writeString(f, "{\"epoch\":1,\"val_accuracy\":0.5}\n{\"epoch\":2,");
        assertEquals(1, tail.poll());
        Files.writeString(f, "\"val_accuracy\":0.6}\nnot json\n", StandardOpenOption.APPEND);
        assertEquals(1, tail.poll());
        assertEquals(0, tail.poll());
        assertEquals(2, seen.size());
        assertEquals(0.6, seen.get(1).get("val_accuracy").asDouble(), 1e-9);
        assertEquals(1, bad.size());
        assertEquals(2, tail.records().size());
    }

    @Test
    void aResumedTrainerRewritingTheFileReportsEachEpochOnce(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("metrics.jsonl");
        List<JsonNode> seen = new ArrayList<>();
        MetricsTail tail = new MetricsTail(f, seen::add, line -> { });
        Files.writeString(f, "{\"epoch\":1,\"train_loss\":0.9}\n{\"epoch\":2,\"train_loss\":0.7}\n");
        assertEquals(2, tail.poll());

        // The resumed trainer keeps epoch 1 (its checkpoint), writes a new file by rename and repeats epoch 2,
        // then adds 3: the new file is as long as the old one, so only its identity tells it is another file.
        Path next = tmp.resolve("metrics.jsonl.tmp");
        Files.writeString(next, "{\"epoch\":1,\"train_loss\":0.9}\n{\"epoch\":2,\"train_loss\":0.7}\n"
                + "{\"epoch\":3,\"train_loss\":0.6}\n");
        Files.move(next, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        assertEquals(1, tail.poll());
        assertEquals(List.of(1, 2, 3), seen.stream().map(n -> n.get("epoch").asInt()).toList());
        assertEquals(3, tail.lastEpoch());
    }
}

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
}

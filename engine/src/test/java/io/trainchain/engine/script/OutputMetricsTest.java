package io.trainchain.engine.script;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainchain.engine.ChainListener;
import io.trainchain.engine.config.ScriptConfig.MetricRule;
import io.trainchain.engine.config.ScriptConfig.Per;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The collector turns a script's output and files into the contract's metrics.jsonl and evaluation.json. */
class OutputMetricsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path out;
    @TempDir
    Path work;

    private final List<String> passed = new ArrayList<>();
    private final ChainListener sink = (step, line) -> passed.add(line);

    private static MetricRule rule(String name, String regex, String file, double scale, Per per) {
        return new MetricRule(name, regex == null ? null : Pattern.compile(regex), file, scale, per);
    }

    @Test
    void epochLinesFinalLinesAndAFileBecomeTheContract() throws IOException {
        OutputMetrics m = new OutputMetrics(List.of(rule("train_loss", "Epoch \\d+ loss: ([0-9.]+)", null, 1, Per.EPOCH),
                rule("accuracy", "Test Accuracy \\(Overall\\): (\\d+)%", null, 0.01, Per.FINAL),
                rule("from_file", null, "accuracy.txt", 0.01, Per.FINAL)), out, false, sink);
        m.log("train", "Epoch 1 loss: 0.52");
        m.log("train", "Epoch 2 loss: 0.40");
        assertEquals(2, Files.readAllLines(out.resolve("metrics.jsonl")).size(), "written as the epochs come");
        m.log("train", "Test Accuracy (Overall): 85%");
        Files.writeString(work.resolve("accuracy.txt"), "86\n");
        Map<String, String> missing = m.finish(work);

        assertEquals(Map.of(), missing);
        assertEquals(List.of("Epoch 1 loss: 0.52", "Epoch 2 loss: 0.40", "Test Accuracy (Overall): 85%"), passed,
                "every line goes on to the log");
        JsonNode e2 = JSON.readTree(Files.readAllLines(out.resolve("metrics.jsonl")).get(1));
        assertEquals(2, e2.get("epoch").asInt());
        assertEquals(0.40, e2.get("train_loss").asDouble(), 1e-12);
        JsonNode eval = JSON.readTree(out.resolve("evaluation.json").toFile());
        assertEquals(0.85, eval.get("accuracy").asDouble(), 1e-12);
        assertEquals(0.86, eval.get("from_file").asDouble(), 1e-12);
        assertEquals(0.40, eval.get("train_loss").asDouble(), 1e-12, "the last epoch's value stands for the run");
    }

    @Test
    void aRegexThatNeverMatchedIsToldWithTheRegexAndTheLastLines() throws IOException {
        OutputMetrics m = new OutputMetrics(List.of(rule("accuracy", "acc=([0-9.]+)", null, 1, Per.FINAL),
                rule("f", null, "result.txt", 1, Per.FINAL)), out, false, sink);
        m.log("train", "loading");
        m.log("train", "accuracy is 0.9");
        Map<String, String> missing = m.finish(work);
        assertTrue(missing.get("accuracy").startsWith("metric 'accuracy': regex 'acc=([0-9.]+)' never matched the "
                + "output; last lines:\n  loading\n  accuracy is 0.9"), missing.get("accuracy"));
        assertTrue(missing.get("f").contains("the script left no file " + work.resolve("result.txt")), missing.get("f"));
    }

    @Test
    void aRestartFromScratchCountsEpochsAgainAndTheScriptsOwnEvaluationIsKept() throws IOException {
        Files.writeString(out.resolve("evaluation.json"), "{\"accuracy\": 0.5, \"note\": \"mine\"}");
        OutputMetrics m = new OutputMetrics(List.of(rule("loss", "loss ([0-9.]+)", null, 1, Per.EPOCH),
                rule("accuracy", "acc ([0-9.]+)", null, 1, Per.FINAL)), out, false, sink);
        m.log("train", "loss 0.9");
        m.log("train", "loss 0.8");
        m.log("train", "watch: restart 1 of 3, resuming from scratch (no checkpoint yet)");
        m.log("train", "loss 0.7");
        m.log("train", "acc 0.8");
        m.finish(work);
        List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertEquals(1, lines.size(), lines.toString());
        assertEquals(0.7, JSON.readTree(lines.get(0)).get("loss").asDouble(), 1e-12);
        JsonNode eval = JSON.readTree(out.resolve("evaluation.json").toFile());
        assertEquals(0.5, eval.get("accuracy").asDouble(), "the script's own value wins");
        assertEquals("mine", eval.get("note").asText());
    }
}

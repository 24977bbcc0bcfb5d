package io.trainchain.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged trainer, run as its own JVM the way the engine runs it: one run is killed (SIGKILL) after its first
 * checkpoint (an epoch-end one, or a time-based one mid-epoch) and resumed; its metrics and test result must equal
 * those of an uninterrupted run with the same seed.
 */
class ResumeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path JAR = Path.of("target/dist/trainchain-trainer.jar");

    @Test
    void killedAndResumedRunEndsExactlyLikeAnUninterruptedOne(@TempDir Path tmp) throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR + " missing: run after mvn package");
        Path params = Files.writeString(tmp.resolve("params.json"), "{\"epochs\": 3, \"dropout\": 0.25}");

        Path whole = tmp.resolve("whole");
        Process full = start(whole, params, false);
        assertTrue(full.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, full.exitValue(), Files.readString(whole.resolve("log.txt")));

        Path cut = tmp.resolve("cut");
        Process p = start(cut, params, false);
        Path first = cut.resolve("checkpoints/checkpoint-epoch-0001.zip");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!Files.exists(first) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(first), "no first checkpoint");
        p.destroyForcibly().waitFor();
        assertTrue(!Files.exists(cut.resolve("evaluation.json")), "killed before the end");

        Process resumed = start(cut, params, true);
        assertTrue(resumed.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, resumed.exitValue(), Files.readString(cut.resolve("log.txt")));
        assertTrue(Files.readString(cut.resolve("log.txt")).contains("resuming from checkpoint-epoch-000"));

        List<JsonNode> a = metrics(whole);
        List<JsonNode> b = metrics(cut);
        assertEquals(3, a.size());
        assertEquals(3, b.size());
        for (int i = 0; i < 3; i++) {
            for (String k : List.of("epoch", "train_loss", "val_loss", "val_accuracy", "val_macro_f1")) {
                assertEquals(a.get(i).get(k), b.get(i).get(k), "epoch " + (i + 1) + " " + k);
            }
        }
        JsonNode ea = JSON.readTree(whole.resolve("evaluation.json").toFile());
        JsonNode eb = JSON.readTree(cut.resolve("evaluation.json").toFile());
        assertEquals(ea.get("accuracy"), eb.get("accuracy"));
        assertEquals(ea.get("confusion_matrix"), eb.get("confusion_matrix"));
    }

    @Test
    void killedMidEpochAndResumedRunEndsExactlyLikeAnUninterruptedOne(@TempDir Path tmp) throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR + " missing: run after mvn package");
        Path params = Files.writeString(tmp.resolve("params.json"), "{\"epochs\": 2, \"dropout\": 0.25}");

        // Uninterrupted and without time-based checkpoints: writing them must not change what is trained either.
        Path whole = tmp.resolve("whole");
        Process full = start(whole, params, false);
        assertTrue(full.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, full.exitValue(), Files.readString(whole.resolve("log.txt")));

        // A checkpoint every 0.3 s: several land inside epoch 1 (~36 batches of ~40 ms); kill at the first one.
        Path cut = tmp.resolve("cut");
        Process p = start(cut, params, false, "--checkpoint-every-minutes", "0.005");
        Pattern midEpoch1 = Pattern.compile("checkpoint-epoch-0000-batch-\\d+\\.zip");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!anyCheckpoint(cut, midEpoch1) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(anyCheckpoint(cut, midEpoch1), "no mid-epoch checkpoint in epoch 1: "
                + Files.readString(cut.resolve("log.txt")));
        p.destroyForcibly().waitFor();
        assertTrue(!anyCheckpoint(cut, Pattern.compile("checkpoint-epoch-0001\\.zip")), "killed before epoch 1 ended");

        Process resumed = start(cut, params, true, "--checkpoint-every-minutes", "0.005");
        assertTrue(resumed.waitFor(5, TimeUnit.MINUTES));
        String log = Files.readString(cut.resolve("log.txt"));
        assertEquals(0, resumed.exitValue(), log);
        Matcher m = Pattern.compile("resuming from checkpoint-epoch-0000-batch-(\\d+)\\.zip after epoch 0, batch "
                + "(\\d+) \\(iteration (\\d+)\\); restored in \\d+\\.\\d\\d s").matcher(log);
        assertTrue(m.find(), log);
        int batch = Integer.parseInt(m.group(2));
        assertTrue(batch > 0, log);
        assertEquals(batch, Integer.parseInt(m.group(1)));
        assertEquals(batch, Integer.parseInt(m.group(3)), "iteration = batches done in epoch 1");
        assertTrue(Pattern.compile("checkpoint checkpoint-epoch-0000-batch-\\d{5}\\.zip written \\(epoch 0, batch "
                + "\\d+\\) in \\d+\\.\\d\\d s").matcher(log).find(), log);
        assertEquals(2, Pattern.compile("first training step done \\d+\\.\\d\\d s after the JVM started")
                .matcher(log).results().count(), "once per process: " + log);

        List<JsonNode> a = metrics(whole);
        List<JsonNode> b = metrics(cut);
        assertEquals(2, a.size());
        assertEquals(2, b.size());
        for (int i = 0; i < 2; i++) {
            for (String k : List.of("epoch", "train_loss", "val_loss", "val_accuracy", "val_macro_f1")) {
                assertEquals(a.get(i).get(k), b.get(i).get(k), "epoch " + (i + 1) + " " + k);
            }
        }
        ObjectNode ea = (ObjectNode) JSON.readTree(whole.resolve("evaluation.json").toFile());
        ObjectNode eb = (ObjectNode) JSON.readTree(cut.resolve("evaluation.json").toFile());
        assertTrue(ea.remove("training_seconds").isNumber());
        assertTrue(eb.remove("training_seconds").isNumber());
        assertEquals(ea, eb, "evaluation.json but for training_seconds");
    }

    private static boolean anyCheckpoint(Path out, Pattern name) throws IOException {
        Path dir = out.resolve("checkpoints");
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(f -> name.matcher(f.getFileName().toString()).matches());
        }
    }

    private static Process start(Path out, Path params, boolean resume, String... more) throws IOException {
        Files.createDirectories(out);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "--out", out.toString(), "--params", params.toString(), "--limit", "5000"));
        if (resume) {
            cmd.add("--resume");
        }
        cmd.addAll(List.of(more));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.resolve("log.txt").toFile()));
        pb.environment().put("OMP_NUM_THREADS", "2");
        pb.environment().put("OMP_PROC_BIND", "true");
        return pb.start();
    }

    private static List<JsonNode> metrics(Path out) throws IOException {
        List<JsonNode> l = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            l.add(JSON.readTree(line));
        }
        return l;
    }
}

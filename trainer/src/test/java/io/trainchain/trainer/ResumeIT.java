package io.trainchain.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged trainer, run as its own JVM the way the engine runs it: one run is killed (SIGKILL) after its first
 * checkpoint and resumed; its metrics and test result must equal those of an uninterrupted run with the same seed.
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

    private static Process start(Path out, Path params, boolean resume) throws IOException {
        Files.createDirectories(out);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "--out", out.toString(), "--params", params.toString(), "--limit", "5000"));
        if (resume) {
            cmd.add("--resume");
        }
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

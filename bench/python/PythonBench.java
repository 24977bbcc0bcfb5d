import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainchain.engine.ChainListener;
import io.trainchain.engine.TrainerEnvironment;
import io.trainchain.engine.chain.ChainRequest;
import io.trainchain.engine.chain.ChainResult;
import io.trainchain.engine.chain.ChainRunner;
import io.trainchain.engine.chain.GateOverride;
import io.trainchain.engine.docker.DockerConnector;
import io.trainchain.engine.store.RunStore;
import io.trainchain.engine.store.StepTiming;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * bench/python (see run): the PyTorch example in its container beside the same script on the host, and the chain's
 * overhead besides training for the PyTorch and scikit-learn examples.
 */
public class PythonBench {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Timestamps of a run's train step: the container's lines as they arrive. */
    static final class Clock implements ChainListener {
        long trainStarted;
        long created;
        long firstLine;
        long firstEpoch;
        long lastLine;
        long trainFinished;

        @Override
        public synchronized void log(String step, String line) {
            if (!step.equals(ChainRunner.TRAIN)) {
                return;
            }
            long now = System.nanoTime();
            if (line.startsWith("container ") && line.contains(" from ")) {
                created = now; // the engine's line, right before the create request
                return;
            }
            if (line.startsWith("watch: ") || line.startsWith("model: ") || line.startsWith("training finished")) {
                return; // the engine's, not the script's
            }
            if (line.startsWith("trainchain: exec ")) {
                firstLine = now; // the launcher's last line: the script starts (imports included)
                return;
            }
            if (firstLine == 0) {
                firstLine = now;
            }
            if (firstEpoch == 0 && line.startsWith("epoch 1:")) {
                firstEpoch = now;
            }
            lastLine = now;
        }

        @Override
        public synchronized void stepStarted(String step) {
            if (step.equals(ChainRunner.TRAIN)) {
                trainStarted = System.nanoTime();
            }
        }

        @Override
        public synchronized void stepFinished(String step, boolean success, String summary) {
            if (step.equals(ChainRunner.TRAIN)) {
                trainFinished = System.nanoTime();
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]).toAbsolutePath().normalize();
        int runs = Integer.parseInt(args[1]);
        Path work = Files.createTempDirectory("trainchain-bench-python-");
        Path data = Path.of("/usr/share/datasets/fashion-mnist");
        int threads = Math.min(2, Runtime.getRuntime().availableProcessors());
        ChainRunner runner = new ChainRunner(() -> DockerConnector.fromEnvironment().connect());
        System.out.printf(Locale.ROOT, "bench/python: %d CPUs; container: %d CPUs, 2 GiB%n",
                Runtime.getRuntime().availableProcessors(), threads);
        try (RunStore store = RunStore.open(work.resolve("runs.db"))) {
            // 1. Throughput: the container beside the host, epoch 2 of 2 on all 54,000 training images.
            Path example = root.resolve("examples/pytorch-fashion");
            ChainRequest full = ChainRequest.of(example, null, root.resolve("dockerfiles")).withImages(null, 2)
                    .withGate(new GateOverride(null, 0.1, null));
            Clock c = new Clock();
            ChainResult inside = runner.run(full.withOutput(work.resolve("inside"), null), store, c);
            double containerIps = lastEpoch(inside.trainOutputDir()).get("images_per_second").asDouble();
            double hostIps = host(root, example, data, work.resolve("host"), threads);
            System.out.printf(Locale.ROOT, "%nexamples/pytorch-fashion, 2 epochs, 54,000 training images, %d threads%n",
                    threads);
            System.out.printf(Locale.ROOT, "  images/s, epoch 2: container %.0f, host %.0f, ratio %.3f "
                    + "(target >= 0.95: %s)%n", containerIps, hostIps, containerIps / hostIps,
                    containerIps / hostIps >= 0.95 ? "met" : "NOT met");
            System.out.printf(Locale.ROOT, "  container created -> the script starts (launcher's exec) %.2f s, -> its first "
                    + "epoch line %.2f s (of it epoch 1 itself %.2f s)%n", secs(c.created, c.firstLine),
                    secs(c.created, c.firstEpoch), lastEpochSeconds(inside.trainOutputDir(), 1));
            System.out.printf(Locale.ROOT, "  accuracy %.4f (container), test set of 10,000%n",
                    inside.metrics().get("accuracy"));

            // 2. The chain's overhead besides training, warm (image cached), tiny training.
            overhead(runner, store, work, ChainRequest.of(example, null, root.resolve("dockerfiles"))
                    .withImages(1000, 1), "examples/pytorch-fashion", runs);
            overhead(runner, store, work, ChainRequest.of(root.resolve("examples/sklearn-fashion"), null,
                    root.resolve("dockerfiles")).withImages(1000, null), "examples/sklearn-fashion", runs);
        }
    }

    /** The same script on this host, with the container's environment; returns epoch 2's images/s. */
    static double host(Path root, Path example, Path data, Path out, int threads) throws Exception {
        Files.createDirectories(out);
        Path params = Files.writeString(out.resolve("params.json"), "{\"epochs\": 2}");
        ProcessBuilder pb = new ProcessBuilder(List.of("/usr/bin/python3", example.resolve("train.py").toString(),
                "--data", data.toString(), "--out", out.toString(), "--params", params.toString()));
        Map<String, String> env = pb.environment();
        env.putAll(TrainerEnvironment.openMp(threads));
        env.put("OMP_WAIT_POLICY", "PASSIVE");
        env.put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
        env.put("PYTHONPATH", root.resolve("engine/src/main/resources/io/trainchain/engine/python").toString());
        pb.redirectErrorStream(true).redirectOutput(out.resolve("log.txt").toFile());
        int code = pb.start().waitFor();
        if (code != 0) {
            throw new IllegalStateException("the host run failed (exit " + code + "): " + out.resolve("log.txt"));
        }
        return lastEpoch(out).get("images_per_second").asDouble();
    }

    static void overhead(ChainRunner runner, RunStore store, Path work, ChainRequest base, String name, int runs) {
        Map<String, List<Double>> phases = new LinkedHashMap<>();
        for (int i = 0; i <= runs; i++) {
            Clock c = new Clock();
            long t0 = System.nanoTime();
            ChainResult r = runner.run(base.withGate(new GateOverride(null, 0.01, null))
                    .withOutput(work.resolve(name.replace('/', '-') + "-" + i), null), store, c);
            double total = (System.nanoTime() - t0) / 1e9;
            if (i == 0) {
                continue; // warm-up: the image may be built here
            }
            Map<String, Double> p = new LinkedHashMap<>();
            for (StepTiming s : r.steps()) {
                if (!s.step().equals(ChainRunner.TRAIN)) {
                    p.put(s.step(), s.duration().toNanos() / 1e9);
                }
            }
            double script = secs(c.firstLine, c.lastLine);
            p.put("container create + start + launcher -> the script starts", secs(c.created, c.firstLine));
            p.put("the script's last line -> container gone", secs(c.lastLine, c.trainFinished));
            p.put("CHAIN OVERHEAD (total - the script's own time)", total - script);
            p.put("the script's own time (exec to its last line)", script);
            p.forEach((k, v) -> phases.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        }
        System.out.printf(Locale.ROOT, "%nchain overhead, %s, median of %d warm runs (tiny training, image cached)%n",
                name, runs);
        phases.forEach((k, v) -> {
            double m = median(v);
            String verdict = k.startsWith("CHAIN OVERHEAD") ? (m <= 3 ? "   (target <= 3 s: met)"
                    : "   (target <= 3 s: NOT met)") : k.equals(ChainRunner.BUILD) ? (m <= 1
                    ? "   (cached image <= 1 s: met)" : "   (cached image <= 1 s: NOT met)") : "";
            System.out.printf(Locale.ROOT, "  %-56s %7.3f s%s%n", k, m, verdict);
        });
    }

    static JsonNode lastEpoch(Path out) throws java.io.IOException {
        List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
        return JSON.readTree(lines.get(lines.size() - 1));
    }

    static double lastEpochSeconds(Path out, int epoch) throws java.io.IOException {
        for (String l : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            JsonNode n = JSON.readTree(l);
            if (n.get("epoch").asInt() == epoch) {
                return n.get("seconds").asDouble();
            }
        }
        return Double.NaN;
    }

    static double secs(long a, long b) {
        return (b - a) / 1e9;
    }

    static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }
}

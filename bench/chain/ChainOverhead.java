import com.fasterxml.jackson.databind.JsonNode;
import io.trainchain.engine.ChainListener;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The chain's own overhead besides training: runs the whole chain on examples/fashion-cnn with a tiny training
 * (1 epoch, --limit 1000) once to warm up (image built or cached), then RUNS more times, and prints the median of
 * each phase. The trainer's own time is its first to its last log line; everything else is the chain's.
 * Usage: java -cp 'cli/target/dist/trainchain-cli.jar:cli/target/dist/lib/*' bench/chain/ChainOverhead.java ROOT [RUNS]
 */
public class ChainOverhead {

    /** Timestamps of one run's train step, taken as the events arrive. */
    static final class Clock implements ChainListener {
        long trainStarted;
        long firstContainerLine;
        long firstTrainingStep;
        long lastContainerLine;
        long trainFinished;
        int trainLines;

        @Override
        public synchronized void log(String step, String line) {
            if (!step.equals(ChainRunner.TRAIN)) {
                return;
            }
            long now = System.nanoTime();
            // The runner's own first line describes the container before it is created; the rest is the container's.
            if (trainLines++ == 0 && line.startsWith("container ")) {
                return;
            }
            if (line.startsWith("training finished") || line.startsWith("could not")) {
                return; // the engine's closing line, not the trainer's
            }
            if (firstContainerLine == 0) {
                firstContainerLine = now;
            }
            if (firstTrainingStep == 0 && line.startsWith("first training step")) {
                firstTrainingStep = now;
            }
            lastContainerLine = now;
        }

        @Override
        public void epoch(String step, JsonNode metrics) {
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
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path work = Files.createTempDirectory("trainchain-bench-");
        ChainRequest request = ChainRequest.of(root.resolve("examples/fashion-cnn"), root.resolve("trainer/target/dist"),
                        root.resolve("dockerfiles"))
                .withImages(1000, 1).withGate(new GateOverride(null, 0.1, null)).withOutput(null, work);
        ChainRunner runner = new ChainRunner(() -> DockerConnector.fromEnvironment().connect());
        Map<String, List<Double>> phases = new LinkedHashMap<>();
        try (RunStore store = RunStore.open(work.resolve("runs.db"))) {
            for (int i = 0; i <= runs; i++) {
                Clock c = new Clock();
                long t0 = System.nanoTime();
                ChainResult r = runner.run(request, store, c);
                double total = (System.nanoTime() - t0) / 1e9;
                if (i == 0) {
                    System.out.printf(Locale.ROOT, "warm-up run: %.2f s (image %s, %s)%n", total, r.image().tag(),
                            r.image().cached() ? "cached" : "built");
                    continue;
                }
                Map<String, Double> p = new LinkedHashMap<>();
                double steps = 0;
                for (StepTiming s : r.steps()) {
                    double sec = s.duration().toNanos() / 1e9;
                    steps += sec;
                    if (!s.step().equals(ChainRunner.TRAIN)) {
                        p.put(s.step(), sec);
                    }
                }
                double start = (c.firstContainerLine - c.trainStarted) / 1e9;
                double trainer = (c.lastContainerLine - c.firstContainerLine) / 1e9;
                double finish = (c.trainFinished - c.lastContainerLine) / 1e9;
                // firstLogSeconds counts from the start request: what precedes it is the container's creation.
                p.put("container create (train step start -> start request)", start - r.train().firstLogSeconds());
                p.put("container start -> first log line (incl. JVM + ND4J load)", r.train().firstLogSeconds());
                p.put("first log line -> first training step (trainer)", (c.firstTrainingStep - c.firstContainerLine) / 1e9);
                p.put("last log line -> container gone (finish)", finish);
                p.put("between steps (store, params, connect)", total - steps);
                p.put("CHAIN OVERHEAD (total - trainer's own time)", total - trainer);
                p.put("trainer's own time (first to last log line)", trainer);
                p.put("total wall", total);
                p.forEach((k, v) -> phases.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
                System.out.printf(Locale.ROOT, "run %d: total %.2f s, trainer %.2f s, overhead %.2f s, image cached=%s%n",
                        i, total, trainer, total - trainer, r.image().cached());
            }
        }
        System.out.printf(Locale.ROOT, "%nmedian of %d warm runs (examples/fashion-cnn, --limit 1000, 1 epoch)%n", runs);
        phases.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-56s %7.3f s%n", k, median(v)));
    }

    static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }
}

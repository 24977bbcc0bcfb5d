import io.trainchain.engine.gate.Direction;
import io.trainchain.engine.gate.GateStatus;
import io.trainchain.engine.registry.ModelRegistry;
import io.trainchain.engine.report.SearchReport;
import io.trainchain.engine.store.AttemptRecord;
import io.trainchain.engine.store.DatasetIdentity;
import io.trainchain.engine.store.EpochMetrics;
import io.trainchain.engine.store.GateRecord;
import io.trainchain.engine.store.GitInfo;
import io.trainchain.engine.store.ModelRecord;
import io.trainchain.engine.store.RunOutcome;
import io.trainchain.engine.store.RunRecord;
import io.trainchain.engine.store.RunStart;
import io.trainchain.engine.store.RunStatus;
import io.trainchain.engine.store.RunStore;
import io.trainchain.engine.store.SearchRecord;
import io.trainchain.engine.store.StepTiming;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Issue #12's store figures: fills a fresh run store per size (default 1,000 and 10,000 runs) through RunStore's
 * public API the way the chain and the tuner write (10 epochs, 5 steps, 1 attempt, dataset, metrics and a gate per
 * run; every run a trial of a search, one search per 10 runs, one search of 50 trials; a search whose best trial
 * passes registers it and the champion rule decides on it), then times the queries behind the CLI on both stores,
 * interleaved (warm-up on both, then the timed repetitions on each), and prints median / max, the 10k/1k ratio and
 * the targets: each query ≤ 50 ms, the 50-trial search's report ≤ 1 s, growth flat or logarithmic.
 * Growth rule: 10k/1k median ratio < 3 is flat/log (met); 3 to 5 is "between" and ≥ 5 "linear" (both NOT met).
 * Usage: java -cp 'cli/target/dist/trainchain-cli.jar:cli/target/dist/lib/*' bench/store/StoreBench.java
 *        [SIZES=1000,10000] [REPS=20] [KEEP=1 keeps the stores' folders]
 */
public class StoreBench {

    static final int TRIALS_BIG = 50;
    static final int EPOCHS = 10;
    static final double THRESHOLD = 0.90;
    static final String MODEL = "fashion-cnn";
    static final double QUERY_TARGET_MS = 50;
    static final double REPORT_TARGET_MS = 1000;
    static final double FLAT = 3;
    static final double LINEAR = 5;

    /** Simulated time: a run every 15 minutes, so ids and started_at spread as a real store's do. */
    static final class SimClock extends Clock {
        volatile long millis = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public long millis() {
            return millis;
        }
    }

    /** One filled store and what the timed operations need from it. */
    static final class Filled {
        final int n;
        final Path dir;
        final SimClock clock = new SimClock();
        final RunStore store;
        final ModelRegistry registry;
        final List<String> runIds = new ArrayList<>();
        final List<String> passedRunIds = new ArrayList<>();
        final Map<String, Double> accuracy = new LinkedHashMap<>();
        String bigSearchId;
        String bestRunId;
        double bestAccuracy = -1;
        int searches;
        int versions;
        long transactions;
        double fillSeconds;
        Path modelFile;

        Filled(int n) throws IOException {
            this.n = n;
            this.dir = Files.createTempDirectory("trainchain-store-bench-" + n + "-");
            this.store = RunStore.open(dir.resolve("runs.db"), clock);
            this.registry = new ModelRegistry(store);
        }
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = Arrays.stream(env("SIZES", "1000,10000").split(",")).mapToInt(s -> Integer.parseInt(s.trim()))
                .toArray();
        int reps = Integer.parseInt(env("REPS", "20"));
        boolean keep = "1".equals(System.getenv("KEEP"));
        System.out.printf(Locale.ROOT, "bench/store: Java %s, %d cores, sqlite-jdbc %s%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), sqliteVersion());

        List<Filled> stores = new ArrayList<>();
        for (int n : sizes) {
            stores.add(fill(n));
        }

        System.out.printf(Locale.ROOT, "%ntimed: median and max of %d repetitions after a warm-up, sizes interleaved%n",
                reps);
        Map<String, double[][]> results = new LinkedHashMap<>(); // op -> [size][median, max]
        Map<String, Double> targets = new LinkedHashMap<>();
        Random pick = new Random(7);
        op(results, targets, "runs (listRuns(20))", QUERY_TARGET_MS, stores, reps, 200, f -> () -> {
            List<RunRecord> l = f.store.listRuns(20);
            check(l.size() == 20 && l.get(0).epochs().size() == EPOCHS, "listRuns(20) returned " + l.size());
        });
        op(results, targets, "runs show: getRun(random id)", QUERY_TARGET_MS, stores, reps, 200, f -> () -> {
            String id = f.runIds.get(pick.nextInt(f.runIds.size()));
            RunRecord r = f.store.getRun(id).orElseThrow();
            check(r.epochs().size() == EPOCHS && r.steps().size() == 5 && r.attempts().size() == 1,
                    "getRun(" + id + ") is incomplete");
        });
        op(results, targets, "runs show: getRun + lineage", QUERY_TARGET_MS, stores, reps, 200, f -> () -> {
            // What RunsShowCommand reads: the run, its trial and search, its model versions and their alias.
            String id = f.runIds.get(pick.nextInt(f.runIds.size()));
            RunRecord r = f.store.getRun(id).orElseThrow();
            SearchRecord.TrialOf t = f.store.trialOf(r.id()).orElseThrow();
            f.store.getSearch(t.searchId()).orElseThrow();
            for (ModelRecord m : f.store.modelsOfRun(r.id())) {
                f.store.alias(m.name(), ModelRegistry.CHAMPION);
            }
        });
        op(results, targets, "best run: bestRun(accuracy, AT_LEAST)", QUERY_TARGET_MS, stores, reps, 200, f -> () -> {
            RunRecord r = f.store.bestRun("accuracy", Direction.AT_LEAST).orElseThrow();
            check(r.id().equals(f.bestRunId), "bestRun gave " + r.id() + ", not " + f.bestRunId);
        });
        op(results, targets, "promotion: registry.register + decide", QUERY_TARGET_MS, stores, reps, 5, f -> () -> {
            // A new version of the model from a passed run, then the champion rule: what Registration.ifPassed does.
            f.clock.millis += 60_000;
            String run = f.passedRunIds.get(pick.nextInt(f.passedRunIds.size()));
            ModelRecord m = f.registry.register(MODEL, run, f.modelFile, "accuracy", f.accuracy.get(run),
                    Direction.AT_LEAST, testSet());
            f.registry.decide(m, 0.002);
        });
        op(results, targets, "tune --list: listSearches(50)", QUERY_TARGET_MS, stores, reps, 200, f -> () -> {
            List<SearchRecord> l = f.store.listSearches(null, false, 50);
            check(l.size() == Math.min(50, f.searches), "listSearches gave " + l.size());
        });
        op(results, targets, "getSearch(50-trial search)", QUERY_TARGET_MS, stores, reps, 200, f -> () -> {
            SearchRecord s = f.store.getSearch(f.bigSearchId).orElseThrow();
            check(s.trials().size() == TRIALS_BIG, "the big search has " + s.trials().size() + " trials");
        });
        op(results, targets, "report: SearchReport.write (50 trials)", REPORT_TARGET_MS, stores, reps, 5, f -> () -> {
            SearchRecord s = f.store.getSearch(f.bigSearchId).orElseThrow();
            Path out = SearchReport.write(s, f.store, f.dir.resolve("search-report.html"));
            check(Files.isRegularFile(out), "no report");
        });

        for (Filled f : stores) {
            long bytes = Files.size(f.dir.resolve("search-report.html"));
            System.out.printf(Locale.ROOT, "  %,d runs: report %,d bytes; registry now %d versions of %s%n", f.n,
                    bytes, f.store.models(MODEL, null).size(), MODEL);
            f.store.close();
            if (keep) {
                System.out.println("  kept " + f.dir);
            } else {
                deleteTree(f.dir);
            }
        }
        boolean ok = table(results, targets, stores);
        System.exit(ok ? 0 : 1);
    }

    static Filled fill(int n) throws IOException {
        check(n % 10 == 0 && n >= 500, "a size is a multiple of 10 and at least 500 (one 50-trial search and "
                + "40 of 9 trials among n/10 searches), not " + n);
        Filled f = new Filled(n);
        Random rnd = new Random(42L + n);
        Path repo = Path.of("/bench/examples/fashion-cnn");
        GitInfo git = new GitInfo("3f2c0d9a8b7e6f5a4c3b2a1908f7e6d5c4b3a291", "main", false);
        f.modelFile = f.dir.resolve("model.zip");
        Files.write(f.modelFile, new byte[64 * 1024]);
        String dataJson = "{\"train\":{\"sha256\":\"" + "a".repeat(64) + "\",\"count\":60000},\"test\":{\"sha256\":\""
                + "b".repeat(64) + "\",\"count\":10000}}";

        // n/10 searches: one of 50 trials (in the middle), 40 of 9 and the rest of 10, n runs in all.
        int searchCount = n / 10;
        int[] trials = new int[searchCount];
        Arrays.fill(trials, 10);
        int big = searchCount / 2;
        trials[big] = TRIALS_BIG;
        for (int k = 0, reduced = 0; reduced < TRIALS_BIG - 10; k++) {
            if (k != big) {
                trials[k] = 9;
                reduced++;
            }
        }
        check(Arrays.stream(trials).sum() == n, "trials do not add up to " + n);
        String spec = "{\"strategy\":\"random\",\"gate\":{\"metric\":\"accuracy\",\"threshold\":" + THRESHOLD
                + ",\"direction\":\"AT_LEAST\"},\"trial_epochs\":" + EPOCHS + ",\"seed\":42,\"space\":{"
                + "\"learning_rate\":[0.0005,0.001,0.002],\"batch_size\":[64,128,256],\"conv_filters\":[16,32,64]}}";

        long t0 = System.nanoTime();
        long lastReport = t0;
        int runs = 0;
        for (int k = 0; k < searchCount; k++) {
            f.clock.millis += 60_000;
            String search = f.store.startSearch(null, repo.toString(), "random", spec);
            f.transactions++;
            if (k == big) {
                f.bigSearchId = search;
            }
            String best = null;
            double bestValue = -1;
            for (int j = 1; j <= trials[k]; j++) {
                f.clock.millis += 15 * 60_000;
                long start = f.clock.millis;
                double lr = new double[]{0.0005, 0.001, 0.002}[rnd.nextInt(3)];
                int batch = new int[]{64, 128, 256}[rnd.nextInt(3)];
                int filters = new int[]{16, 32, 64}[rnd.nextInt(3)];
                String params = String.format(Locale.ROOT,
                        "{\"learning_rate\":%s,\"batch_size\":%d,\"conv_filters\":%d,\"epochs\":%d}", lr, batch,
                        filters, EPOCHS);
                String runId = f.store.startRun(new RunStart(repo, git, "dl4j",
                        new DatasetIdentity("fashion-mnist", null), params));
                String runDir = "/bench/runs/" + search + "/trial-" + String.format("%03d", j);
                f.store.startTrial(search, j, runId, params, runDir);
                for (String step : List.of("detect-framework", "base-image", "build-image")) {
                    f.store.recordStep(runId, new StepTiming(step, Instant.ofEpochMilli(start),
                            Duration.ofMillis(200 + rnd.nextInt(800)), "ok"));
                }
                double accuracy = 0.80 + 0.15 * rnd.nextDouble();
                List<EpochMetrics> epochs = new ArrayList<>();
                for (int e = 1; e <= EPOCHS; e++) {
                    double progress = (double) e / EPOCHS;
                    epochs.add(new EpochMetrics(e, 0.9 - 0.6 * progress + 0.02 * rnd.nextDouble(),
                            0.85 - 0.5 * progress + 0.02 * rnd.nextDouble(),
                            accuracy - 0.1 * (1 - progress) + 0.005 * rnd.nextDouble(),
                            accuracy - 0.11 * (1 - progress), 30 + 5 * rnd.nextDouble(), 1800 + 200 * rnd.nextDouble()));
                }
                f.store.recordAttempt(runId, new AttemptRecord(1, Instant.ofEpochMilli(start + 3_000), 320.5,
                        "COMPLETED", 0, false, "c0ffee" + Integer.toHexString(runs), 1_500_000_000L, null, null, null));
                f.store.recordEpochs(runId, epochs);
                f.store.recordStep(runId, new StepTiming("train", Instant.ofEpochMilli(start + 2_000),
                        Duration.ofSeconds(330), "ok"));
                f.store.recordDataset(runId, new DatasetIdentity("fashion-mnist", dataJson));
                boolean passed = accuracy >= THRESHOLD;
                Map<String, Double> metrics = new LinkedHashMap<>();
                metrics.put("accuracy", accuracy);
                metrics.put("macro_f1", accuracy - 0.01);
                metrics.put("test_loss", 1.2 - accuracy);
                f.store.finishRun(runId, new RunOutcome(passed ? RunStatus.PASSED : RunStatus.BELOW_THRESHOLD,
                        "sha256:" + "c".repeat(64), List.of(runDir + "/train/model.zip", runDir + "/train/evaluation.json"),
                        new GateRecord("accuracy", passed ? GateStatus.PASSED : GateStatus.BELOW_THRESHOLD, accuracy,
                                THRESHOLD, Direction.AT_LEAST),
                        metrics, String.format(Locale.ROOT, "accuracy %.4f %s %.2f", accuracy, passed ? "≥" : "<",
                        THRESHOLD)));
                f.store.recordStep(runId, new StepTiming("check-accuracy", Instant.ofEpochMilli(start + 340_000),
                        Duration.ofMillis(5), passed ? "passed" : "below threshold"));
                f.store.finishTrial(search, new SearchRecord.Trial(j, runId, params, runDir,
                        SearchRecord.TrialStatus.COMPLETED, null, accuracy, EPOCHS, null));
                f.transactions += 12;
                f.runIds.add(runId);
                if (passed) {
                    f.passedRunIds.add(runId);
                    f.accuracy.put(runId, accuracy);
                }
                if (accuracy > bestValue) {
                    bestValue = accuracy;
                    best = runId;
                }
                if (accuracy > f.bestAccuracy) {
                    f.bestAccuracy = accuracy;
                    f.bestRunId = runId;
                }
                runs++;
                if (System.nanoTime() - lastReport > 30e9) {
                    lastReport = System.nanoTime();
                    System.out.printf(Locale.ROOT, "  ... %,d of %,d runs, %.0f s%n", runs, n, (lastReport - t0) / 1e9);
                }
            }
            boolean passed = bestValue >= THRESHOLD;
            f.clock.millis += 60_000;
            f.store.finishSearch(search, passed ? RunStatus.PASSED : RunStatus.BELOW_THRESHOLD, best,
                    "every trial ran", null);
            f.transactions++;
            if (passed) {
                // As TuneHyperparameters does for a search whose best trial passed: register it, then the rule decides.
                ModelRecord m = f.registry.register(MODEL, best, f.modelFile, "accuracy", bestValue,
                        Direction.AT_LEAST, testSet());
                f.registry.decide(m, 0.002);
                f.versions++;
                f.transactions += 2;
            }
            f.searches++;
        }
        f.fillSeconds = (System.nanoTime() - t0) / 1e9;
        long dbBytes = 0;
        for (String suffix : List.of("", "-wal")) {
            Path p = f.dir.resolve("runs.db" + suffix);
            dbBytes += Files.exists(p) ? Files.size(p) : 0;
        }
        System.out.printf(Locale.ROOT, "fill %,d runs: %,d epochs, %,d steps, %,d searches (one of %d trials), %,d "
                        + "model versions; %,d transactions in %.1f s: %.0f runs/s, %.2f ms a transaction; %.1f MB%n",
                n, n * EPOCHS, n * 5, f.searches, TRIALS_BIG, f.versions, f.transactions, f.fillSeconds,
                n / f.fillSeconds, f.fillSeconds * 1000 / f.transactions, dbBytes / 1e6);
        return f;
    }

    interface Op {
        Runnable on(Filled f);
    }

    /** Warm-up (up to {@code warm} calls or 1.5 s on each store), then {@code reps} timed calls on each store. */
    static void op(Map<String, double[][]> results, Map<String, Double> targets, String name, double targetMs,
                   List<Filled> stores, int reps, int warm, Op op) {
        for (Filled f : stores) {
            Runnable r = op.on(f);
            long until = System.nanoTime() + 1_500_000_000L;
            for (int i = 0; i < warm && (i < 3 || System.nanoTime() < until); i++) {
                r.run();
            }
        }
        double[][] out = new double[stores.size()][];
        for (int s = 0; s < stores.size(); s++) {
            Runnable r = op.on(stores.get(s));
            double[] ms = new double[reps];
            for (int i = 0; i < reps; i++) {
                long t = System.nanoTime();
                r.run();
                ms[i] = (System.nanoTime() - t) / 1e6;
            }
            Arrays.sort(ms);
            double median = reps % 2 == 1 ? ms[reps / 2] : (ms[reps / 2 - 1] + ms[reps / 2]) / 2;
            out[s] = new double[]{median, ms[reps - 1]};
        }
        results.put(name, out);
        targets.put(name, targetMs);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-40s", name));
        for (int s = 0; s < stores.size(); s++) {
            line.append(String.format(Locale.ROOT, "  %,d runs: %.3f / %.3f ms", stores.get(s).n, out[s][0],
                    out[s][1]));
        }
        System.out.println(line);
    }

    static boolean table(Map<String, double[][]> results, Map<String, Double> targets, List<Filled> stores) {
        int first = 0;
        int last = stores.size() - 1;
        String a = label(stores.get(first).n);
        String b = label(stores.get(last).n);
        System.out.printf(Locale.ROOT, "%n%-40s %10s %10s %10s %10s %7s %8s %-8s %s%n", "operation (ms)",
                a + " median", a + " max", b + " median", b + " max", b + "/" + a, "target", "target?", "growth");
        boolean ok = true;
        for (Map.Entry<String, double[][]> e : results.entrySet()) {
            double[][] r = e.getValue();
            double target = targets.get(e.getKey());
            double ratio = r[last][0] / r[first][0];
            boolean met = Arrays.stream(r).allMatch(x -> x[0] <= target);
            String growth = last == first ? "-" : ratio < FLAT ? "flat/log" : ratio < LINEAR ? "between (NOT met)"
                    : "linear (NOT met)";
            ok &= met && (last == first || ratio < FLAT);
            System.out.printf(Locale.ROOT, "%-40s %10.3f %10.3f %10.3f %10.3f %7.2f %8s %-8s %s%n", e.getKey(),
                    r[first][0], r[first][1], r[last][0], r[last][1], ratio,
                    "≤ " + (target >= 1000 ? (int) (target / 1000) + " s" : (int) target + " ms"), met ? "met" : "NOT met",
                    growth);
        }
        System.out.printf(Locale.ROOT, "targets (median ≤ target at every size; %s/%s median ratio < %.0f flat/log, "
                + "%.0f-%.0f between, ≥ %.0f linear): %s%n", b, a, FLAT, FLAT, LINEAR, LINEAR, ok ? "all met" : "NOT all met");
        return ok;
    }

    static String label(int n) {
        return n % 1000 == 0 ? n / 1000 + "k" : Integer.toString(n);
    }

    static String testSet() {
        return "fashion-mnist test 10000 sha256:" + "b".repeat(64);
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    static String sqliteVersion() throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite::memory:");
             java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT sqlite_version()")) {
            return c.getMetaData().getDriverVersion() + " (SQLite " + (rs.next() ? rs.getString(1) : "?") + ")";
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

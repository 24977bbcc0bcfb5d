package io.trainchain.engine.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainchain.engine.gate.Direction;
import io.trainchain.engine.gate.GateStatus;
import io.trainchain.engine.store.AttemptRecord;
import io.trainchain.engine.store.DatasetIdentity;
import io.trainchain.engine.store.EpochMetrics;
import io.trainchain.engine.store.GateRecord;
import io.trainchain.engine.store.GitInfo;
import io.trainchain.engine.store.RunOutcome;
import io.trainchain.engine.store.RunRecord;
import io.trainchain.engine.store.RunStart;
import io.trainchain.engine.store.RunStatus;
import io.trainchain.engine.store.RunStore;
import io.trainchain.engine.store.SearchRecord;
import io.trainchain.engine.store.SearchRecord.TrialStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A run store holding what the chain and a search record, built from real trainer output
 * (src/test/resources/report, see its README): a chain run below its gate and a 4-trial ASHA search
 * (rungs at 1 and 2 epochs) whose two weak trials stopped at the first rung.
 */
final class ReportFixtures {
    static final Path RESOURCES = Path.of("src/test/resources/report");
    private static final ObjectMapper JSON = new ObjectMapper();

    static final double ACCURACY = 0.7535; // run/evaluation.json
    static final String COMMIT = "4f2a9c1e0b7d3a5f6e8c9b0a1d2e3f4a5b6c7d8e";
    static final String SPEC = "{\"strategy\":\"asha\",\"seed\":42,\"trial_epochs\":3,\"min_epochs\":1,"
            + "\"reduction_factor\":2,\"budget\":{\"trials\":4},\"space\":{\"learning_rate\":\"log_uniform[0.0005, 0.01]\","
            + "\"batch_size\":\"choice[64, 128]\"},\"gate\":{\"metric\":\"accuracy\",\"threshold\":0.8,"
            + "\"direction\":\"AT_LEAST\"}}";
    static final String STOP_REASON = "trial budget spent (4 trials)";
    /** Per trial: learning rate, batch size, status, test accuracy of a completed trial. */
    static final Object[][] TRIALS = {
            {0.0005, 64, TrialStatus.COMPLETED, 0.695},
            {0.002, 64, TrialStatus.COMPLETED, 0.72},
            {0.01, 128, TrialStatus.STOPPED, null},
            {0.005, 128, TrialStatus.STOPPED, null}};

    record Fixture(RunStore store, RunRecord run, SearchRecord search, Map<String, RunRecord> trialRuns,
                   Path root) implements AutoCloseable {
        RunRecord trialRun(int number) {
            return trialRuns.get(search.trials().get(number - 1).runId());
        }

        @Override
        public void close() {
            store.close();
        }
    }

    private ReportFixtures() {
    }

    /** @param repository the repository path the runs record (a test puts HTML-special characters in it) */
    static Fixture create(Path root, String repository) {
        try {
            RunStore store = RunStore.open(root.resolve("runs.db"));
            String runId = chainRun(store, root, repository);
            Path searchDir = root.resolve("searches").resolve("search-1");
            String searchId = store.startSearch(runId, repository, "asha", SPEC);
            String best = null;
            for (int i = 0; i < TRIALS.length; i++) {
                int n = i + 1;
                Object[] t = TRIALS[i];
                String params = "{\"learning_rate\":" + t[0] + ",\"batch_size\":" + t[1] + "}";
                Path trialDir = searchDir.resolve(String.format("trial-%03d", n));
                Path train = Files.createDirectories(trialDir.resolve("train"));
                Path metrics = Files.copy(RESOURCES.resolve("trials").resolve(trialDir.getFileName())
                        .resolve("metrics.jsonl"), train.resolve("metrics.jsonl"));
                String trialRun = store.startRun(new RunStart(Path.of(repository), git(), "dl4j",
                        new DatasetIdentity("fashion-mnist", null), params));
                store.startTrial(searchId, n, trialRun, params, trialDir.toString());
                List<EpochMetrics> epochs = epochs(metrics);
                store.recordEpochs(trialRun, epochs);
                Double value = (Double) t[3];
                if (t[2] == TrialStatus.COMPLETED) {
                    store.finishRun(trialRun, new RunOutcome(RunStatus.BELOW_THRESHOLD, "sha256:feed", List.of(metrics.toString()),
                            new GateRecord("accuracy", GateStatus.BELOW_THRESHOLD, value, 0.8, Direction.AT_LEAST),
                            Map.of("accuracy", value), "accuracy " + value + " < 0.8"));
                    best = n == 2 ? trialRun : best;
                } else {
                    store.finishRun(trialRun, new RunOutcome(RunStatus.STOPPED, "sha256:feed", List.of(metrics.toString()),
                            null, Map.of(), "stopped at rung 0"));
                }
                store.finishTrial(searchId, new SearchRecord.Trial(n, trialRun, params, trialDir.toString(),
                        (TrialStatus) t[2], t[2] == TrialStatus.STOPPED ? 0 : null, value, epochs.size(),
                        t[2] == TrialStatus.STOPPED ? "stopped at rung 0: val_accuracy below the cut" : "below the gate"));
            }
            store.finishSearch(searchId, RunStatus.BELOW_THRESHOLD, best, STOP_REASON, "no trial passed the gate");
            SearchRecord search = store.getSearch(searchId).orElseThrow();
            return new Fixture(store, store.getRun(runId).orElseThrow(), search,
                    SearchReport.trialRuns(search, store), root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String chainRun(RunStore store, Path root, String repository) throws IOException {
        Path train = Files.createDirectories(root.resolve("runs").resolve("run-1").resolve("train"));
        List<String> artifacts = new ArrayList<>();
        for (String f : List.of("evaluation.json", "metrics.jsonl")) {
            artifacts.add(Files.copy(RESOURCES.resolve("run").resolve(f), train.resolve(f)).toString());
        }
        String id = store.startRun(new RunStart(Path.of(repository), git(), "dl4j",
                new DatasetIdentity("fashion-mnist", null), "{\"epochs\":3,\"learning_rate\":0.002,\"batch_size\":128}"));
        store.recordEpochs(id, epochs(train.resolve("metrics.jsonl")));
        store.recordAttempt(id, new AttemptRecord(1, Instant.parse("2026-01-05T10:00:00Z"), 9.5, "KILLED", 137, false,
                "0123456789abcdef0123", 512L * 1024 * 1024, null, 2.5, "killed by the watcher test"));
        store.recordAttempt(id, new AttemptRecord(2, Instant.parse("2026-01-05T10:00:12Z"), 8.1, "COMPLETED", 0, false,
                "fedcba9876543210fedc", null, "checkpoint-epoch-0001.zip", null, null));
        JsonNode eval = JSON.readTree(train.resolve("evaluation.json").toFile());
        store.recordDataset(id, new DatasetIdentity("fashion-mnist", eval.get("dataset").toString()));
        store.finishRun(id, new RunOutcome(RunStatus.BELOW_THRESHOLD, "sha256:0a1b2c3d4e5f", artifacts,
                new GateRecord("accuracy", GateStatus.BELOW_THRESHOLD, ACCURACY, 0.8, Direction.AT_LEAST),
                Map.of("accuracy", ACCURACY, "macro_f1", eval.get("macro_f1").asDouble(),
                        "test_loss", eval.get("test_loss").asDouble()),
                "accuracy 0.7535 < 0.8: below the gate"));
        return id;
    }

    private static GitInfo git() {
        return new GitInfo(COMMIT, "main", true);
    }

    static List<EpochMetrics> epochs(Path metricsJsonl) throws IOException {
        List<EpochMetrics> epochs = new ArrayList<>();
        for (String line : Files.readAllLines(metricsJsonl)) {
            JsonNode e = JSON.readTree(line);
            epochs.add(new EpochMetrics(e.get("epoch").asInt(), e.get("train_loss").asDouble(),
                    e.get("val_loss").asDouble(), e.get("val_accuracy").asDouble(), e.get("val_macro_f1").asDouble(),
                    e.get("seconds").asDouble(), e.get("images_per_second").asDouble()));
        }
        return epochs;
    }
}

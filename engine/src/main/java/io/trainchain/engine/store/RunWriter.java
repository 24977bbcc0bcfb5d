package io.trainchain.engine.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.trainchain.engine.TrainchainException;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import static io.trainchain.engine.store.Columns.JSON;
import static io.trainchain.engine.store.Columns.setNullable;

/** The store's writes; each is one transaction, so a failure leaves nothing half written. */
final class RunWriter {

    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StoreDatabase db;

    RunWriter(StoreDatabase db) {
        this.db = db;
    }

    /** Sortable by time; the random tail keeps two ids of the same millisecond apart. */
    static String newId(Instant now) {
        return ID_TIME.format(now) + "-" + String.format("%06x", RANDOM.nextInt(1 << 24));
    }

    String startRun(RunStart start) {
        checkJson(start.paramsJson(), "paramsJson");
        checkJson(start.dataset() == null ? null : start.dataset().json(), "dataset json");
        Instant now = db.clock().instant();
        String id = newId(now);
        return db.transaction("start a run", c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO runs(id, repository, commit_id, branch, dirty, "
                    + "framework, dataset_name, dataset_json, params_json, status, started_at, trigger_kind, trigger_id) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'RUNNING', ?, ?, ?)")) {
                GitInfo git = start.git();
                p.setString(1, id);
                p.setString(2, start.repository().toAbsolutePath().normalize().toString());
                p.setString(3, git == null ? null : git.commitId());
                p.setString(4, git == null ? null : git.branch());
                setNullable(p, 5, git == null ? null : git.dirty() ? 1 : 0);
                p.setString(6, start.framework());
                p.setString(7, start.dataset() == null ? null : start.dataset().name());
                p.setString(8, start.dataset() == null ? null : start.dataset().json());
                p.setString(9, start.paramsJson());
                p.setLong(10, now.toEpochMilli());
                p.setString(11, start.trigger().kind());
                p.setString(12, start.trigger().id());
                p.executeUpdate();
            }
            return id;
        });
    }

    void recordEpochs(String runId, List<EpochMetrics> epochs) {
        db.transaction("record epochs of run " + runId, c -> {
            db.requireRun(c, runId);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO epochs(run_id, epoch, train_loss, val_loss, "
                    + "val_accuracy, val_macro_f1, seconds, images_per_second) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (EpochMetrics e : epochs) {
                    if (existsEpoch(c, runId, e.epoch())) {
                        throw TrainchainException.badInput("epoch " + e.epoch() + " of run " + runId
                                + " is already recorded; each epoch is recorded once");
                    }
                    p.setString(1, runId);
                    p.setInt(2, e.epoch());
                    setNullable(p, 3, e.trainLoss());
                    setNullable(p, 4, e.valLoss());
                    setNullable(p, 5, e.valAccuracy());
                    setNullable(p, 6, e.valMacroF1());
                    setNullable(p, 7, e.seconds());
                    setNullable(p, 8, e.imagesPerSecond());
                    p.executeUpdate();
                }
            }
            return null;
        });
    }

    void recordDataset(String runId, DatasetIdentity dataset) {
        checkJson(dataset == null ? null : dataset.json(), "dataset json");
        db.transaction("record the dataset of run " + runId, c -> {
            db.requireRun(c, runId);
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE runs SET dataset_name = ?, dataset_json = ? WHERE id = ?")) {
                p.setString(1, dataset == null ? null : dataset.name());
                p.setString(2, dataset == null ? null : dataset.json());
                p.setString(3, runId);
                p.executeUpdate();
            }
            return null;
        });
    }

    void recordStep(String runId, StepTiming step) {
        db.transaction("record step " + step.step() + " of run " + runId, c -> {
            db.requireRun(c, runId);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO steps(run_id, seq, step, started_at, millis, outcome) "
                    + "VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM steps WHERE run_id = ?), ?, ?, ?, ?)")) {
                p.setString(1, runId);
                p.setString(2, runId);
                p.setString(3, step.step());
                p.setLong(4, step.startedAt().toEpochMilli());
                p.setLong(5, step.duration().toMillis());
                p.setString(6, step.outcome());
                p.executeUpdate();
            }
            return null;
        });
    }

    void recordAttempt(String runId, AttemptRecord a) {
        if (a == null) {
            throw new IllegalArgumentException("the attempt to record must not be null");
        }
        db.transaction("record attempt " + a.attempt() + " of run " + runId, c -> {
            db.requireRun(c, runId);
            // Checked first so a second record of an attempt says so, not "PRIMARY KEY constraint failed".
            try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM attempts WHERE run_id = ? AND attempt = ?")) {
                p.setString(1, runId);
                p.setInt(2, a.attempt());
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next()) {
                        throw TrainchainException.badInput("attempt " + a.attempt() + " of run " + runId
                                + " is already recorded; each attempt is recorded once");
                    }
                }
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO attempts(run_id, attempt, started_at, seconds, "
                    + "cause, exit_code, oom_killed, container_id, memory_bytes, resumed_from, lost_seconds, message) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                p.setString(1, runId);
                p.setInt(2, a.attempt());
                p.setLong(3, a.startedAt().toEpochMilli());
                p.setDouble(4, a.seconds());
                p.setString(5, a.cause());
                setNullable(p, 6, a.exitCode());
                p.setInt(7, a.oomKilled() ? 1 : 0);
                p.setString(8, a.containerId());
                setNullable(p, 9, a.memoryBytes());
                p.setString(10, a.resumedFrom());
                setNullable(p, 11, a.lostSeconds());
                p.setString(12, a.message());
                p.executeUpdate();
            }
            return null;
        });
    }

    void finishRun(String runId, RunOutcome outcome) {
        String artifacts;
        try {
            artifacts = JSON.writeValueAsString(outcome.artifacts());
        } catch (JsonProcessingException e) {
            throw TrainchainException.internal("cannot encode artifact paths " + outcome.artifacts(), e);
        }
        db.transaction("finish run " + runId, c -> {
            RunStatus current = db.requireRun(c, runId);
            if (current != RunStatus.RUNNING) {
                throw TrainchainException.badInput("run " + runId + " already finished with status " + current
                        + "; a run is finished once");
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE runs SET status = ?, image_id = ?, artifacts_json = ?, "
                    + "gate_metric = ?, gate_status = ?, gate_value = ?, gate_threshold = ?, gate_direction = ?, "
                    + "message = ?, finished_at = ? WHERE id = ?")) {
                GateRecord g = outcome.gate();
                p.setString(1, outcome.status().name());
                p.setString(2, outcome.imageId());
                p.setString(3, artifacts);
                p.setString(4, g == null ? null : g.metric());
                p.setString(5, g == null || g.status() == null ? null : g.status().name());
                setNullable(p, 6, g == null ? null : g.value());
                setNullable(p, 7, g == null ? null : g.threshold());
                p.setString(8, g == null || g.direction() == null ? null : g.direction().name());
                p.setString(9, outcome.message());
                p.setLong(10, db.clock().millis());
                p.setString(11, runId);
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO metrics(run_id, name, value) VALUES (?, ?, ?)")) {
                for (Map.Entry<String, Double> m : outcome.metrics().entrySet()) {
                    if (m.getValue() == null || !Double.isFinite(m.getValue())) {
                        throw TrainchainException.badInput("metric '" + m.getKey() + "' of run " + runId + " is "
                                + m.getValue() + "; only finite numbers are stored, leave the metric out instead");
                    }
                    p.setString(1, runId);
                    p.setString(2, m.getKey());
                    p.setDouble(3, m.getValue());
                    p.executeUpdate();
                }
            }
            return null;
        });
    }

    private static boolean existsEpoch(Connection c, String runId, int epoch) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM epochs WHERE run_id = ? AND epoch = ?")) {
            p.setString(1, runId);
            p.setInt(2, epoch);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    static void checkJson(String json, String what) {
        if (json == null) {
            return;
        }
        try {
            JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw TrainchainException.badInput(what + " is not valid JSON (" + e.getOriginalMessage() + "): " + json);
        }
    }
}

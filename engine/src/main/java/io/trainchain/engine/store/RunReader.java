package io.trainchain.engine.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.gate.Direction;
import io.trainchain.engine.gate.GateStatus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.trainchain.engine.store.Columns.JSON;
import static io.trainchain.engine.store.Columns.getDouble;
import static io.trainchain.engine.store.Columns.getInteger;
import static io.trainchain.engine.store.Columns.getLong;

/** The store's queries, and the mapping of rows back to {@link RunRecord}s. */
final class RunReader {

    private final StoreDatabase db;

    RunReader(StoreDatabase db) {
        this.db = db;
    }

    List<RunRecord> listRuns(int limit) {
        if (limit <= 0) {
            throw TrainchainException.badInput("list limit is " + limit + "; ask for at least one run");
        }
        List<String> ids = new ArrayList<>();
        db.read("list runs", c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT id FROM runs ORDER BY started_at DESC, id DESC LIMIT ?")) {
                p.setInt(1, limit);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            return null;
        });
        return ids.stream().map(id -> getRun(id).orElseThrow()).toList();
    }

    Optional<RunRecord> getRun(String runId) {
        return db.read("read run " + runId, c -> loadRun(c, runId));
    }

    Optional<RunRecord> bestRun(String metric, Direction direction) {
        String order = direction == Direction.AT_MOST ? "ASC" : "DESC";
        return db.read("find the best run by " + metric, c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT r.id FROM runs r JOIN metrics m ON m.run_id = r.id "
                    + "WHERE m.name = ? AND r.status IN ('PASSED', 'BELOW_THRESHOLD') "
                    + "ORDER BY m.value " + order + ", r.started_at DESC LIMIT 1")) {
                p.setString(1, metric);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? loadRun(c, rs.getString(1)) : Optional.<RunRecord>empty();
                }
            }
        });
    }

    /** Unlike getRun, an unknown id is an error: an empty list must mean the run has no attempts yet. */
    List<AttemptRecord> attempts(String runId) {
        return db.read("read the attempts of run " + runId, c -> {
            db.requireRun(c, runId);
            return loadAttempts(c, runId);
        });
    }

    private Optional<RunRecord> loadRun(Connection c, String runId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT * FROM runs WHERE id = ?")) {
            p.setString(1, runId);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                GitInfo git = rs.getString("commit_id") == null && rs.getString("branch") == null ? null
                        : new GitInfo(rs.getString("commit_id"), rs.getString("branch"), rs.getInt("dirty") == 1);
                DatasetIdentity dataset = rs.getString("dataset_name") == null && rs.getString("dataset_json") == null
                        ? null : new DatasetIdentity(rs.getString("dataset_name"), rs.getString("dataset_json"));
                GateRecord gate = rs.getString("gate_metric") == null ? null : new GateRecord(
                        rs.getString("gate_metric"),
                        rs.getString("gate_status") == null ? null : GateStatus.valueOf(rs.getString("gate_status")),
                        getDouble(rs, "gate_value"), rs.getDouble("gate_threshold"),
                        rs.getString("gate_direction") == null ? null : Direction.valueOf(rs.getString("gate_direction")));
                long finished = rs.getLong("finished_at");
                Instant finishedAt = rs.wasNull() ? null : Instant.ofEpochMilli(finished);
                List<String> artifacts;
                try {
                    artifacts = JSON.readValue(rs.getString("artifacts_json"), new TypeReference<List<String>>() { });
                } catch (JsonProcessingException e) {
                    throw TrainchainException.internal("run " + runId + " in " + db.path()
                            + " has unreadable artifact paths", e);
                }
                return Optional.of(new RunRecord(runId, rs.getString("repository"), git, rs.getString("framework"),
                        dataset, rs.getString("params_json"), rs.getString("image_id"), artifacts, gate,
                        loadMetrics(c, runId), RunStatus.valueOf(rs.getString("status")), rs.getString("message"),
                        Instant.ofEpochMilli(rs.getLong("started_at")), finishedAt,
                        loadEpochs(c, runId), loadSteps(c, runId), loadAttempts(c, runId),
                        new Trigger(rs.getString("trigger_kind"), rs.getString("trigger_id"))));
            }
        }
    }

    private static List<EpochMetrics> loadEpochs(Connection c, String runId) throws SQLException {
        List<EpochMetrics> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT * FROM epochs WHERE run_id = ? ORDER BY epoch")) {
            p.setString(1, runId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new EpochMetrics(rs.getInt("epoch"), getDouble(rs, "train_loss"), getDouble(rs, "val_loss"),
                            getDouble(rs, "val_accuracy"), getDouble(rs, "val_macro_f1"), getDouble(rs, "seconds"),
                            getDouble(rs, "images_per_second")));
                }
            }
        }
        return out;
    }

    private static List<StepTiming> loadSteps(Connection c, String runId) throws SQLException {
        List<StepTiming> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT * FROM steps WHERE run_id = ? ORDER BY seq")) {
            p.setString(1, runId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new StepTiming(rs.getString("step"), Instant.ofEpochMilli(rs.getLong("started_at")),
                            Duration.ofMillis(rs.getLong("millis")), rs.getString("outcome")));
                }
            }
        }
        return out;
    }

    private static List<AttemptRecord> loadAttempts(Connection c, String runId) throws SQLException {
        List<AttemptRecord> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT * FROM attempts WHERE run_id = ? ORDER BY attempt")) {
            p.setString(1, runId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new AttemptRecord(rs.getInt("attempt"), Instant.ofEpochMilli(rs.getLong("started_at")),
                            rs.getDouble("seconds"), rs.getString("cause"), getInteger(rs, "exit_code"),
                            rs.getInt("oom_killed") == 1, rs.getString("container_id"), getLong(rs, "memory_bytes"),
                            rs.getString("resumed_from"), getDouble(rs, "lost_seconds"), rs.getString("message")));
                }
            }
        }
        return out;
    }

    private static Map<String, Double> loadMetrics(Connection c, String runId) throws SQLException {
        Map<String, Double> out = new LinkedHashMap<>();
        try (PreparedStatement p = c.prepareStatement("SELECT name, value FROM metrics WHERE run_id = ? ORDER BY name")) {
            p.setString(1, runId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getDouble(2));
                }
            }
        } catch (SQLException e) {
            // A database still at schema 1 has no metrics table; that only happens mid-upgrade in tests.
            if (e.getMessage() != null && e.getMessage().contains("no such table: metrics")) {
                return Map.of();
            }
            throw e;
        }
        return out;
    }
}

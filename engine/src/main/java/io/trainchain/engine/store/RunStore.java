package io.trainchain.engine.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.gate.Direction;
import io.trainchain.engine.gate.GateStatus;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The run store: every chain run, its epochs, step timings and outcome, in an embedded SQLite file.
 * One connection per store, methods synchronized; SQLite's WAL mode and busy timeout let the CLI and a
 * Jenkins build share the file. Every write is one transaction.
 */
public final class RunStore implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int BUSY_TIMEOUT_MS = 10_000;

    private final Path path;
    private final Clock clock;
    private final Connection connection;

    private RunStore(Path path, Clock clock, Connection connection) {
        this.path = path;
        this.clock = clock;
        this.connection = connection;
    }

    /** ~/.trainchain/runs.db */
    public static Path defaultPath() {
        return Path.of(System.getProperty("user.home"), ".trainchain", "runs.db");
    }

    public static RunStore open(Path dbFile) {
        return open(dbFile, Clock.systemUTC());
    }

    public static RunStore open(Path dbFile, Clock clock) {
        return open(dbFile, clock, Migrations.ALL);
    }

    /** Package-private so tests can create databases at an older schema version. */
    static RunStore open(Path dbFile, Clock clock, List<Migrations.Migration> migrations) {
        Path file = dbFile.toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw TrainchainException.infrastructure("cannot create the folder of the run database " + file + ": "
                    + e.getMessage() + "; check permissions or choose another database path", e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.enforceForeignKeys(true);
        // Take the write lock when a transaction begins, so two writers wait instead of deadlocking on upgrade.
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        Connection connection;
        try {
            connection = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
        } catch (SQLException e) {
            throw TrainchainException.infrastructure("cannot open the run database " + file + ": " + e.getMessage()
                    + "; check that the file is a Trainchain database and is writable", e);
        }
        RunStore store = new RunStore(file, clock, connection);
        try {
            store.migrate(migrations);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    public Path path() {
        return path;
    }

    /** The schema version the database is at. */
    public synchronized int schemaVersion() {
        try (Statement s = connection.createStatement()) {
            return currentVersion(s);
        } catch (SQLException e) {
            throw failure("read the schema version", e);
        }
    }

    private static int currentVersion(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private synchronized void migrate(List<Migrations.Migration> migrations) {
        int known = Migrations.latest(migrations);
        transaction("create the schema_version table", c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                        + "description TEXT NOT NULL, applied_at INTEGER NOT NULL)");
            }
            return null;
        });
        for (Migrations.Migration m : migrations) {
            transaction("apply schema migration " + m.version() + " (" + m.description() + ")", c -> {
                try (Statement s = c.createStatement()) {
                    // Read inside the transaction: another process may have migrated meanwhile.
                    int current = currentVersion(s);
                    if (current > known) {
                        throw TrainchainException.badInput("the run database " + path + " has schema version " + current
                                + " but this Trainchain knows versions up to " + known + "; it was written by a newer "
                                + "Trainchain: upgrade Trainchain or use another database file");
                    }
                    if (current >= m.version()) {
                        return null;
                    }
                    for (String sql : m.statements()) {
                        s.execute(sql);
                    }
                }
                try (PreparedStatement p = c.prepareStatement(
                        "INSERT INTO schema_version(version, description, applied_at) VALUES (?, ?, ?)")) {
                    p.setInt(1, m.version());
                    p.setString(2, m.description());
                    p.setLong(3, clock.millis());
                    p.executeUpdate();
                }
                return null;
            });
        }
        // With no pending migration the loop above did not look: check for a newer database here too.
        int current = schemaVersion();
        if (current > known) {
            throw TrainchainException.badInput("the run database " + path + " has schema version " + current
                    + " but this Trainchain knows versions up to " + known + "; it was written by a newer "
                    + "Trainchain: upgrade Trainchain or use another database file");
        }
    }

    /** Records a new RUNNING run and returns its id (sortable by start time). */
    public synchronized String startRun(RunStart start) {
        checkJson(start.paramsJson(), "paramsJson");
        checkJson(start.dataset() == null ? null : start.dataset().json(), "dataset json");
        Instant now = clock.instant();
        String id = ID_TIME.format(now) + "-" + String.format("%06x", RANDOM.nextInt(1 << 24));
        return transaction("start a run", c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO runs(id, repository, commit_id, branch, dirty, "
                    + "framework, dataset_name, dataset_json, params_json, status, started_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'RUNNING', ?)")) {
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
                p.executeUpdate();
            }
            return id;
        });
    }

    public void recordEpoch(String runId, EpochMetrics epoch) {
        recordEpochs(runId, List.of(epoch));
    }

    /** All or nothing: if one epoch cannot be stored (e.g. recorded twice), none of the batch is. */
    public synchronized void recordEpochs(String runId, List<EpochMetrics> epochs) {
        transaction("record epochs of run " + runId, c -> {
            requireRun(c, runId);
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

    /**
     * Replaces the dataset identity of a run: the chain starts a run with the folder it mounts and learns the
     * files' checksums only when the trainer has written evaluation.json.
     */
    public synchronized void recordDataset(String runId, DatasetIdentity dataset) {
        checkJson(dataset == null ? null : dataset.json(), "dataset json");
        transaction("record the dataset of run " + runId, c -> {
            requireRun(c, runId);
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

    public synchronized void recordStep(String runId, StepTiming step) {
        transaction("record step " + step.step() + " of run " + runId, c -> {
            requireRun(c, runId);
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

    /** Ends a RUNNING run: status, gate, artifacts and metrics are written together or not at all. */
    public synchronized void finishRun(String runId, RunOutcome outcome) {
        String artifacts;
        try {
            artifacts = JSON.writeValueAsString(outcome.artifacts());
        } catch (JsonProcessingException e) {
            throw TrainchainException.internal("cannot encode artifact paths " + outcome.artifacts(), e);
        }
        transaction("finish run " + runId, c -> {
            RunStatus current = requireRun(c, runId);
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
                p.setLong(10, clock.millis());
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

    /** Newest first. */
    public synchronized List<RunRecord> listRuns(int limit) {
        if (limit <= 0) {
            throw TrainchainException.badInput("list limit is " + limit + "; ask for at least one run");
        }
        List<String> ids = new ArrayList<>();
        read("list runs", c -> {
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

    public synchronized Optional<RunRecord> getRun(String runId) {
        return read("read run " + runId, c -> loadRun(c, runId));
    }

    /** The finished run with the highest value of an evaluation metric (e.g. "accuracy"). */
    public Optional<RunRecord> bestRun(String metric) {
        return bestRun(metric, Direction.AT_LEAST);
    }

    /** As {@link #bestRun(String)}; AT_MOST picks the lowest value (for losses). */
    public synchronized Optional<RunRecord> bestRun(String metric, Direction direction) {
        String order = direction == Direction.AT_MOST ? "ASC" : "DESC";
        return read("find the best run by " + metric, c -> {
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
                    throw TrainchainException.internal("run " + runId + " in " + path + " has unreadable artifact paths", e);
                }
                return Optional.of(new RunRecord(runId, rs.getString("repository"), git, rs.getString("framework"),
                        dataset, rs.getString("params_json"), rs.getString("image_id"), artifacts, gate,
                        loadMetrics(c, runId), RunStatus.valueOf(rs.getString("status")), rs.getString("message"),
                        Instant.ofEpochMilli(rs.getLong("started_at")), finishedAt,
                        loadEpochs(c, runId), loadSteps(c, runId)));
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

    private RunStatus requireRun(Connection c, String runId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT status FROM runs WHERE id = ?")) {
            p.setString(1, runId);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    throw TrainchainException.badInput("no run '" + runId + "' in " + path
                            + "; start it with startRun first, or check the run id");
                }
                return RunStatus.valueOf(rs.getString(1));
            }
        }
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

    private static void checkJson(String json, String what) {
        if (json == null) {
            return;
        }
        try {
            JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw TrainchainException.badInput(what + " is not valid JSON (" + e.getOriginalMessage() + "): " + json);
        }
    }

    private static void setNullable(PreparedStatement p, int index, Number value) throws SQLException {
        if (value == null) {
            p.setNull(index, value instanceof Integer ? Types.INTEGER : Types.REAL);
        } else if (value instanceof Integer i) {
            p.setInt(index, i);
        } else {
            p.setDouble(index, value.doubleValue());
        }
    }

    private static Double getDouble(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T transaction(String what, Work<T> work) {
        try {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    private <T> T read(String what, Work<T> work) {
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    private TrainchainException failure(String what, SQLException e) {
        if (e.getErrorCode() == SQLiteErrorCode.SQLITE_BUSY.code) {
            return TrainchainException.infrastructure("cannot " + what + ": the run database " + path
                    + " stayed locked by another process for " + BUSY_TIMEOUT_MS / 1000 + " s; retry when it is done", e);
        }
        if (e.getErrorCode() == SQLiteErrorCode.SQLITE_NOTADB.code) {
            return TrainchainException.infrastructure("cannot " + what + ": " + path + " is not an SQLite database; "
                    + "move it away or choose another database path", e);
        }
        return TrainchainException.infrastructure("cannot " + what + " in the run database " + path + ": "
                + e.getMessage(), e);
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw failure("close", e);
        }
    }
}

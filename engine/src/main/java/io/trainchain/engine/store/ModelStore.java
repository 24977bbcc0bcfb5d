package io.trainchain.engine.store;

import io.trainchain.engine.TrainchainException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import static io.trainchain.engine.store.Columns.getDouble;
import static io.trainchain.engine.store.Columns.getInteger;
import static io.trainchain.engine.store.Columns.setNullable;

/** Registered models, aliases and promotion decisions: writes (one transaction each) and reads. */
final class ModelStore {

    private final StoreDatabase db;

    ModelStore(StoreDatabase db) {
        this.db = db;
    }

    ModelRecord register(String name, String runId, String sha256, String path, long bytes, String metric,
                         double value, String direction, String testSet) {
        Instant now = db.clock().instant();
        return db.transaction("register a version of model " + name, c -> {
            db.requireRun(c, runId);
            int version;
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT COALESCE(MAX(version), 0) + 1 FROM models WHERE name = ?")) {
                p.setString(1, name);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    version = rs.getInt(1);
                }
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO models(name, version, run_id, sha256, path, "
                    + "bytes, metric, value, direction, test_set, registered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                p.setString(1, name);
                p.setInt(2, version);
                p.setString(3, runId);
                p.setString(4, sha256);
                p.setString(5, path);
                p.setLong(6, bytes);
                p.setString(7, metric);
                p.setDouble(8, value);
                p.setString(9, direction);
                p.setString(10, testSet);
                p.setLong(11, now.toEpochMilli());
                p.executeUpdate();
            }
            return new ModelRecord(name, version, runId, sha256, path, bytes, metric, value, direction, testSet, now);
        });
    }

    /** Newest first; {@code name} null for every model; {@code sha256Prefix} null for any. */
    List<ModelRecord> models(String name, String sha256Prefix) {
        return db.read("list registered models", c -> {
            List<ModelRecord> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT * FROM models WHERE (? IS NULL OR name = ?) "
                    + "AND (? IS NULL OR sha256 LIKE ? || '%') ORDER BY registered_at DESC, name, version DESC")) {
                p.setString(1, name);
                p.setString(2, name);
                p.setString(3, sha256Prefix);
                p.setString(4, sha256Prefix);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(model(rs));
                    }
                }
            }
            return out;
        });
    }

    /** The versions registered from one run. */
    List<ModelRecord> ofRun(String runId) {
        return db.read("find the models of run " + runId, c -> {
            List<ModelRecord> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT * FROM models WHERE run_id = ? ORDER BY name")) {
                p.setString(1, runId);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(model(rs));
                    }
                }
            }
            return out;
        });
    }

    /** One version by its primary key; not {@link #models} filtered, which reads every version of the model. */
    static final String MODEL_BY_VERSION = "SELECT * FROM models WHERE name = ? AND version = ?";

    Optional<ModelRecord> model(String name, int version) {
        return db.read("read version " + version + " of model " + name, c -> {
            try (PreparedStatement p = c.prepareStatement(MODEL_BY_VERSION)) {
                p.setString(1, name);
                p.setInt(2, version);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(model(rs)) : Optional.<ModelRecord>empty();
                }
            }
        });
    }

    Optional<Integer> alias(String name, String alias) {
        return db.read("read alias " + name + "@" + alias, c -> alias(c, name, alias));
    }

    /**
     * Records a decision and, when it moves the alias, moves it: together or not at all. The alias must still point
     * where the decision saw it ({@code previousVersion}), so two promotions at once cannot both win.
     */
    PromotionRecord decide(String name, String alias, PromotionRecord.Action action, int version,
                           Integer previousVersion, Double value, Double previousValue, String reason) {
        Instant now = db.clock().instant();
        return db.transaction("record a decision on " + name + "@" + alias, c -> {
            Optional<Integer> current = alias(c, name, alias);
            if (!Objects.equals(current.orElse(null), previousVersion)) {
                throw TrainchainException.badInput(name + "@" + alias + " is now version " + current.orElse(null)
                        + ", not " + previousVersion + " as when this was decided; decide again");
            }
            int seq;
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT COALESCE(MAX(seq), 0) + 1 FROM promotions WHERE name = ? AND alias = ?")) {
                p.setString(1, name);
                p.setString(2, alias);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    seq = rs.getInt(1);
                }
            }
            PromotionRecord r = new PromotionRecord(name, alias, seq, action, version, previousVersion, value,
                    previousValue, reason, now);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO promotions(name, alias, seq, action, version, "
                    + "previous_version, value, previous_value, reason, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                p.setString(1, name);
                p.setString(2, alias);
                p.setInt(3, seq);
                p.setString(4, action.name());
                p.setInt(5, version);
                setNullable(p, 6, previousVersion);
                setNullable(p, 7, value);
                setNullable(p, 8, previousValue);
                p.setString(9, reason);
                p.setLong(10, now.toEpochMilli());
                p.executeUpdate();
            }
            if (r.moved()) {
                try (PreparedStatement p = c.prepareStatement("INSERT INTO aliases(name, alias, version) VALUES "
                        + "(?, ?, ?) ON CONFLICT(name, alias) DO UPDATE SET version = excluded.version")) {
                    p.setString(1, name);
                    p.setString(2, alias);
                    p.setInt(3, version);
                    p.executeUpdate();
                }
            }
            return r;
        });
    }

    /** Oldest first. */
    List<PromotionRecord> promotions(String name, String alias) {
        return db.read("read the decisions on " + name + "@" + alias, c -> {
            List<PromotionRecord> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT * FROM promotions WHERE name = ? AND alias = ? ORDER BY seq")) {
                p.setString(1, name);
                p.setString(2, alias);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(new PromotionRecord(name, alias, rs.getInt("seq"),
                                PromotionRecord.Action.valueOf(rs.getString("action")), rs.getInt("version"),
                                getInteger(rs, "previous_version"), getDouble(rs, "value"),
                                getDouble(rs, "previous_value"), rs.getString("reason"),
                                Instant.ofEpochMilli(rs.getLong("decided_at"))));
                    }
                }
            }
            return out;
        });
    }

    private static Optional<Integer> alias(Connection c, String name, String alias) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT version FROM aliases WHERE name = ? AND alias = ?")) {
            p.setString(1, name);
            p.setString(2, alias);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(rs.getInt(1)) : Optional.empty();
            }
        }
    }

    private static ModelRecord model(ResultSet rs) throws SQLException {
        return new ModelRecord(rs.getString("name"), rs.getInt("version"), rs.getString("run_id"),
                rs.getString("sha256"), rs.getString("path"), rs.getLong("bytes"), rs.getString("metric"),
                rs.getDouble("value"), rs.getString("direction"), rs.getString("test_set"),
                Instant.ofEpochMilli(rs.getLong("registered_at")));
    }
}

package io.trainchain.engine.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/** Each run's environment (image, trainer, threads, limits): one row per run, written when its training starts. */
final class EnvironmentStore {

    private final StoreDatabase db;

    EnvironmentStore(StoreDatabase db) {
        this.db = db;
    }

    void record(String runId, RunEnvironment e) {
        db.transaction("record the environment of run " + runId, c -> {
            db.requireRun(c, runId);
            try (PreparedStatement p = c.prepareStatement("INSERT OR REPLACE INTO run_environments(run_id, image_id, "
                    + "image_tag, image_hash, trainer, threads, memory_bytes, cpus, pids) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                p.setString(1, runId);
                p.setString(2, e.imageId());
                p.setString(3, e.imageTag());
                p.setString(4, e.imageHash());
                p.setString(5, e.trainer());
                p.setInt(6, e.threads());
                p.setLong(7, e.memoryBytes());
                p.setDouble(8, e.cpus());
                p.setLong(9, e.pids());
                p.executeUpdate();
            }
            return null;
        });
    }

    Optional<RunEnvironment> of(String runId) {
        return db.read("read the environment of run " + runId, c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT * FROM run_environments WHERE run_id = ?")) {
                p.setString(1, runId);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(new RunEnvironment(rs.getString("image_id"),
                            rs.getString("image_tag"), rs.getString("image_hash"), rs.getString("trainer"),
                            rs.getInt("threads"), rs.getLong("memory_bytes"), rs.getDouble("cpus"),
                            rs.getLong("pids"))) : Optional.<RunEnvironment>empty();
                }
            }
        });
    }
}

package io.trainchain.engine.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;

/**
 * Writes a run as an older Trainchain did, for the migration tests: today's writer fills columns (trigger_kind) that
 * an older schema does not have, so the old data is inserted with the old schema's columns.
 */
final class OldSchema {
    private OldSchema() {
    }

    static String startRun(Path db, String repository, String paramsJson) throws Exception {
        String id = RunWriter.newId(java.time.Instant.parse("2024-06-01T10:00:00Z"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             PreparedStatement p = c.prepareStatement("INSERT INTO runs(id, repository, commit_id, branch, dirty, "
                     + "framework, params_json, status, started_at) VALUES (?, ?, 'abc123', 'main', 0, 'dl4j', ?, "
                     + "'RUNNING', ?)")) {
            c.createStatement().execute("PRAGMA busy_timeout = 10000");
            p.setString(1, id);
            p.setString(2, repository);
            p.setString(3, paramsJson);
            p.setLong(4, java.time.Instant.parse("2024-06-01T10:00:00Z").toEpochMilli());
            p.executeUpdate();
        }
        return id;
    }
}

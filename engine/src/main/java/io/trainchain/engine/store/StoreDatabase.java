package io.trainchain.engine.store;

import io.trainchain.engine.TrainchainException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;

/**
 * The SQLite plumbing under {@link RunStore}: opening the file, schema migrations, transactions and turning
 * SQLExceptions into messages that say what to do. Not thread-safe on its own: RunStore serialises the calls.
 */
final class StoreDatabase implements AutoCloseable {

    static final int BUSY_TIMEOUT_MS = 10_000;

    private final Path path;
    private final Clock clock;
    private final Connection connection;

    private StoreDatabase(Path path, Clock clock, Connection connection) {
        this.path = path;
        this.clock = clock;
        this.connection = connection;
    }

    static StoreDatabase open(Path dbFile, Clock clock, List<Migrations.Migration> migrations) {
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
        // Every commit waits for the disk, so what the store confirmed survives a power loss (SQLite's default for
        // WAL is the same; said here because relaxedTransaction switches back to it).
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        // Take the write lock when a transaction begins, so two writers wait instead of deadlocking on upgrade.
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        Connection connection;
        try {
            connection = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
        } catch (SQLException e) {
            throw TrainchainException.infrastructure("cannot open the run database " + file + ": " + e.getMessage()
                    + "; check that the file is a Trainchain database and is writable", e);
        }
        StoreDatabase db = new StoreDatabase(file, clock, connection);
        try {
            db.migrate(migrations);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    Path path() {
        return path;
    }

    Clock clock() {
        return clock;
    }

    int schemaVersion() {
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

    private void migrate(List<Migrations.Migration> migrations) {
        int known = Migrations.latest(migrations);
        transaction("create the schema_version table", c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                        + "description TEXT NOT NULL, applied_at INTEGER NOT NULL)");
            }
            return null;
        });
        for (Migrations.Migration m : migrations) {
            if (m.rebuildsTables()) {
                foreignKeys(false);
            }
            try {
                apply(m, known);
            } finally {
                if (m.rebuildsTables()) {
                    foreignKeys(true);
                }
            }
        }
        // With no pending migration the loop above did not look: check for a newer database here too.
        int current = schemaVersion();
        if (current > known) {
            throw newerDatabase(current, known);
        }
    }

    private void foreignKeys(boolean on) {
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA foreign_keys = " + (on ? "ON" : "OFF"));
        } catch (SQLException e) {
            throw failure("switch foreign keys " + (on ? "on" : "off"), e);
        }
    }

    private void apply(Migrations.Migration m, int known) {
        transaction("apply schema migration " + m.version() + " (" + m.description() + ")", c -> {
            try (Statement s = c.createStatement()) {
                // Read inside the transaction: another process may have migrated meanwhile.
                int current = currentVersion(s);
                if (current > known) {
                    throw newerDatabase(current, known);
                }
                if (current >= m.version()) {
                    return null;
                }
                for (String sql : m.statements()) {
                    s.execute(sql);
                }
                if (m.rebuildsTables()) {
                    try (ResultSet broken = s.executeQuery("PRAGMA foreign_key_check")) {
                        if (broken.next()) {
                            throw new SQLException("rebuilding tables broke a reference from "
                                    + broken.getString(1) + " to " + broken.getString(3));
                        }
                    }
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

    private TrainchainException newerDatabase(int current, int known) {
        return TrainchainException.badInput("the run database " + path + " has schema version " + current
                + " but this Trainchain knows versions up to " + known + "; it was written by a newer "
                + "Trainchain: upgrade Trainchain or use another database file");
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * As {@link #transaction}, committed without waiting for the disk (SQLite's synchronous=NORMAL in WAL mode): it
     * survives the process being killed, not the machine losing power, until the next full commit (which syncs the
     * log with everything before it). For bookkeeping that may be redone, such as a worker taking a queued chain;
     * never for what is acknowledged to someone outside.
     */
    <T> T relaxedTransaction(String what, Work<T> work) {
        synchronous("NORMAL");
        try {
            return transaction(what, work);
        } finally {
            synchronous("FULL");
        }
    }

    private void synchronous(String mode) {
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA synchronous = " + mode);
        } catch (SQLException e) {
            throw failure("set synchronous " + mode, e);
        }
    }

    /** Runs the work as one transaction: committed if it returns, rolled back if it throws. */
    <T> T transaction(String what, Work<T> work) {
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

    <T> T read(String what, Work<T> work) {
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /** The status of a stored run; the "no run" error every write gives for an id the store does not have. */
    RunStatus requireRun(Connection c, String runId) throws SQLException {
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
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw failure("close", e);
        }
    }
}

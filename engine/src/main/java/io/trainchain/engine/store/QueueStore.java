package io.trainchain.engine.store;

import io.trainchain.engine.TrainchainException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The server's queue in the run database, so queued chains survive a restart. Every change is one transaction: a
 * delivery is acknowledged only after {@link #enqueue} committed it. Not thread-safe: {@link RunStore} serialises.
 */
final class QueueStore {
    private static final String COLUMNS = "seq, queue.repository, queue.branch, queue.commit_id, "
            + "queue.trigger_kind, queue.trigger_id, event, pusher, state, run_id, superseded_by, executions, "
            + "interruptions, queue.message, queued_at, queue.started_at, queue.finished_at, runs.status AS run_status";

    private final StoreDatabase db;

    QueueStore(StoreDatabase db) {
        this.db = db;
    }

    /** All in one transaction (one wait for the disk), in order; a later request sees the earlier ones. */
    List<QueuedChain.Enqueued> enqueueAll(List<QueuedChain.Request> requests, boolean supersede) {
        return db.transaction("queue " + requests.size() + " chain(s)", c -> {
            List<QueuedChain.Enqueued> out = new ArrayList<>(requests.size());
            for (QueuedChain.Request r : requests) {
                out.add(enqueue(c, r, supersede));
            }
            return out;
        });
    }

    private QueuedChain.Enqueued enqueue(Connection c, QueuedChain.Request r, boolean supersede) throws SQLException {
        Optional<QueuedChain> existing = one(c, "WHERE queue.trigger_kind = ? AND queue.trigger_id = ?",
                r.trigger().kind(), r.trigger().id());
        if (existing.isPresent()) {
            return new QueuedChain.Enqueued(existing.get(), true, List.of());
        }
        long seq;
        try (PreparedStatement p = c.prepareStatement("INSERT INTO queue(repository, branch, commit_id, "
                + "trigger_kind, trigger_id, event, pusher, state, queued_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
                + "'QUEUED', ?) RETURNING seq")) {
            p.setString(1, r.repository());
            p.setString(2, r.branch());
            p.setString(3, r.commitId());
            p.setString(4, r.trigger().kind());
            p.setString(5, r.trigger().id());
            p.setString(6, r.event());
            p.setString(7, r.pusher());
            p.setLong(8, db.clock().millis());
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                seq = rs.getLong(1);
            }
        }
        List<Long> superseded = new ArrayList<>();
        if (supersede) {
            try (PreparedStatement p = c.prepareStatement("UPDATE queue SET state = 'SUPERSEDED', "
                    + "superseded_by = ?, finished_at = ?, message = ? WHERE repository = ? AND branch = ? "
                    + "AND state = 'QUEUED' AND seq < ? RETURNING seq")) {
                p.setLong(1, seq);
                p.setLong(2, db.clock().millis());
                p.setString(3, "superseded by the newer " + r.trigger() + " at " + r.commitId());
                p.setString(4, r.repository());
                p.setString(5, r.branch());
                p.setLong(6, seq);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        superseded.add(rs.getLong(1));
                    }
                }
            }
        }
        return new QueuedChain.Enqueued(one(c, "WHERE seq = ?", seq).orElseThrow(), false, superseded);
    }

    /**
     * Takes the oldest queued chain whose repository and branch has fewer than {@code perBranch} running, marks it
     * RUNNING and counts the execution; empty when none may start.
     */
    Optional<QueuedChain> claimNext(int perBranch) {
        // relaxed: a claim lost to a power cut leaves the chain QUEUED, and it is taken again
        return db.relaxedTransaction("take the next queued chain", c -> {
            // the busy branches once (few rows), not a count per queued row: the queue may be thousands long
            Optional<QueuedChain> next = one(c, "WHERE state = 'QUEUED' AND (queue.repository, queue.branch) NOT IN "
                    + "(SELECT r.repository, r.branch FROM queue r WHERE r.state = 'RUNNING' GROUP BY r.repository, "
                    + "r.branch HAVING COUNT(*) >= ?) ORDER BY seq LIMIT 1", perBranch);
            if (next.isEmpty()) {
                return next;
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE queue SET state = 'RUNNING', started_at = ?, "
                    + "executions = executions + 1 WHERE seq = ?")) {
                p.setLong(1, db.clock().millis());
                p.setLong(2, next.get().seq());
                p.executeUpdate();
            }
            return one(c, "WHERE seq = ?", next.get().seq());
        });
    }

    void attachRun(long seq, String runId) {
        relaxedUpdate("attach run " + runId + " to queued chain " + seq, "UPDATE queue SET run_id = ? WHERE seq = ?",
                runId, seq);
    }

    void finish(long seq, QueuedChain.State state, String message) {
        if (state != QueuedChain.State.DONE && state != QueuedChain.State.FAILED) {
            throw new IllegalArgumentException("a chain finishes DONE or FAILED, not " + state);
        }
        int n = relaxedUpdate("finish queued chain " + seq, "UPDATE queue SET state = ?, message = ?, finished_at = ? "
                + "WHERE seq = ? AND state = 'RUNNING'", state.name(), message, db.clock().millis(), seq);
        if (n != 1) {
            throw TrainchainException.badInput("queued chain " + seq + " is not running in " + db.path()
                    + "; only a chain a worker took can finish");
        }
    }

    /**
     * After a server stopped (killed or terminated) while chains ran: each RUNNING chain goes back to QUEUED at its
     * place, counted as interrupted, and its run record (still RUNNING, nobody will finish it) is marked FAILED.
     */
    List<QueuedChain> requeueInterrupted(String why) {
        return db.transaction("re-queue interrupted chains", c -> {
            List<QueuedChain> running = many(c, "WHERE state = 'RUNNING' ORDER BY seq");
            long now = db.clock().millis();
            for (QueuedChain q : running) {
                try (PreparedStatement p = c.prepareStatement("UPDATE queue SET state = 'QUEUED', interruptions = "
                        + "interruptions + 1, message = ? WHERE seq = ?")) {
                    p.setString(1, "interrupted: " + why + "; re-queued to resume");
                    p.setLong(2, q.seq());
                    p.executeUpdate();
                }
                // the run records its trigger, so the run a killed server never finished is found without its id
                try (PreparedStatement p = c.prepareStatement("UPDATE runs SET status = 'FAILED', message = ?, "
                        + "finished_at = ? WHERE trigger_kind = ? AND trigger_id = ? AND status = 'RUNNING'")) {
                    p.setString(1, "interrupted: " + why + "; queued chain " + q.seq() + " resumes it");
                    p.setLong(2, now);
                    p.setString(3, q.trigger().kind());
                    p.setString(4, q.trigger().id());
                    p.executeUpdate();
                }
            }
            return running;
        });
    }

    /** Newest first. */
    List<QueuedChain> list(int limit) {
        return db.read("list the queue", c -> many(c, "ORDER BY seq DESC LIMIT " + Math.max(0, limit)));
    }

    Optional<QueuedChain> get(long seq) {
        return db.read("read queued chain " + seq, c -> one(c, "WHERE seq = ?", seq));
    }

    Optional<Instant> lastFire(String schedule) {
        return db.read("read schedule " + schedule, c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT fired_at FROM schedule_fires WHERE schedule = ?")) {
                p.setString(1, schedule);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(Instant.ofEpochMilli(rs.getLong(1))) : Optional.empty();
                }
            }
        });
    }

    Optional<String> lastFireDataset(String schedule) {
        return db.read("read schedule " + schedule, c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT dataset_json FROM schedule_fires "
                    + "WHERE schedule = ?")) {
                p.setString(1, schedule);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    void recordFire(String schedule, Instant at, String datasetJson) {
        update("record schedule " + schedule, "INSERT INTO schedule_fires(schedule, fired_at, dataset_json) "
                + "VALUES (?, ?, ?) ON CONFLICT(schedule) DO UPDATE SET fired_at = excluded.fired_at, "
                + "dataset_json = excluded.dataset_json", schedule, at.toEpochMilli(), datasetJson);
    }

    private int update(String what, String sql, Object... args) {
        return db.transaction(what, c -> execute(c, sql, args));
    }

    /** Worker bookkeeping that may be redone after a power cut (see StoreDatabase.relaxedTransaction). */
    private int relaxedUpdate(String what, String sql, Object... args) {
        return db.relaxedTransaction(what, c -> execute(c, sql, args));
    }

    private static int execute(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            bind(p, args);
            return p.executeUpdate();
        }
    }

    private static Optional<QueuedChain> one(Connection c, String where, Object... args) throws SQLException {
        List<QueuedChain> all = many(c, where, args);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    private static List<QueuedChain> many(Connection c, String where, Object... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM queue LEFT JOIN runs ON "
                + "runs.id = queue.run_id " + where)) {
            bind(p, args);
            List<QueuedChain> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        }
    }

    private static void bind(PreparedStatement p, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            p.setObject(i + 1, args[i]);
        }
    }

    private static QueuedChain read(ResultSet rs) throws SQLException {
        long superseded = rs.getLong("superseded_by");
        Long supersededBy = rs.wasNull() ? null : superseded;
        return new QueuedChain(rs.getLong("seq"), rs.getString("repository"), rs.getString("branch"),
                rs.getString("commit_id"), new Trigger(rs.getString("trigger_kind"), rs.getString("trigger_id")),
                rs.getString("event"), rs.getString("pusher"), QueuedChain.State.valueOf(rs.getString("state")),
                rs.getString("run_id"), supersededBy, rs.getInt("executions"), rs.getInt("interruptions"),
                rs.getString("message"), instant(rs, "queued_at"), instant(rs, "started_at"),
                instant(rs, "finished_at"), rs.getString("run_status") == null ? null
                : RunStatus.valueOf(rs.getString("run_status")));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }
}

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

import static io.trainchain.engine.store.Columns.getDouble;
import static io.trainchain.engine.store.Columns.getInteger;
import static io.trainchain.engine.store.Columns.getLong;
import static io.trainchain.engine.store.Columns.setNullable;

/** Searches and their trials: writes (one transaction each) and reads. */
final class SearchStore {

    private final StoreDatabase db;

    SearchStore(StoreDatabase db) {
        this.db = db;
    }

    String startSearch(String parentRunId, String repository, String strategy, String specJson) {
        RunWriter.checkJson(specJson, "spec json");
        String id = RunWriter.newId(db.clock().instant());
        return db.transaction("start a search", c -> {
            if (parentRunId != null) {
                db.requireRun(c, parentRunId);
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO searches(id, parent_run_id, repository, "
                    + "strategy, spec_json, status, started_at) VALUES (?, ?, ?, ?, ?, 'RUNNING', ?)")) {
                p.setString(1, id);
                p.setString(2, parentRunId);
                p.setString(3, repository);
                p.setString(4, strategy);
                p.setString(5, specJson);
                p.setLong(6, db.clock().millis());
                p.executeUpdate();
            }
            return id;
        });
    }

    /** Records trial {@code number} as RUNNING in run {@code runId}, or moves a trial that is resumed to a new run. */
    void startTrial(String searchId, int number, String runId, String paramsJson, String runDir) {
        RunWriter.checkJson(paramsJson, "trial params json");
        db.transaction("start trial " + number + " of search " + searchId, c -> {
            requireSearch(c, searchId);
            db.requireRun(c, runId);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO trials(search_id, number, run_id, params_json, "
                    + "run_dir, status) VALUES (?, ?, ?, ?, ?, 'RUNNING') ON CONFLICT(search_id, number) DO UPDATE "
                    + "SET run_id = excluded.run_id, status = 'RUNNING' WHERE trials.status = 'RUNNING'")) {
                p.setString(1, searchId);
                p.setInt(2, number);
                p.setString(3, runId);
                p.setString(4, paramsJson);
                p.setString(5, runDir);
                if (p.executeUpdate() != 1) {
                    throw TrainchainException.badInput("trial " + number + " of search " + searchId
                            + " has already ended; a finished trial is not run again");
                }
            }
            return null;
        });
    }

    void finishTrial(String searchId, SearchRecord.Trial t) {
        if (t.status() == SearchRecord.TrialStatus.RUNNING) {
            throw TrainchainException.internal("finishing trial " + t.number() + " as RUNNING", null);
        }
        db.transaction("finish trial " + t.number() + " of search " + searchId, c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE trials SET status = ?, rung = ?, value = ?, "
                    + "epochs = ?, message = ? WHERE search_id = ? AND number = ? AND status = 'RUNNING'")) {
                p.setString(1, t.status().name());
                setNullable(p, 2, t.rung());
                setNullable(p, 3, t.value());
                p.setInt(4, t.epochs());
                p.setString(5, t.message());
                p.setString(6, searchId);
                p.setInt(7, t.number());
                if (p.executeUpdate() != 1) {
                    throw TrainchainException.badInput("trial " + t.number() + " of search " + searchId
                            + " is not running; a trial is finished once");
                }
            }
            return null;
        });
    }

    void finishSearch(String searchId, RunStatus status, String bestRunId, String stopReason, String message) {
        if (status == RunStatus.RUNNING || status == RunStatus.STOPPED) {
            throw TrainchainException.internal("a search cannot end as " + status, null);
        }
        db.transaction("finish search " + searchId, c -> {
            if (bestRunId != null) {
                db.requireRun(c, bestRunId);
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE searches SET status = ?, best_run_id = ?, "
                    + "stop_reason = ?, message = ?, finished_at = ? WHERE id = ? AND status = 'RUNNING'")) {
                p.setString(1, status.name());
                p.setString(2, bestRunId);
                p.setString(3, stopReason);
                p.setString(4, message);
                p.setLong(5, db.clock().millis());
                p.setString(6, searchId);
                if (p.executeUpdate() != 1) {
                    requireSearch(c, searchId);
                    throw TrainchainException.badInput("search " + searchId + " has already ended; a search is "
                            + "finished once");
                }
            }
            return null;
        });
    }

    Optional<SearchRecord> getSearch(String id) {
        return db.read("read search " + id, c -> load(c, id));
    }

    /** Newest first; {@code repository} null for all. */
    List<SearchRecord> listSearches(String repository, boolean runningOnly, int limit) {
        List<String> ids = new ArrayList<>();
        db.read("list searches", c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT id FROM searches WHERE (? IS NULL OR repository = ?)"
                    + " AND (? = 0 OR status = 'RUNNING') ORDER BY started_at DESC, id DESC LIMIT ?")) {
                p.setString(1, repository);
                p.setString(2, repository);
                p.setInt(3, runningOnly ? 1 : 0);
                p.setInt(4, limit);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            return null;
        });
        return ids.stream().map(i -> getSearch(i).orElseThrow()).toList();
    }

    /** The search and trial number a run trained, if it was a trial (the trial's latest run after a resume). */
    Optional<SearchRecord.TrialOf> trialOf(String runId) {
        return db.read("find the trial of run " + runId, c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT search_id, number FROM trials WHERE run_id = ? LIMIT 1")) {
                p.setString(1, runId);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(new SearchRecord.TrialOf(rs.getString(1), rs.getInt(2)))
                            : Optional.<SearchRecord.TrialOf>empty();
                }
            }
        });
    }

    private Optional<SearchRecord> load(Connection c, String id) throws SQLException {
        List<SearchRecord.Trial> trials = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT * FROM trials WHERE search_id = ? ORDER BY number")) {
            p.setString(1, id);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    trials.add(new SearchRecord.Trial(rs.getInt("number"), rs.getString("run_id"),
                            rs.getString("params_json"), rs.getString("run_dir"),
                            SearchRecord.TrialStatus.valueOf(rs.getString("status")), getInteger(rs, "rung"),
                            getDouble(rs, "value"), rs.getInt("epochs"), rs.getString("message")));
                }
            }
        }
        try (PreparedStatement p = c.prepareStatement("SELECT * FROM searches WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Long finished = getLong(rs, "finished_at");
                return Optional.of(new SearchRecord(id, rs.getString("parent_run_id"), rs.getString("repository"),
                        rs.getString("strategy"), rs.getString("spec_json"), RunStatus.valueOf(rs.getString("status")),
                        rs.getString("best_run_id"), rs.getString("stop_reason"), rs.getString("message"),
                        Instant.ofEpochMilli(rs.getLong("started_at")),
                        finished == null ? null : Instant.ofEpochMilli(finished), trials));
            }
        }
    }

    private static void requireSearch(Connection c, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM searches WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    throw TrainchainException.badInput("no search " + id + " in the run store; list them with "
                            + "trainchain tune --list");
                }
            }
        }
    }
}

package io.trainchain.engine.store;

import java.util.List;

/** Ordered schema changes. Never edit a released migration: add the next one. */
final class Migrations {

    record Migration(int version, String description, List<String> statements) {
    }

    static final List<Migration> ALL = List.of(
            new Migration(1, "runs, epochs and steps", List.of(
                    """
                    CREATE TABLE runs (
                      id TEXT PRIMARY KEY,
                      repository TEXT NOT NULL,
                      commit_id TEXT,
                      branch TEXT,
                      dirty INTEGER,
                      framework TEXT,
                      dataset_name TEXT,
                      dataset_json TEXT,
                      params_json TEXT,
                      image_id TEXT,
                      artifacts_json TEXT NOT NULL DEFAULT '[]',
                      gate_metric TEXT,
                      gate_status TEXT,
                      gate_value REAL,
                      gate_threshold REAL,
                      gate_direction TEXT,
                      status TEXT NOT NULL CHECK (status IN ('RUNNING', 'PASSED', 'BELOW_THRESHOLD', 'FAILED')),
                      message TEXT,
                      started_at INTEGER NOT NULL,
                      finished_at INTEGER
                    )""",
                    """
                    CREATE TABLE epochs (
                      run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                      epoch INTEGER NOT NULL CHECK (epoch >= 0),
                      train_loss REAL,
                      val_loss REAL,
                      val_accuracy REAL,
                      val_macro_f1 REAL,
                      seconds REAL,
                      images_per_second REAL,
                      PRIMARY KEY (run_id, epoch)
                    )""",
                    """
                    CREATE TABLE steps (
                      run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                      seq INTEGER NOT NULL,
                      step TEXT NOT NULL,
                      started_at INTEGER NOT NULL,
                      millis INTEGER NOT NULL,
                      outcome TEXT,
                      PRIMARY KEY (run_id, seq)
                    )""")),
            new Migration(2, "evaluation metrics per run, for bestRun; index for listing", List.of(
                    """
                    CREATE TABLE metrics (
                      run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                      name TEXT NOT NULL,
                      value REAL NOT NULL,
                      PRIMARY KEY (run_id, name)
                    )""",
                    "CREATE INDEX metrics_by_name ON metrics(name, value)",
                    "CREATE INDEX runs_by_start ON runs(started_at, id)")),
            new Migration(3, "training attempts per run, for restarts from a checkpoint", List.of(
                    """
                    CREATE TABLE attempts (
                      run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                      attempt INTEGER NOT NULL CHECK (attempt >= 1),
                      started_at INTEGER NOT NULL,
                      seconds REAL NOT NULL CHECK (seconds >= 0),
                      cause TEXT NOT NULL,
                      exit_code INTEGER,
                      oom_killed INTEGER NOT NULL CHECK (oom_killed IN (0, 1)),
                      container_id TEXT,
                      memory_bytes INTEGER,
                      resumed_from TEXT,
                      lost_seconds REAL CHECK (lost_seconds IS NULL OR lost_seconds >= 0),
                      message TEXT,
                      PRIMARY KEY (run_id, attempt)
                    )""")));

    static int latest(List<Migration> migrations) {
        return migrations.isEmpty() ? 0 : migrations.get(migrations.size() - 1).version();
    }

    private Migrations() {
    }
}

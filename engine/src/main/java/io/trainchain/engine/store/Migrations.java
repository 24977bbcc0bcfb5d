package io.trainchain.engine.store;

import java.util.List;

/**
 * Ordered schema changes. Never edit a released migration: add the next one.
 *
 * <p>Why not Flyway (13.12, whose core supports SQLite): measured on this machine, opening an up-to-date store in
 * a fresh JVM, as every {@code trainchain} command does, took 650-730 ms through {@code Flyway.migrate()} against
 * 320-370 ms here (five runs each; the SQLite driver's native load is in both), and Flyway runs each migration in a
 * transaction, where SQLite ignores {@code PRAGMA foreign_keys=OFF}, which migration 4's table rebuild needs. The
 * runner ({@link StoreDatabase}) is a few dozen lines; the rest of this file is the SQL Flyway would hold too.
 */
final class Migrations {

    /**
     * @param rebuildsTables the statements rebuild a table (SQLite cannot change a CHECK in place): they run with
     *                       foreign keys off, which SQLite only allows outside a transaction, so that dropping the
     *                       old table cascades nothing; the keys are checked before the migration commits
     */
    record Migration(int version, String description, List<String> statements, boolean rebuildsTables) {
        Migration(int version, String description, List<String> statements) {
            this(version, description, statements, false);
        }
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
                    )""")),
            new Migration(4, "searches and their trials; a run may be STOPPED (a trial ended early by the search)",
                    List.of(
                    """
                    CREATE TABLE runs_v4 (
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
                      status TEXT NOT NULL
                        CHECK (status IN ('RUNNING', 'PASSED', 'BELOW_THRESHOLD', 'FAILED', 'STOPPED')),
                      message TEXT,
                      started_at INTEGER NOT NULL,
                      finished_at INTEGER
                    )""",
                    "INSERT INTO runs_v4 SELECT * FROM runs",
                    "DROP TABLE runs",
                    "ALTER TABLE runs_v4 RENAME TO runs",
                    "CREATE INDEX runs_by_start ON runs(started_at, id)",
                    """
                    CREATE TABLE searches (
                      id TEXT PRIMARY KEY,
                      parent_run_id TEXT REFERENCES runs(id),
                      repository TEXT NOT NULL,
                      strategy TEXT NOT NULL,
                      spec_json TEXT NOT NULL,
                      status TEXT NOT NULL CHECK (status IN ('RUNNING', 'PASSED', 'BELOW_THRESHOLD', 'FAILED')),
                      best_run_id TEXT REFERENCES runs(id),
                      stop_reason TEXT,
                      message TEXT,
                      started_at INTEGER NOT NULL,
                      finished_at INTEGER
                    )""",
                    """
                    CREATE TABLE trials (
                      search_id TEXT NOT NULL REFERENCES searches(id) ON DELETE CASCADE,
                      number INTEGER NOT NULL CHECK (number >= 1),
                      run_id TEXT REFERENCES runs(id),
                      params_json TEXT NOT NULL,
                      run_dir TEXT NOT NULL,
                      status TEXT NOT NULL CHECK (status IN ('RUNNING', 'COMPLETED', 'STOPPED', 'FAILED')),
                      rung INTEGER,
                      value REAL,
                      epochs INTEGER NOT NULL DEFAULT 0 CHECK (epochs >= 0),
                      message TEXT,
                      PRIMARY KEY (search_id, number)
                    )""",
                    "CREATE INDEX trials_by_run ON trials(run_id)",
                    "CREATE INDEX searches_by_start ON searches(started_at, id)"), true),
            new Migration(5, "registered models, their aliases and every promotion decision", List.of(
                    """
                    CREATE TABLE models (
                      name TEXT NOT NULL,
                      version INTEGER NOT NULL CHECK (version >= 1),
                      run_id TEXT NOT NULL REFERENCES runs(id),
                      sha256 TEXT NOT NULL,
                      path TEXT NOT NULL,
                      bytes INTEGER NOT NULL CHECK (bytes >= 0),
                      metric TEXT NOT NULL,
                      value REAL NOT NULL,
                      direction TEXT NOT NULL,
                      test_set TEXT NOT NULL,
                      registered_at INTEGER NOT NULL,
                      PRIMARY KEY (name, version)
                    )""",
                    "CREATE INDEX models_by_sha ON models(sha256)",
                    "CREATE INDEX models_by_run ON models(run_id)",
                    """
                    CREATE TABLE aliases (
                      name TEXT NOT NULL,
                      alias TEXT NOT NULL,
                      version INTEGER NOT NULL,
                      PRIMARY KEY (name, alias),
                      FOREIGN KEY (name, version) REFERENCES models(name, version)
                    )""",
                    """
                    CREATE TABLE promotions (
                      name TEXT NOT NULL,
                      alias TEXT NOT NULL,
                      seq INTEGER NOT NULL CHECK (seq >= 1),
                      action TEXT NOT NULL
                        CHECK (action IN ('PROMOTED', 'KEPT', 'NOT_COMPARABLE', 'FORCED', 'ROLLED_BACK')),
                      version INTEGER NOT NULL,
                      previous_version INTEGER,
                      value REAL,
                      previous_value REAL,
                      reason TEXT NOT NULL,
                      decided_at INTEGER NOT NULL,
                      PRIMARY KEY (name, alias, seq),
                      FOREIGN KEY (name, version) REFERENCES models(name, version)
                    )""")),
            new Migration(6, "what started each run (manual, webhook delivery, schedule)", List.of(
                    "ALTER TABLE runs ADD COLUMN trigger_kind TEXT NOT NULL DEFAULT 'manual'",
                    "ALTER TABLE runs ADD COLUMN trigger_id TEXT")),
            new Migration(7, "the server's queue of chains (pushes, schedules) and when each schedule last fired",
                    List.of(
                    """
                    CREATE TABLE queue (
                      seq INTEGER PRIMARY KEY AUTOINCREMENT,
                      repository TEXT NOT NULL,
                      branch TEXT NOT NULL,
                      commit_id TEXT NOT NULL,
                      trigger_kind TEXT NOT NULL,
                      trigger_id TEXT NOT NULL,
                      event TEXT,
                      pusher TEXT,
                      state TEXT NOT NULL
                        CHECK (state IN ('QUEUED', 'RUNNING', 'DONE', 'FAILED', 'SUPERSEDED')),
                      run_id TEXT REFERENCES runs(id),
                      superseded_by INTEGER REFERENCES queue(seq),
                      executions INTEGER NOT NULL DEFAULT 0 CHECK (executions >= 0),
                      interruptions INTEGER NOT NULL DEFAULT 0 CHECK (interruptions >= 0),
                      message TEXT,
                      queued_at INTEGER NOT NULL,
                      started_at INTEGER,
                      finished_at INTEGER,
                      UNIQUE (trigger_kind, trigger_id)
                    )""",
                    "CREATE INDEX queue_by_state ON queue(state, seq)",
                    "CREATE INDEX queue_by_branch ON queue(repository, branch, state)",
                    """
                    CREATE TABLE schedule_fires (
                      schedule TEXT PRIMARY KEY,
                      fired_at INTEGER NOT NULL,
                      dataset_json TEXT
                    )""")),
            new Migration(8, "what each run trained with: image, trainer, threads and limits", List.of(
                    """
                    CREATE TABLE run_environments (
                      run_id TEXT PRIMARY KEY REFERENCES runs(id),
                      image_id TEXT,
                      image_tag TEXT,
                      image_hash TEXT,
                      trainer TEXT NOT NULL,
                      threads INTEGER NOT NULL CHECK (threads >= 1),
                      memory_bytes INTEGER NOT NULL CHECK (memory_bytes > 0),
                      cpus REAL NOT NULL CHECK (cpus > 0),
                      pids INTEGER NOT NULL CHECK (pids > 0)
                    )""",
                    "CREATE INDEX run_environments_by_image_hash ON run_environments(image_hash)")));

    static int latest(List<Migration> migrations) {
        return migrations.isEmpty() ? 0 : migrations.get(migrations.size() - 1).version();
    }

    private Migrations() {
    }
}

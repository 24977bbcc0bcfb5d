package io.trainchain.engine.store;

import io.trainchain.engine.gate.Direction;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The run store: every chain run, its epochs, step timings and outcome, in an embedded SQLite file.
 * One connection per store, methods synchronized; SQLite's WAL mode and busy timeout let the CLI and a
 * Jenkins build share the file. Every write is one transaction.
 *
 * <p>This class is the public face; {@link StoreDatabase} holds the connection, migrations and transactions,
 * {@link RunWriter} the writes and {@link RunReader} the queries.
 */
public final class RunStore implements AutoCloseable {

    private final StoreDatabase db;
    private final RunWriter writer;
    private final RunReader reader;
    private final SearchStore searches;
    private final ModelStore models;
    private final EnvironmentStore environments;
    private final QueueStore queue;

    private RunStore(StoreDatabase db) {
        this.db = db;
        this.writer = new RunWriter(db);
        this.reader = new RunReader(db);
        this.searches = new SearchStore(db);
        this.models = new ModelStore(db);
        this.environments = new EnvironmentStore(db);
        this.queue = new QueueStore(db);
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
        return new RunStore(StoreDatabase.open(dbFile, clock, migrations));
    }

    public Path path() {
        return db.path();
    }

    /** The schema version the database is at. */
    public synchronized int schemaVersion() {
        return db.schemaVersion();
    }

    /** Records a new RUNNING run and returns its id (sortable by start time). */
    public synchronized String startRun(RunStart start) {
        return writer.startRun(start);
    }

    public void recordEpoch(String runId, EpochMetrics epoch) {
        recordEpochs(runId, List.of(epoch));
    }

    /** All or nothing: if one epoch cannot be stored (e.g. recorded twice), none of the batch is. */
    public synchronized void recordEpochs(String runId, List<EpochMetrics> epochs) {
        writer.recordEpochs(runId, epochs);
    }

    /**
     * Replaces the dataset identity of a run: the chain starts a run with the folder it mounts and learns the
     * files' checksums only when the trainer has written evaluation.json.
     */
    public synchronized void recordDataset(String runId, DatasetIdentity dataset) {
        writer.recordDataset(runId, dataset);
    }

    /** What run {@code runId} trains with (image, trainer, threads, limits); recorded again replaces it. */
    public synchronized void recordEnvironment(String runId, RunEnvironment environment) {
        environments.record(runId, environment);
    }

    public synchronized Optional<RunEnvironment> environment(String runId) {
        return environments.of(runId);
    }

    public synchronized void recordStep(String runId, StepTiming step) {
        writer.recordStep(runId, step);
    }

    /**
     * Records one training attempt (a container the watcher started) of a run, running or finished.
     * Each attempt number is recorded once; an unknown run or a repeated number is bad input.
     */
    public synchronized void recordAttempt(String runId, AttemptRecord a) {
        writer.recordAttempt(runId, a);
    }

    /** The attempts of a run by attempt number, empty when none was recorded; an unknown run is bad input. */
    public synchronized List<AttemptRecord> attempts(String runId) {
        return reader.attempts(runId);
    }

    /** Ends a RUNNING run: status, gate, artifacts and metrics are written together or not at all. */
    public synchronized void finishRun(String runId, RunOutcome outcome) {
        writer.finishRun(runId, outcome);
    }

    /** Newest first. */
    public synchronized List<RunRecord> listRuns(int limit) {
        return reader.listRuns(limit);
    }

    public synchronized Optional<RunRecord> getRun(String runId) {
        return reader.getRun(runId);
    }

    /** The finished run with the highest value of an evaluation metric (e.g. "accuracy"). */
    public Optional<RunRecord> bestRun(String metric) {
        return bestRun(metric, Direction.AT_LEAST);
    }

    /** As {@link #bestRun(String)}; AT_MOST picks the lowest value (for losses). */
    public synchronized Optional<RunRecord> bestRun(String metric, Direction direction) {
        return reader.bestRun(metric, direction);
    }

    /** Records a new RUNNING search and returns its id; {@code parentRunId} may be null. */
    public synchronized String startSearch(String parentRunId, String repository, String strategy, String specJson) {
        return searches.startSearch(parentRunId, repository, strategy, specJson);
    }

    /** Trial {@code number} runs as run {@code runId}; a RUNNING trial that is resumed moves to its new run. */
    public synchronized void startTrial(String searchId, int number, String runId, String paramsJson, String runDir) {
        searches.startTrial(searchId, number, runId, paramsJson, runDir);
    }

    /** Ends a RUNNING trial (completed, stopped at a rung, or failed). */
    public synchronized void finishTrial(String searchId, SearchRecord.Trial trial) {
        searches.finishTrial(searchId, trial);
    }

    /** Ends a RUNNING search with the best trial's run (or null) and what ended it. */
    public synchronized void finishSearch(String searchId, RunStatus status, String bestRunId, String stopReason,
                                          String message) {
        searches.finishSearch(searchId, status, bestRunId, stopReason, message);
    }

    public synchronized Optional<SearchRecord> getSearch(String searchId) {
        return searches.getSearch(searchId);
    }

    /** Newest first; {@code repository} null for every repository; {@code running} only those not ended. */
    public synchronized List<SearchRecord> listSearches(String repository, boolean running, int limit) {
        return searches.listSearches(repository, running, limit);
    }

    /** Registers the next version of model {@code name} (1 for the first) from run {@code runId}. */
    public synchronized ModelRecord registerModel(String name, String runId, String sha256, String path, long bytes,
                                                  String metric, double value, String direction, String testSet) {
        return models.register(name, runId, sha256, path, bytes, metric, value, direction, testSet);
    }

    /** Newest first; {@code name} null for every model, {@code sha256Prefix} null for any file. */
    public synchronized List<ModelRecord> models(String name, String sha256Prefix) {
        return models.models(name, sha256Prefix);
    }

    public synchronized Optional<ModelRecord> model(String name, int version) {
        return models.model(name, version);
    }

    /** The versions registered from run {@code runId}. */
    public synchronized List<ModelRecord> modelsOfRun(String runId) {
        return models.ofRun(runId);
    }

    /** The search and trial number run {@code runId} trained, if it was a trial. */
    public synchronized Optional<SearchRecord.TrialOf> trialOf(String runId) {
        return searches.trialOf(runId);
    }

    /** The version an alias (e.g. champion) points to. */
    public synchronized Optional<Integer> alias(String name, String alias) {
        return models.alias(name, alias);
    }

    /** Records a decision on an alias and moves it when the decision says so; refused if the alias moved meanwhile. */
    public synchronized PromotionRecord decide(String name, String alias, PromotionRecord.Action action, int version,
                                               Integer previousVersion, Double value, Double previousValue,
                                               String reason) {
        return models.decide(name, alias, action, version, previousVersion, value, previousValue, reason);
    }

    /** Every decision on an alias, oldest first. */
    public synchronized List<PromotionRecord> promotions(String name, String alias) {
        return models.promotions(name, alias);
    }

    /**
     * Queues a chain (the server's queue), committed before this returns; a trigger queued before (a redelivered
     * webhook) queues nothing and returns the existing chain. {@code supersede}: older queued chains of the same
     * repository and branch are marked SUPERSEDED by this one.
     */
    public synchronized QueuedChain.Enqueued enqueue(QueuedChain.Request request, boolean supersede) {
        return queue.enqueueAll(List.of(request), supersede).get(0);
    }

    /** As {@link #enqueue}, many in one transaction (one wait for the disk): the server's group commit. */
    public synchronized List<QueuedChain.Enqueued> enqueueAll(List<QueuedChain.Request> requests, boolean supersede) {
        return queue.enqueueAll(requests, supersede);
    }

    /** The oldest queued chain that may start (fewer than {@code perBranch} running on its branch), now RUNNING. */
    public synchronized Optional<QueuedChain> claimNextQueued(int perBranch) {
        return queue.claimNext(perBranch);
    }

    public synchronized void attachQueuedRun(long seq, String runId) {
        queue.attachRun(seq, runId);
    }

    /** Ends a RUNNING queued chain as DONE (it ran, whatever its gate said) or FAILED (it could not run). */
    public synchronized void finishQueued(long seq, QueuedChain.State state, String message) {
        queue.finish(seq, state, message);
    }

    /** RUNNING queued chains back to QUEUED (a server stopped while they ran); their runs marked FAILED. */
    public synchronized List<QueuedChain> requeueInterrupted(String why) {
        return queue.requeueInterrupted(why);
    }

    /** Newest first. */
    public synchronized List<QueuedChain> queue(int limit) {
        return queue.list(limit);
    }

    public synchronized Optional<QueuedChain> queued(long seq) {
        return queue.get(seq);
    }

    /** When schedule {@code name} last fired, and the dataset identity it fired with (JSON, may be null). */
    public synchronized Optional<Instant> lastScheduleFire(String name) {
        return queue.lastFire(name);
    }

    public synchronized Optional<String> lastScheduleDataset(String name) {
        return queue.lastFireDataset(name);
    }

    public synchronized void recordScheduleFire(String name, Instant at, String datasetJson) {
        queue.recordFire(name, at, datasetJson);
    }

    @Override
    public synchronized void close() {
        db.close();
    }
}

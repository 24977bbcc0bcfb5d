package io.trainchain.engine.tune;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.chain.TrialRunner;
import io.trainchain.engine.store.EpochMetrics;
import io.trainchain.engine.store.RunOutcome;
import io.trainchain.engine.store.RunRecord;
import io.trainchain.engine.store.RunStatus;
import io.trainchain.engine.store.RunStore;
import io.trainchain.engine.store.SearchRecord;
import io.trainchain.engine.store.SearchRecord.TrialStatus;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionService;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One search's loop: starts trials while the budget allows (up to the concurrency), follows their epochs for the
 * strategy's rung decisions and the epoch budget, records every trial's end, and stops at the first budget spent,
 * the first pass (when asked), the failure cap, or when the space has no more points.
 */
final class Search {
    private final String id;
    final TuneSettings settings;
    final Strategy strategy;
    private final TrialExecutor runner;
    private final RunStore store;
    final TuneListener out;
    private final Path dir;
    final List<TrialState> trials = new CopyOnWriteArrayList<>();
    final Budget budget;
    final RungMetric metric;
    private final List<TrialState> toResume = new ArrayList<>();
    private int nextNumber = 1;
    private int failures;
    volatile String stopReason;
    private TrialState badInput;

    Search(String id, TuneSettings settings, TrialExecutor runner, RunStore store, TuneListener out, Path dir) {
        this.id = id;
        this.settings = settings;
        this.strategy = Strategy.of(settings);
        this.budget = new Budget(settings);
        this.metric = new RungMetric(settings.gate());
        this.runner = runner;
        this.store = store;
        this.out = out;
        this.dir = dir;
    }

    /** Takes up a search whose process ended: ended trials as they were, a running one again from its checkpoint. */
    void restore(SearchRecord record) {
        for (SearchRecord.Trial t : record.trials()) {
            TrialState s = new TrialState(t.number(), TuneHyperparameters.params(t.paramsJson()), Path.of(t.runDir()),
                    t.status() == TrialStatus.RUNNING);
            RunRecord run = t.runId() == null ? null : store.getRun(t.runId()).orElse(null);
            if (run != null) {
                for (EpochMetrics e : run.epochs()) {
                    Double v = metric.of(e);
                    if (v != null) {
                        s.values.put(e.epoch(), v);
                    }
                    s.epochs = Math.max(s.epochs, e.epoch());
                }
            }
            budget.spentBefore(t.number(), s.epochs, run == null || run.finishedAt() == null ? 0
                    : (run.finishedAt().toEpochMilli() - run.startedAt().toEpochMilli()) / 1000.0);
            if (t.status() == TrialStatus.RUNNING) {
                if (run != null && run.status() == RunStatus.RUNNING) {
                    store.finishRun(run.id(), new RunOutcome(RunStatus.FAILED, null, run.artifacts(), null, Map.of(),
                            "interrupted: the search's process ended; the trial goes on in a new run"));
                }
                toResume.add(s);
            } else {
                s.summary = new TrialSummary(t.number(), s.params, t.status(), t.value(), t.epochs(), t.rung(),
                        t.status() == TrialStatus.COMPLETED && metric.passes(t.value()), t.runId(), s.runDir,
                        null, t.message());
                failures += t.status() == TrialStatus.FAILED ? 1 : 0;
            }
            trials.add(s);
            nextNumber = Math.max(nextNumber, t.number() + 1);
        }
    }

    SearchResult run() {
        budget.start();
        ExecutorService pool = Executors.newFixedThreadPool(settings.concurrency(), r -> {
            Thread t = new Thread(r, "trainchain-trial");
            t.setDaemon(true);
            return t;
        });
        CompletionService<TrialState> done = new ExecutorCompletionService<>(pool);
        int running = 0;
        try {
            for (TrialState t : toResume) {
                submit(done, t);
                running++;
            }
            while (true) {
                while (running < settings.concurrency() && stopReason == null && badInput == null) {
                    String spent = budget.spent(true);
                    if (spent != null) {
                        stopReason = spent;
                        break;
                    }
                    Optional<Map<String, Object>> next = strategy.suggest(nextNumber);
                    if (next.isEmpty()) {
                        stopReason = "every configuration of the space was tried";
                        break;
                    }
                    TrialState t = new TrialState(nextNumber, next.get(),
                            dir.resolve(String.format("trial-%03d", nextNumber)), false);
                    budget.trialStarted(nextNumber);
                    nextNumber++;
                    trials.add(t);
                    submit(done, t);
                    running++;
                }
                if (running == 0) {
                    break;
                }
                Future<TrialState> f = done.poll(1, TimeUnit.SECONDS);
                if (f == null) {
                    String spent = budget.spent(false);
                    if (spent != null && stopReason == null) {
                        stopReason = spent;
                        stopAll(spent);
                    }
                    continue;
                }
                running--;
                ended(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopAll("the search was interrupted");
            throw new java.util.concurrent.CancellationException("the search was interrupted; trainchain tune "
                    + "--resume continues it");
        } catch (ExecutionException e) {
            throw TrainchainException.internal("a trial failed unexpectedly: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
            awaitTrials(pool);
        }
        return finish();
    }

    /**
     * Waits (a minute at most) for stopped trials to remove their containers, also when the search itself was
     * interrupted; a container left after that is removed by a resumed search.
     */
    private static void awaitTrials(ExecutorService pool) {
        boolean interrupted = Thread.interrupted();
        try {
            pool.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void submit(CompletionService<TrialState> done, TrialState t) {
        out.trialStarted(t.number, t.params, t.resume);
        done.submit(() -> {
            synchronized (t) {
                if (t.stopReason != null) {
                    t.result = null;
                    return t;
                }
                t.worker = Thread.currentThread();
            }
            try {
                t.result = runner.run(new TrialRunner.Trial(t.number, t.params,
                        settings.epochsParam() ? settings.trialEpochs() : null,
                        settings.concurrency(), t.runDir, t.resume, new TrialEpochs(this, t), runId -> link(t, runId)));
            } finally {
                synchronized (t) {
                    t.worker = null;
                }
                Thread.interrupted(); // a stop that came after the trial's end is dropped here
            }
            return t;
        });
    }

    /** The trial's record, linked to its run as soon as the run exists: a killed search knows what was running. */
    private void link(TrialState t, String runId) {
        if (t.linked) {
            return;
        }
        t.linked = true;
        store.startTrial(id, t.number, runId, TuneHyperparameters.json(t.params), t.runDir.toString());
    }

    private void ended(TrialState t) {
        TrialRunner.Result r = t.result;
        t.summary = t.summarize();
        TrialStatus status = t.summary.status();
        if (r != null) {
            link(t, r.runId());
            store.finishTrial(id, new SearchRecord.Trial(t.number, r.runId(), TuneHyperparameters.json(t.params),
                    t.runDir.toString(), status, t.rung, t.summary.value(), t.epochs, t.summary.message()));
        }
        out.trialEnded(t.summary);
        budget.report(out);
        if (status == TrialStatus.FAILED) {
            failures++;
            if (r.failure() == TrainchainException.Kind.BAD_INPUT) {
                badInput = t; // every trial would fail the same way
                stopAll("the search ended: trial " + t.number + " was refused as bad input");
            } else if (failures >= settings.maxFailures() && stopReason == null) {
                stopReason = "failure cap reached (" + failures + " failed trials)";
                stopAll("the search ended: " + stopReason);
            }
        }
        if (t.summary.passed() && settings.stopAtFirstPass() && stopReason == null) {
            stopReason = "trial " + t.number + " passed the gate";
            stopAll("the search ended: " + stopReason);
        }
    }

    void stopAll(String why) {
        for (TrialState t : trials) {
            if (t.summary == null) {
                stop(t, why, null);
            }
        }
    }

    /** Ends a running trial early; not in its last epoch, which is nearly done and about to be gated. */
    void stop(TrialState t, String why, Integer rung) {
        synchronized (t) {
            if (t.stopReason != null || t.epochs >= settings.trialEpochs()) {
                return;
            }
            t.stopReason = why;
            t.rung = rung;
            if (t.worker != null) {
                t.worker.interrupt();
            }
        }
    }

    private SearchResult finish() {
        List<TrialSummary> summaries = trials.stream().map(t -> t.summary).toList();
        SearchOutcome o = new SearchOutcome(settings, summaries);
        Optional<TrialSummary> best = o.best();
        RunStatus status = best.isEmpty() ? RunStatus.FAILED : best.get().passed() ? RunStatus.PASSED
                : RunStatus.BELOW_THRESHOLD;
        String reason = badInput != null ? "trial " + badInput.number + " was refused as bad input"
                : stopReason == null ? "no more trials" : stopReason;
        o.keepBest(dir, out);
        store.finishSearch(id, status, best.map(TrialSummary::runId).orElse(null), reason, o.message(status));
        SearchResult result = new SearchResult(id, status, reason, settings, summaries, best, budget.epochs(),
                budget.minutes() * 60, null, null, null);
        if (badInput != null) {
            throw TrainchainException.badInput(badInput.summary.message());
        }
        return result;
    }

    static String round(double v) {
        return String.format(java.util.Locale.ROOT, "%.4f", v);
    }
}

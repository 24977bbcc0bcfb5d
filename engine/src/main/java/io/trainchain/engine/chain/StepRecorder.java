package io.trainchain.engine.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainchain.engine.ChainListener;
import io.trainchain.engine.store.EpochMetrics;
import io.trainchain.engine.store.RunStore;
import io.trainchain.engine.store.StepTiming;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs the chain's steps one by one: times each, reports its start and end to the listener, records it in the run
 * store (once the run exists) and stores epochs as they stream.
 */
final class StepRecorder {
    private final RunStore store;
    private final ChainListener out;
    private final List<StepTiming> steps = new ArrayList<>();
    private volatile String runId;
    private volatile Integer epochsTotal;
    private String currentStep;

    StepRecorder(RunStore store, ChainListener out) {
        this.store = store;
        this.out = out;
    }

    /** From now on timings and epochs go to this run; the steps timed before it existed are recorded first. */
    void attach(String id) {
        runId = id;
        steps.forEach(s -> store.recordStep(id, s));
    }

    /** Shown with each epoch event as {@code epochs_total}. */
    void epochsTotal(Integer total) {
        epochsTotal = total;
    }

    String currentStep() {
        return currentStep;
    }

    List<StepTiming> steps() {
        return steps;
    }

    <T> T step(String name, Function<ChainListener, T> body, Function<T, String> summary) {
        currentStep = name;
        Instant startedAt = Instant.now();
        long t0 = System.nanoTime();
        out.stepStarted(name);
        T value;
        try {
            value = body.apply(inner());
        } catch (RuntimeException e) {
            String m = ChainFailures.messageOf(e);
            timing(new StepTiming(name, startedAt, Duration.ofNanos(System.nanoTime() - t0), "failed: " + m));
            out.stepFinished(name, false, m);
            throw e;
        }
        String s = summary.apply(value);
        timing(new StepTiming(name, startedAt, Duration.ofNanos(System.nanoTime() - t0), "ok: " + s));
        out.stepFinished(name, true, s);
        currentStep = null;
        return value;
    }

    private void timing(StepTiming t) {
        steps.add(t);
        if (runId != null) {
            try {
                store.recordStep(runId, t);
            } catch (RuntimeException e) {
                out.log(t.step(), "could not record the step timing: " + e.getMessage());
            }
        }
    }

    /**
     * The listener handed to a step: the recorder reports step start and end itself (with the same names and the
     * timings it records), so the step's own events are dropped; epochs are stored as they stream.
     */
    private ChainListener inner() {
        return new ChainListener() {
            @Override
            public void log(String step, String line) {
                out.log(step, line);
            }

            @Override
            public void epoch(String step, JsonNode metrics) {
                if (runId != null) {
                    try {
                        store.recordEpoch(runId, epochOf(metrics));
                    } catch (RuntimeException e) {
                        out.log(step, "could not store epoch " + metrics.path("epoch") + ": " + e.getMessage());
                    }
                }
                JsonNode shown = metrics;
                if (metrics.isObject() && epochsTotal != null) {
                    shown = ((ObjectNode) metrics.deepCopy()).put("epochs_total", epochsTotal);
                }
                out.epoch(step, shown);
            }
        };
    }

    static EpochMetrics epochOf(JsonNode m) {
        return new EpochMetrics(m.path("epoch").asInt(), num(m, "train_loss"), num(m, "val_loss"),
                num(m, "val_accuracy"), num(m, "val_macro_f1"), num(m, "seconds"), num(m, "images_per_second"));
    }

    private static Double num(JsonNode m, String key) {
        JsonNode v = m.get(key);
        return v != null && v.isNumber() && Double.isFinite(v.asDouble()) ? v.asDouble() : null;
    }
}

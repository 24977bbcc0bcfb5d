package io.trainchain.engine.tune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainchain.engine.ChainListener;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One trial's events on their way to the search's listener: each new epoch counted against the budget, its value
 * kept for the strategy, and the strategy's rung decision or the spent epoch budget ending the trial there.
 */
final class TrialEpochs implements ChainListener {
    private final Search s;
    private final TrialState t;

    TrialEpochs(Search search, TrialState t) {
        this.s = search;
        this.t = t;
    }

    @Override
    public void log(String step, String line) {
        s.out.log(step, "trial " + t.number + ": " + line);
    }

    @Override
    public void epoch(String step, JsonNode m) {
        s.out.epoch(step, m.isObject() ? ((ObjectNode) m.deepCopy()).put("trial", t.number) : m);
        int e = m.path("epoch").asInt(0);
        if (e <= 0) {
            return;
        }
        Double v = s.metric.of(m);
        boolean fresh;
        synchronized (t) {
            fresh = e > t.epochs;
            t.epochs = Math.max(t.epochs, e);
            if (v != null) {
                t.values.put(e, v);
            }
        }
        if (!fresh) {
            return; // an epoch a resumed trial's metrics file shows again
        }
        s.budget.epochTrained();
        s.budget.report(s.out);
        if (e >= s.settings.trialEpochs() || t.stopReason != null) {
            return;
        }
        if (v != null) {
            List<Map<Integer, Double>> others = new ArrayList<>();
            for (TrialState o : s.trials) {
                if (o != t) {
                    synchronized (o) {
                        others.add(new TreeMap<>(o.values));
                    }
                }
            }
            Strategy.Decision d = s.strategy.atEpoch(t.number, e, v, others);
            if (d.atRung()) {
                s.out.rung(t.number, e, d, v);
            }
            if (d.stop()) {
                s.stop(t, "stopped at rung " + d.rung() + " (epoch " + e + "): " + Search.round(v)
                        + " against the cut " + Search.round(d.cut()) + " of " + d.compared() + " trials", d.rung());
                return;
            }
        }
        if (s.budget.epochsSpent()) {
            if (s.stopReason == null) {
                s.stopReason = "epochs budget spent (" + s.settings.maxEpochs() + " epochs)";
            }
            s.stopAll("the search ended: " + s.stopReason);
        }
    }

    @Override
    public void stepStarted(String step) {
        s.out.stepStarted(step);
    }

    @Override
    public void stepFinished(String step, boolean success, String summary) {
        s.out.stepFinished(step, success, "trial " + t.number + ": " + summary);
    }
}

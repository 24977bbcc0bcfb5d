package io.trainchain.jenkins;

import io.trainchain.engine.pipeline.StepResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each Pipeline step returns to the script: maps of strings, numbers, booleans, lists and maps (serializable, so
 * a CPS script may keep them across a restart) with the keys documented in the plugin's README.
 */
public final class ReturnMaps {

    private ReturnMaps() {
    }

    public static Map<String, Object> of(StepResult result) {
        if (result instanceof StepResult.Detected d) {
            return detected(d);
        } else if (result instanceof StepResult.Image i) {
            return image(i);
        } else if (result instanceof StepResult.Gate g) {
            return gate(g);
        } else if (result instanceof StepResult.Trained t) {
            return trained(t);
        } else if (result instanceof StepResult.Tuned t) {
            return tuned(t);
        } else if (result instanceof StepResult.Watched w) {
            return watched(w);
        }
        throw new IllegalArgumentException("no return map for " + result);
    }

    static Map<String, Object> detected(StepResult.Detected d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("framework", d.framework());
        m.put("displayName", d.displayName());
        m.put("confidence", d.confidence());
        m.put("overridden", d.overridden());
        m.put("imageRecipe", d.recipe());
        m.put("recipeFound", d.recipeFound());
        m.put("evidence", new ArrayList<>(d.evidence()));
        m.put("notes", new ArrayList<>(d.notes()));
        return m;
    }

    static Map<String, Object> image(StepResult.Image i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image", i.tag());
        m.put("imageId", i.imageId());
        m.put("cached", i.cached());
        m.put("seconds", i.seconds());
        m.put("baseImage", i.baseImage());
        m.put("framework", i.framework());
        return m;
    }

    static Map<String, Object> gate(StepResult.Gate g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", g.status());
        m.put("metric", g.metric());
        m.put("value", g.value());
        m.put("threshold", g.threshold());
        m.put("direction", g.direction());
        m.put("passed", g.passed());
        m.put("message", g.message());
        return m;
    }

    static Map<String, Object> trained(StepResult.Trained t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runId", t.runId());
        m.put("status", t.status());
        m.put("image", t.image());
        m.put("metrics", new LinkedHashMap<>(t.metrics()));
        m.putAll(t.artifacts()); // model, evaluation, metricsFile paths, outputDir...
        m.put("gate", gate(t.gate()));
        m.put("passed", t.gate().passed());
        m.put("attempts", attempts(t.attempts()));
        m.put("restarts", Math.max(0, t.attempts().size() - 1));
        m.put("champion", t.champion());
        return m;
    }

    static Map<String, Object> tuned(StepResult.Tuned t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("searchId", t.searchId());
        m.put("status", t.status());
        m.put("passed", t.passed());
        m.put("stopReason", t.stopReason());
        m.put("metric", t.metric());
        m.put("value", t.bestValue());
        m.put("params", new LinkedHashMap<>(t.bestParams()));
        m.put("model", t.bestModel());
        m.put("runId", t.bestRunId());
        m.put("trials", t.trials().size());
        m.put("epochsSpent", t.epochsSpent());
        m.put("mail", t.mail());
        m.put("champion", t.champion());
        return m;
    }

    static Map<String, Object> watched(StepResult.Watched w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("container", w.container());
        m.put("completed", w.completed());
        m.put("outputDir", w.outputDir());
        m.put("attempts", attempts(w.attempts()));
        m.put("restarts", Math.max(0, w.attempts().size() - 1));
        return m;
    }

    static List<Map<String, Object>> attempts(List<StepResult.AttemptRow> rows) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (StepResult.AttemptRow a : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("number", a.number());
            m.put("cause", a.cause());
            m.put("exitCode", a.exitCode());
            m.put("oomKilled", a.oomKilled());
            m.put("container", a.containerName());
            m.put("seconds", a.seconds());
            m.put("description", a.description());
            list.add(m);
        }
        return list;
    }
}

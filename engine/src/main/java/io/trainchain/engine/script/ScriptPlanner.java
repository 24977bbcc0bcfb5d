package io.trainchain.engine.script;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.config.ScriptConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides how a Python repository's script runs: an {@code MLproject} file makes it an MLproject, {@code args} or
 * {@code metrics} in trainchain.yaml an unmodified script run by that template, anything else a script written for
 * Trainchain (train.py or {@code entrypoint}). Every reference is checked here, before any image is built: the
 * script exists, each placeholder has a param.
 */
public final class ScriptPlanner {
    public static final String DEFAULT_SCRIPT = "train.py";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_.-]*)}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ScriptPlanner() {
    }

    /**
     * @param paramsJson the run's merged params (an object); they fill the placeholders
     * @param source     trainchain.yaml, for messages
     */
    public static ScriptPlan plan(Path repo, ScriptConfig cfg, String paramsJson, Path source) {
        Path mlproject = MlProject.find(repo);
        if (mlproject != null && cfg.args().isEmpty()) {
            return MlProject.read(mlproject).plan(cfg, params(paramsJson), source);
        }
        String script = cfg.entrypoint().orElse(DEFAULT_SCRIPT);
        requireScript(repo, script, cfg.entrypoint().isPresent(), source);
        List<String> launcher = new ArrayList<>();
        cfg.dataPath().ifPresent(d -> launcher.addAll(List.of("--data-path", d)));
        if (!cfg.isTemplate()) {
            return new ScriptPlan(ScriptPlan.Mode.CONTRACT, script, List.of(), true, launcher, List.of(),
                    cfg.modelPath(), List.of());
        }
        Map<String, String> values = params(paramsJson);
        List<String> args = expand(cfg.args().orElse(List.of()), values, where(source, "args"));
        List<String> resume = expand(cfg.resumeArgs(), values, where(source, "resume_args"));
        launcher.add("--template");
        if (!resume.isEmpty()) {
            launcher.addAll(List.of("--resume-args", json(resume)));
            cfg.checkpointDir().ifPresent(d -> launcher.addAll(List.of("--checkpoint-dir", d)));
        }
        if (cfg.metrics().isEmpty()) {
            throw TrainchainException.badInput(where(source, "metrics") + ": a script run by 'args' needs 'metrics' "
                    + "that say how to read it, e.g. metrics: [{name: accuracy, regex: 'Test Accuracy: (\\d+)%', "
                    + "scale: 0.01}]");
        }
        return new ScriptPlan(ScriptPlan.Mode.TEMPLATE, script, args, !resume.isEmpty(), launcher, cfg.metrics(),
                cfg.modelPath(), resume.isEmpty() ? List.of("no resume_args: a restart runs the script from scratch")
                : List.of());
    }

    /**
     * The plan of the repository's evaluate script ({@code evaluate:} in trainchain.yaml), run under the contract
     * with {@code --model FILE}; empty when none is declared. Checked like the training script, before any build.
     */
    public static Optional<ScriptPlan> evaluation(Path repo, ScriptConfig cfg, Path source) {
        if (cfg.evaluate().isEmpty()) {
            return Optional.empty();
        }
        String script = cfg.evaluate().get();
        requireScript(repo, script, "evaluate", source);
        List<String> launcher = new ArrayList<>();
        cfg.dataPath().ifPresent(d -> launcher.addAll(List.of("--data-path", d)));
        return Optional.of(new ScriptPlan(ScriptPlan.Mode.CONTRACT, script, List.of(), false, launcher, List.of(),
                Optional.empty(), List.of()));
    }

    /** Each argument with its {@code {param}} placeholders replaced; an unknown one is bad input. */
    static List<String> expand(List<String> template, Map<String, String> values, String where) {
        List<String> out = new ArrayList<>();
        for (String arg : template) {
            Matcher m = PLACEHOLDER.matcher(arg);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                String v = values.get(m.group(1));
                if (v == null) {
                    throw TrainchainException.badInput(where + ": placeholder {" + m.group(1) + "} in '" + arg
                            + "' has no param; params given: " + (values.isEmpty() ? "none"
                            : String.join(", ", new TreeSet<>(values.keySet()))) + ". Add it to the params "
                            + "(params: {" + m.group(1) + ": ...} in trainchain.yaml, or the params file)");
                }
                m.appendReplacement(b, Matcher.quoteReplacement(v));
            }
            m.appendTail(b);
            out.add(b.toString());
        }
        return out;
    }

    /** The params as argument text: numbers as JSON writes them, strings as they are. */
    static Map<String, String> params(String paramsJson) {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        try {
            JsonNode node = JSON.readTree(paramsJson == null ? "{}" : paramsJson);
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                if (v.isValueNode() && !v.isNull()) {
                    values.put(e.getKey(), v.isTextual() ? v.asText() : v.toString());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("params are not JSON: " + paramsJson, e);
        }
        return values;
    }

    static void requireScript(Path repo, String script, boolean configured, Path source) {
        requireScript(repo, script, configured ? "entrypoint" : null, source);
    }

    /** @param key the trainchain.yaml key that named the script, null for the default train.py */
    static void requireScript(Path repo, String script, String key, Path source) {
        Path file = repo.resolve(script).normalize();
        if (!file.startsWith(repo) || !Files.isRegularFile(file)) {
            throw TrainchainException.badInput(key != null
                    ? where(source, key) + ": " + key + " '" + script + "' does not exist in " + repo
                    + "; fix the path (relative to the repository root)"
                    : "no " + DEFAULT_SCRIPT + " in " + repo + ": a Python repository is run through train.py, or "
                    + "the script named by 'entrypoint:' in trainchain.yaml (with 'args' and 'metrics' for a script "
                    + "not written for Trainchain), or an MLproject file");
        }
        if (!script.endsWith(".py")) {
            String k = key == null ? "entrypoint" : key;
            throw TrainchainException.badInput(where(source, k) + ": " + k + " '" + script + "' is not a "
                    + "Python file (.py); it is run with python3");
        }
    }

    static String where(Path source, String key) {
        return (source == null ? "trainchain.yaml" : source.toString()) + " '" + key + "'";
    }

    private static String json(List<String> args) {
        try {
            return JSON.writeValueAsString(args);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

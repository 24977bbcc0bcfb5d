package io.trainchain.engine.script;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainchain.engine.ChainListener;
import io.trainchain.engine.LogTail;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.config.ScriptConfig.MetricRule;
import io.trainchain.engine.config.ScriptConfig.Per;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metrics collector for a script not written for Trainchain (Katib's stdout collector, SageMaker's metric
 * definitions): it reads the container's output line by line with the {@code metrics} rules, and a file the script
 * leaves, and writes what it read into the contract's files, metrics.jsonl (one line an epoch, as they come) and
 * evaluation.json (at the end), so the gate, the run store and the tuner see one contract. A rule that never
 * matched is told with its regex and the last lines of the output.
 */
public final class OutputMetrics implements ChainListener {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    /** The watcher's line before each restart (WatchContainer.pause). */
    private static final String RESTART = "watch: restart ";

    private final List<MetricRule> rules;
    private final Path outDir;
    private final boolean resumable;
    private final ChainListener out;
    private final LogTail tail = new LogTail(10);
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private final TreeMap<Integer, Map<String, Double>> epochs = new TreeMap<>();
    private final Map<String, Double> finals = new LinkedHashMap<>();

    /**
     * @param outDir    the run's train folder (/out in the container)
     * @param resumable whether a restart continues the epochs (else they count from 1 again)
     */
    public OutputMetrics(List<MetricRule> rules, Path outDir, boolean resumable, ChainListener out) {
        this.rules = List.copyOf(rules);
        this.outDir = outDir;
        this.resumable = resumable;
        this.out = out;
    }

    @Override
    public void log(String step, String line) {
        out.log(step, line);
        if (line.startsWith(RESTART)) {
            if (!resumable) {
                synchronized (this) {
                    counts.clear();
                    epochs.clear();
                    finals.clear();
                }
            }
            return;
        }
        tail.add(line);
        boolean epochChanged = false;
        for (MetricRule r : rules) {
            if (r.regex() == null) {
                continue;
            }
            Matcher m = r.regex().matcher(line);
            if (!m.find()) {
                continue;
            }
            Double v = number(m.group(1));
            if (v == null) {
                out.log(step, "metrics: " + r.name() + " matched '" + m.group() + "' but '" + m.group(1)
                        + "' is not a number; ignored");
                continue;
            }
            synchronized (this) {
                if (r.per() == Per.EPOCH) {
                    int n = counts.merge(r.name(), 1, Integer::sum);
                    epochs.computeIfAbsent(n, k -> new LinkedHashMap<>()).put(r.name(), v * r.scale());
                    epochChanged = true;
                } else {
                    finals.put(r.name(), v * r.scale());
                }
            }
        }
        if (epochChanged) {
            writeEpochs();
        }
    }

    @Override
    public void epoch(String step, JsonNode metrics) {
        out.epoch(step, metrics);
    }

    @Override
    public void stepStarted(String step) {
        out.stepStarted(step);
    }

    @Override
    public void stepFinished(String step, boolean success, String summary) {
        out.stepFinished(step, success, summary);
    }

    /**
     * Reads the file rules from {@code workDir} (the script's working directory on the host) and writes
     * evaluation.json: what the script wrote there itself, with the metrics read added. Returns, for each rule that
     * found nothing, why (for the gate's message).
     */
    public synchronized Map<String, String> finish(Path workDir) {
        Map<String, Double> found = new LinkedHashMap<>(finals);
        Map<String, String> missing = new LinkedHashMap<>();
        for (MetricRule r : rules) {
            if (r.file() != null) {
                Path file = workDir.resolve(r.file()).normalize();
                Double v = fromFile(file, r);
                if (v == null) {
                    missing.put(r.name(), "metric '" + r.name() + "': " + (Files.isRegularFile(file)
                            ? "no " + (r.regex() == null ? "number" : "match of regex '" + r.regex() + "'") + " in "
                            : "the script left no file ") + file);
                } else {
                    found.put(r.name(), v * r.scale());
                }
            } else if (r.per() == Per.FINAL && !found.containsKey(r.name())) {
                missing.put(r.name(), "metric '" + r.name() + "': regex '" + r.regex() + "' never matched the "
                        + "output; last lines:\n  " + String.join("\n  ", tail.lines()));
            } else if (r.per() == Per.EPOCH && !counts.containsKey(r.name())) {
                missing.put(r.name(), "metric '" + r.name() + "' (per epoch): regex '" + r.regex() + "' never "
                        + "matched the output; last lines:\n  " + String.join("\n  ", tail.lines()));
            }
        }
        // The last epoch's values stand for the run when no final rule gives the same name.
        if (!epochs.isEmpty()) {
            epochs.lastEntry().getValue().forEach(found::putIfAbsent);
        }
        writeEvaluation(found);
        return missing;
    }

    private synchronized void writeEpochs() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<Integer, Map<String, Double>> e : epochs.entrySet()) {
            ObjectNode n = JSON.createObjectNode().put("epoch", e.getKey());
            e.getValue().forEach(n::put);
            b.append(n).append('\n');
        }
        write(outDir.resolve("metrics.jsonl"), b.toString());
    }

    private void writeEvaluation(Map<String, Double> found) {
        Path file = outDir.resolve("evaluation.json");
        ObjectNode eval = JSON.createObjectNode();
        try {
            if (Files.isRegularFile(file) && JSON.readTree(file.toFile()) instanceof ObjectNode own) {
                eval = own; // the script's own evaluation.json: read metrics only add to it
            }
        } catch (IOException e) {
            out.log("train", "metrics: the script's evaluation.json is unreadable (" + e.getMessage()
                    + "); replacing it with the metrics read");
        }
        for (Map.Entry<String, Double> e : found.entrySet()) {
            if (!eval.has(e.getKey())) {
                eval.put(e.getKey(), e.getValue());
            }
        }
        eval.put("metrics_from", "trainchain.yaml metrics rules");
        try {
            write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(eval));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Double fromFile(Path file, MetricRule r) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > 1 << 20) {
                return null;
            }
            String text = Files.readString(file);
            Matcher m = r.regex() != null ? r.regex().matcher(text) : NUMBER.matcher(text);
            return m.find() ? number(r.regex() != null ? m.group(1) : m.group()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Double number(String s) {
        if (s == null || !NUMBER.matcher(s.trim()).matches()) {
            return null;
        }
        double d = Double.parseDouble(s.trim());
        return Double.isFinite(d) ? d : null;
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw TrainchainException.infrastructure("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}

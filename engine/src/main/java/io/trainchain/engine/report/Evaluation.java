package io.trainchain.engine.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainchain.engine.store.EpochMetrics;
import io.trainchain.engine.store.RunRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a report reads from a run's files (the trainer output contract): evaluation.json's test metrics, per-class
 * table and confusion matrix, and metrics.jsonl when the store has no epochs. A missing or unreadable file leaves
 * its sections out: a report of a failed run is still worth having.
 *
 * @param confusion  rows: true class; null when absent or not square over the class names
 * @param classNames null when absent
 */
record Evaluation(Double accuracy, Double macroF1, Double testLoss, List<ClassMetrics> perClass, int[][] confusion,
                  List<String> classNames) {

    record ClassMetrics(String name, Double precision, Double recall, Double f1, Integer support) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    static Optional<Evaluation> of(RunRecord run) {
        return artifact(run, "evaluation.json").flatMap(Evaluation::read);
    }

    /** The run's artifact with this file name, if it was recorded and still exists. */
    static Optional<Path> artifact(RunRecord run, String fileName) {
        return run.artifacts().stream().map(Path::of)
                .filter(p -> p.getFileName() != null && p.getFileName().toString().equals(fileName))
                .filter(Files::isRegularFile).findFirst();
    }

    static Optional<Evaluation> read(Path file) {
        JsonNode n;
        try {
            n = JSON.readTree(file.toFile());
        } catch (IOException e) {
            return Optional.empty();
        }
        if (n == null || !n.isObject()) {
            return Optional.empty();
        }
        List<ClassMetrics> perClass = new ArrayList<>();
        for (JsonNode c : n.path("per_class")) {
            JsonNode support = c.get("support");
            perClass.add(new ClassMetrics(c.path("class").asText(String.valueOf(perClass.size())),
                    number(c, "precision"), number(c, "recall"), number(c, "f1"),
                    support != null && support.canConvertToInt() ? support.asInt() : null));
        }
        List<String> names = null;
        if (n.path("class_names").isArray()) {
            names = new ArrayList<>();
            for (JsonNode c : n.get("class_names")) {
                names.add(c.asText());
            }
        }
        return Optional.of(new Evaluation(number(n, "accuracy"), number(n, "macro_f1"), number(n, "test_loss"),
                List.copyOf(perClass), matrix(n.path("confusion_matrix"), names), names));
    }

    /** A square matrix of whole counts matching the class names, else null (no heat map rather than a wrong one). */
    private static int[][] matrix(JsonNode m, List<String> names) {
        if (!m.isArray() || m.isEmpty() || names != null && names.size() != m.size()) {
            return null;
        }
        int[][] rows = new int[m.size()][];
        for (int r = 0; r < m.size(); r++) {
            JsonNode row = m.get(r);
            if (!row.isArray() || row.size() != m.size()) {
                return null;
            }
            rows[r] = new int[row.size()];
            for (int c = 0; c < row.size(); c++) {
                if (!row.get(c).canConvertToInt()) {
                    return null;
                }
                rows[r][c] = row.get(c).asInt();
            }
        }
        return rows;
    }

    /** The class names for the matrix: evaluation.json's, else the per-class table's, else 0..n-1. */
    List<String> labels() {
        if (classNames != null) {
            return classNames;
        }
        if (confusion != null && perClass.size() == confusion.length) {
            return perClass.stream().map(ClassMetrics::name).toList();
        }
        List<String> l = new ArrayList<>();
        for (int i = 0; confusion != null && i < confusion.length; i++) {
            l.add(Integer.toString(i));
        }
        return l;
    }

    /** The run's epochs: the store's, else its metrics.jsonl (a run whose epochs were not stored). */
    static List<EpochMetrics> epochs(RunRecord run) {
        if (!run.epochs().isEmpty()) {
            return run.epochs();
        }
        Optional<Path> file = artifact(run, "metrics.jsonl");
        if (file.isEmpty()) {
            return List.of();
        }
        List<EpochMetrics> epochs = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file.get())) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode e = JSON.readTree(line);
                if (e.path("epoch").canConvertToInt()) {
                    epochs.add(new EpochMetrics(e.get("epoch").asInt(), number(e, "train_loss"), number(e, "val_loss"),
                            number(e, "val_accuracy"), number(e, "val_macro_f1"), number(e, "seconds"),
                            number(e, "images_per_second")));
                }
            }
        } catch (IOException e) {
            return List.copyOf(epochs); // a line being written when the report was asked for
        }
        return List.copyOf(epochs);
    }

    private static Double number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isNumber() && Double.isFinite(v.asDouble()) ? v.asDouble() : null;
    }
}

package io.trainchain.trainer.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * metrics.jsonl: one JSON object a line, one line an epoch, flushed as each epoch ends so that a reader tailing the
 * file (the engine, in a container) sees it at once.
 */
public final class MetricsWriter implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BufferedWriter out;

    private MetricsWriter(BufferedWriter out) {
        this.out = out;
    }

    /**
     * Opens {@code file} for appending, first dropping lines of epochs after {@code keepUpToEpoch} (a resumed run
     * repeats those epochs; they must not appear twice).
     */
    public static MetricsWriter open(Path file, int keepUpToEpoch) throws IOException {
        if (Files.exists(file)) {
            List<String> kept = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    if (JSON.readTree(line).path("epoch").asInt(Integer.MAX_VALUE) <= keepUpToEpoch) {
                        kept.add(line);
                    }
                } catch (IOException torn) {
                    // a line cut off by a kill: the epoch is repeated, so drop it
                }
            }
            AtomicFiles.write(file, tmp -> Files.write(tmp, kept, StandardCharsets.UTF_8));
        }
        return new MetricsWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND));
    }

    public void write(EpochMetrics m) {
        try {
            out.write(toJson(m).toString());
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode toJson(EpochMetrics m) {
        ObjectNode o = JSON.createObjectNode();
        o.put("epoch", m.epoch());
        put(o, "train_loss", m.trainLoss());
        put(o, "val_loss", m.valLoss());
        put(o, "val_accuracy", m.valAccuracy());
        put(o, "val_macro_f1", m.valMacroF1());
        o.put("seconds", Math.round(m.seconds() * 1000) / 1000.0);
        o.put("images_per_second", Math.round(m.imagesPerSecond() * 10) / 10.0);
        return o;
    }

    public static EpochMetrics fromJson(JsonNode o) {
        return new EpochMetrics(o.path("epoch").asInt(), num(o, "train_loss"), num(o, "val_loss"),
                num(o, "val_accuracy"), num(o, "val_macro_f1"), num(o, "seconds"), num(o, "images_per_second"));
    }

    private static double num(JsonNode o, String k) {
        JsonNode n = o.get(k);
        return n == null || !n.isNumber() ? Double.NaN : n.doubleValue();
    }

    private static void put(ObjectNode o, String k, double v) {
        if (Double.isNaN(v)) {
            o.putNull(k);
        } else {
            o.put(k, v);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}

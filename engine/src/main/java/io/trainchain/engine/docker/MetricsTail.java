package io.trainchain.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Follows a JSON-lines file that another process appends to (the trainer's metrics.jsonl, one object per epoch).
 * Only complete lines are parsed: the trainer may be mid-write when we look. One tail follows a training across
 * restarts: a resumed trainer rewrites the file (a new file under the same name) and may repeat the epoch it was
 * killed in, so a replaced file is read from its start and each epoch number is reported once, the first time.
 */
public final class MetricsTail {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Consumer<JsonNode> onRecord;
    private final Consumer<String> onBadLine;
    private final List<JsonNode> seen = new ArrayList<>();
    private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();
    private long offset;
    private Object fileKey;
    private int lastEpoch = Integer.MIN_VALUE;

    public MetricsTail(Path file, Consumer<JsonNode> onRecord, Consumer<String> onBadLine) {
        this.file = file;
        this.onRecord = onRecord;
        this.onBadLine = onBadLine;
    }

    /** Reads what was appended since the last call; returns the number of new records. */
    public synchronized int poll() {
        int before = seen.size();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            Object key = fileKey(file);
            boolean replaced = key != null && fileKey != null && !key.equals(fileKey);
            fileKey = key;
            if (size < offset || replaced) { // truncated or replaced (a resumed or fresh run): start over
                offset = 0;
                partial.reset();
            }
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            ch.position(offset);
            int n;
            while ((n = ch.read(buf)) > 0) {
                offset += n;
                buf.flip();
                while (buf.hasRemaining()) {
                    byte b = buf.get();
                    if (b == '\n') {
                        line(partial.toString(StandardCharsets.UTF_8));
                        partial.reset();
                    } else {
                        partial.write(b);
                    }
                }
                buf.clear();
            }
        } catch (NoSuchFileException e) {
            return 0; // not written yet
        } catch (IOException e) {
            onBadLine.accept("could not read " + file + ": " + e.getMessage());
        }
        return seen.size() - before;
    }

    private void line(String line) {
        String trimmed = line.trim();
        if (trimmed.isEmpty()) {
            return;
        }
        try {
            JsonNode node = JSON.readTree(trimmed);
            if (node == null || !node.isObject()) {
                onBadLine.accept("not a JSON object in " + file.getFileName() + ": " + trimmed);
                return;
            }
            JsonNode epoch = node.get("epoch");
            if (epoch != null && epoch.canConvertToInt()) {
                if (epoch.asInt() <= lastEpoch) {
                    return; // seen before a restart
                }
                lastEpoch = epoch.asInt();
            }
            seen.add(node);
            onRecord.accept(node);
        } catch (IOException e) {
            onBadLine.accept("unparseable line in " + file.getFileName() + ": " + trimmed);
        }
    }

    private static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** The highest epoch number reported so far (0 before the first). */
    public synchronized int lastEpoch() {
        return Math.max(0, lastEpoch);
    }

    public synchronized List<JsonNode> records() {
        return List.copyOf(seen);
    }
}

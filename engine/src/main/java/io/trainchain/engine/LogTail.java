package io.trainchain.engine;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The last lines of a log, for failure messages ("last lines of the container log"). Thread-safe. */
public final class LogTail {
    private final int max;
    private final Deque<String> lines = new ArrayDeque<>();

    public LogTail(int max) {
        this.max = max;
    }

    public synchronized void add(String line) {
        lines.addLast(line);
        if (lines.size() > max) {
            lines.removeFirst();
        }
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}

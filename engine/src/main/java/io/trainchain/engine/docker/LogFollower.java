package io.trainchain.engine.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import io.trainchain.engine.ChainListener;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.trainchain.engine.docker.TrainInContainer.STEP;

/**
 * Follows the container log, splitting frames into lines per stream. The follow request is a long read that
 * may hit the client's response timeout during a quiet stretch; then it re-attaches from the last timestamp
 * and drops what it already printed.
 */
final class LogFollower implements AutoCloseable {
    private final DockerClient docker;
    private final String id;
    private final java.util.function.Consumer<String> sink;
    private final Map<StreamType, ByteArrayOutputStream> partial = new EnumMap<>(StreamType.class);
    private volatile Callback current;
    private volatile Instant lastTimestamp;
    private volatile long firstLineNanos;
    private final Runnable onError;

    /** @param onError called (on the stream's thread) when the stream breaks, so the follower can re-attach */
    LogFollower(DockerClient docker, String id, java.util.function.Consumer<String> sink, Runnable onError) {
        this.docker = docker;
        this.id = id;
        this.sink = sink;
        this.onError = onError;
    }

    boolean broken() {
        Callback c = current;
        return c != null && c.failed != null;
    }

    void attach() {
        var cmd = docker.logContainerCmd(id).withFollowStream(true).withStdOut(true).withStdErr(true)
                .withTimestamps(true);
        if (lastTimestamp != null) {
            cmd.withSince((int) lastTimestamp.getEpochSecond());
        }
        current = cmd.exec(new Callback());
    }

    /** Re-attaches if the stream broke while the container still runs. */
    void keepAlive() {
        Callback c = current;
        if (c.failed != null) {
            sink.accept("(log stream interrupted: " + c.failed.getMessage() + "; re-attaching)");
            attach();
        }
    }

    void finish(Duration timeout, ChainListener out) throws InterruptedException {
        Callback c = current;
        if (c.failed == null) {
            try {
                if (!c.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    out.log(STEP, "(log stream still open " + timeout.toSeconds() + " s after the container "
                            + "stopped; closing it)");
                }
            } catch (RuntimeException e) { // awaitCompletion rethrows a stream error
                out.log(STEP, "(log stream ended with an error: " + e.getMessage() + ")");
            }
        }
        synchronized (partial) {
            for (ByteArrayOutputStream b : partial.values()) {
                if (b.size() > 0) {
                    emit(b.toString(StandardCharsets.UTF_8));
                    b.reset();
                }
            }
        }
    }

    long firstLineNanos() {
        return firstLineNanos;
    }

    @Override
    public void close() {
        Callback c = current;
        if (c != null) {
            DockerConnector.closeQuietly(c);
        }
    }

    private void frame(Frame frame) {
        StreamType type = frame.getStreamType() == null ? StreamType.RAW : frame.getStreamType();
        synchronized (partial) {
            ByteArrayOutputStream buf = partial.computeIfAbsent(type, t -> new ByteArrayOutputStream());
            for (byte b : frame.getPayload()) {
                if (b == '\n') {
                    emit(buf.toString(StandardCharsets.UTF_8));
                    buf.reset();
                } else {
                    buf.write(b);
                }
            }
        }
    }

    /** "2024-01-01T00:00:00.123456789Z text": strips the timestamp, skips lines printed before a re-attach. */
    private void emit(String raw) {
        String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
        int space = line.indexOf(' ');
        if (space > 0) {
            try {
                Instant ts = Instant.parse(line.substring(0, space));
                Instant last = lastTimestamp;
                if (last != null && !ts.isAfter(last)) {
                    return; // already printed before the re-attach
                }
                lastTimestamp = ts;
                line = line.substring(space + 1);
            } catch (DateTimeParseException e) {
                // a continuation of a line longer than one frame: no timestamp
            }
        }
        if (firstLineNanos == 0) {
            firstLineNanos = System.nanoTime();
        }
        sink.accept(line);
    }

    private final class Callback extends ResultCallback.Adapter<Frame> {
        volatile Throwable failed;

        @Override
        public void onNext(Frame frame) {
            frame(frame);
        }

        @Override
        public void onError(Throwable throwable) {
            failed = throwable;
            super.onError(throwable);
        }
    }
}

package io.trainchain.engine.watch;

import com.fasterxml.jackson.databind.JsonNode;
import io.trainchain.engine.ChainListener;
import io.trainchain.engine.LogTail;
import io.trainchain.engine.docker.ContainerRun;

import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The listener of one attempt: passes everything on, keeps the last lines for a failure message, and notes the
 * trainer's own milestones (its log contract): {@code first training step done ...} and
 * {@code resuming from FILE ...; restored in S s}.
 */
final class AttemptLog implements ChainListener {
    static final String FIRST_STEP = "first training step done";
    private static final Pattern RESTORED = Pattern.compile("resuming from .*restored in ([0-9.]+) s");
    private static final int TAIL = 12;

    private final ChainListener out;
    private final LogTail tail = new LogTail(TAIL);
    private volatile long firstStepNanos;
    private volatile Instant firstStepAt;
    private volatile Double restoreSeconds;
    private volatile Runnable onFirstStep = () -> { };

    AttemptLog(ChainListener out) {
        this.out = out;
    }

    @Override
    public void log(String step, String line) {
        if (firstStepNanos == 0 && line.contains(FIRST_STEP)) {
            firstStepNanos = System.nanoTime();
            firstStepAt = Instant.now();
            onFirstStep.run();
        }
        Matcher m = RESTORED.matcher(line);
        if (restoreSeconds == null && m.find()) {
            restoreSeconds = Double.parseDouble(m.group(1));
        }
        tail.add(line);
        out.log(step, line);
    }

    @Override
    public void epoch(String step, JsonNode metrics) {
        out.epoch(step, metrics);
    }

    /** Runs {@code r} (on the log's thread: it must not block) once the trainer made its first training step. */
    void onFirstStep(Runnable r) {
        onFirstStep = r;
    }

    List<String> tail() {
        return tail.lines();
    }

    Instant firstStepAt() {
        return firstStepAt;
    }

    Attempt.Timings timings(ContainerRun.Exit exit, Instant now) {
        Instant detectedAt = now.minusNanos(Math.max(0, System.nanoTime() - exit.detectedNanos()));
        Double firstStep = firstStepNanos == 0 || exit.startNanos() == 0 ? null
                : (firstStepNanos - exit.startNanos()) / 1e9;
        return new Attempt.Timings(exit.detectionSeconds(detectedAt), exit.createSeconds(), firstStep,
                restoreSeconds);
    }
}

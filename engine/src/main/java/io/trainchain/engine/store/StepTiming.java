package io.trainchain.engine.store;

import java.time.Duration;
import java.time.Instant;

/**
 * How long one chain step took.
 *
 * @param step    e.g. "detectFramework", "buildImage", "train"
 * @param outcome free text such as "ok" or "failed: ...", may be null
 */
public record StepTiming(String step, Instant startedAt, Duration duration, String outcome) {

    public StepTiming {
        if (step == null || step.isBlank() || startedAt == null || duration == null || duration.isNegative()) {
            throw new IllegalArgumentException("a step timing needs a step name, a start and a non-negative duration");
        }
    }
}

package io.trainchain.engine.watch;

import java.time.Duration;
import java.util.Objects;

/**
 * How the watcher brings a dead training container back: at most {@code maxRestarts} new containers. The first
 * restart after a container that ran {@link #HEALTHY} or longer is immediate (a lone kill costs no waiting, as in
 * Kubernetes); each further one in a row waits {@code backoff × factor^(k-2)} (at most {@code maxBackoff}), the
 * steps of Docker's own restart policy (100 ms, doubling, reset after 10 s of running). After an OOM kill the memory limit may grow by
 * {@code oomMemoryFactor} (0 = off, the default) up to {@code oomMemoryCapBytes} (0 = 4× the first limit). A Docker
 * engine that went away is waited for up to {@code daemonDeadline}. With {@code hotStandby} the next container is
 * started ahead, up to its wait for a signal ({@link Standby}; the built-in trainer only): a restart then skips the
 * container, JVM and data start, for a second container's memory while it waits.
 */
public record WatchPolicy(int maxRestarts, Duration backoff, double backoffFactor, Duration maxBackoff,
                          double oomMemoryFactor, long oomMemoryCapBytes, Duration daemonDeadline,
                          boolean hotStandby) {

    public static final int MAX_RESTARTS_LIMIT = 100;
    /** A container that ran this long resets the backoff (as Docker's restart policy does). */
    public static final Duration HEALTHY = Duration.ofSeconds(10);
    public static final WatchPolicy DEFAULT = new WatchPolicy(3, Duration.ofMillis(100), 2.0, Duration.ofSeconds(30),
            0, 0, Duration.ofMinutes(5), false);
    /** One container, no restart: the watcher only classifies and records its end. */
    public static final WatchPolicy OFF = DEFAULT.withMaxRestarts(0);

    public WatchPolicy(int maxRestarts, Duration backoff, double backoffFactor, Duration maxBackoff,
                       double oomMemoryFactor, long oomMemoryCapBytes, Duration daemonDeadline) {
        this(maxRestarts, backoff, backoffFactor, maxBackoff, oomMemoryFactor, oomMemoryCapBytes, daemonDeadline,
                false);
    }

    public WatchPolicy {
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(daemonDeadline, "daemonDeadline");
        if (maxRestarts < 0 || maxRestarts > MAX_RESTARTS_LIMIT) {
            throw new IllegalArgumentException("restarts is " + maxRestarts + "; use 0 (no restart) to "
                    + MAX_RESTARTS_LIMIT);
        }
        if (backoff.isNegative() || maxBackoff.isNegative()) {
            throw new IllegalArgumentException("restart backoff must not be negative: " + backoff + ", max "
                    + maxBackoff);
        }
        if (!(backoffFactor >= 1) || Double.isInfinite(backoffFactor)) {
            throw new IllegalArgumentException("restart backoff factor is " + backoffFactor + "; use 1 or more");
        }
        if (oomMemoryFactor != 0 && !(oomMemoryFactor > 1 && oomMemoryFactor <= 16)) {
            throw new IllegalArgumentException("OOM memory factor is " + oomMemoryFactor
                    + "; use a number above 1 and at most 16 (e.g. 1.5), or 0 to keep the limit");
        }
        if (oomMemoryCapBytes < 0) {
            throw new IllegalArgumentException("OOM memory cap is negative: " + oomMemoryCapBytes);
        }
        if (daemonDeadline.isZero() || daemonDeadline.isNegative()) {
            throw new IllegalArgumentException("Docker reconnect deadline must be positive: " + daemonDeadline);
        }
    }

    /** The wait before the k-th restart in a row (1 for the first since a healthy container): 0, then doubling. */
    public Duration delayBefore(int k) {
        if (k <= 1) {
            return Duration.ZERO;
        }
        double millis = backoff.toMillis() * Math.pow(backoffFactor, k - 2);
        return millis >= maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis(Math.round(millis));
    }

    /** The memory limit after an OOM kill of a container that had {@code current} bytes (the first had {@code first}). */
    public long raisedMemory(long current, long first) {
        if (oomMemoryFactor == 0 || current <= 0) {
            return current;
        }
        long cap = oomMemoryCapBytes > 0 ? oomMemoryCapBytes : 4 * first;
        return Math.max(current, Math.min(cap, (long) Math.ceil(current * oomMemoryFactor)));
    }

    public WatchPolicy withMaxRestarts(int n) {
        return new WatchPolicy(n, backoff, backoffFactor, maxBackoff, oomMemoryFactor, oomMemoryCapBytes,
                daemonDeadline, hotStandby);
    }

    public WatchPolicy withHotStandby(boolean on) {
        return new WatchPolicy(maxRestarts, backoff, backoffFactor, maxBackoff, oomMemoryFactor, oomMemoryCapBytes,
                daemonDeadline, on);
    }
}

package io.trainchain.engine.config;

import io.trainchain.engine.TrainchainException;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The watcher and checkpoint settings as a user gives them (command line or trainchain.yaml's {@code watch:} and
 * {@code checkpoint:}); null fields mean "the next source decides, else the default".
 */
public record WatchOptions(Integer restarts, Duration backoff, Double backoffFactor, Duration maxBackoff,
                           Double oomMemoryFactor, Long oomMemoryCapBytes, Duration daemonDeadline,
                           Integer checkpointEveryEpochs, Double checkpointEveryMinutes, Boolean hotStandby) {

    public static final WatchOptions NONE = new WatchOptions(null, null, null, null, null, null, null, null, null,
            null);

    private static final Pattern DURATION = Pattern.compile("(?i)\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h)?\\s*");

    /** Field by field: this one's value where it has one, else {@code lower}'s. */
    public WatchOptions over(WatchOptions lower) {
        return new WatchOptions(pick(restarts, lower.restarts), pick(backoff, lower.backoff),
                pick(backoffFactor, lower.backoffFactor), pick(maxBackoff, lower.maxBackoff),
                pick(oomMemoryFactor, lower.oomMemoryFactor), pick(oomMemoryCapBytes, lower.oomMemoryCapBytes),
                pick(daemonDeadline, lower.daemonDeadline), pick(checkpointEveryEpochs, lower.checkpointEveryEpochs),
                pick(checkpointEveryMinutes, lower.checkpointEveryMinutes), pick(hotStandby, lower.hotStandby));
    }

    private static <T> T pick(T mine, T theirs) {
        return mine != null ? mine : theirs;
    }

    /**
     * A duration as written on the command line or in trainchain.yaml: "100ms", "2s", "1.5m", "1h"; a bare number
     * is seconds.
     *
     * @param where names the option or key in the error, e.g. "--restart-backoff"
     */
    public static Duration parseDuration(String text, String where) {
        Matcher m = text == null ? null : DURATION.matcher(text);
        if (m == null || !m.matches()) {
            throw TrainchainException.badInput(where + " is \"" + text
                    + "\" but must be a duration such as 100ms, 2s, 1.5m or 1h (a bare number is seconds)");
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        double millis = switch (unit) {
            case "ms" -> v;
            case "m", "min" -> v * 60_000;
            case "h" -> v * 3_600_000;
            default -> v * 1000;
        };
        return Duration.ofMillis(Math.round(millis));
    }
}

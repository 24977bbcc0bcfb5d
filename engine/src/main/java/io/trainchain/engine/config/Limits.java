package io.trainchain.engine.config;

import io.trainchain.engine.TrainchainException;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resource limits for the training container. Null fields mean "the runner's default".
 *
 * @param memory      as written, e.g. "2g"
 * @param memoryBytes the same in bytes
 */
public record Limits(String memory, Long memoryBytes, Double cpus, Integer pids) {

    public static final Limits NONE = new Limits(null, null, null, null);

    private static final Pattern SIZE = Pattern.compile("(?i)\\s*(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(?:i?b)?\\s*");

    /**
     * Parses a size as docker and trainchain.yaml write it ("2g", "512m", "1.5g", bare bytes).
     *
     * @param where names the option or key in the error, e.g. "--memory"
     */
    public static long parseMemory(String text, String where) {
        Matcher m = text == null ? null : SIZE.matcher(text);
        if (m == null || !m.matches()) {
            throw TrainchainException.badInput(where + " is \"" + text
                    + "\" but must be a size such as 2g, 512m or 1.5g");
        }
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        long bytes = (long) (Double.parseDouble(m.group(1)) * (1L << shift));
        if (bytes <= 0) {
            throw TrainchainException.badInput(where + " is \"" + text + "\"; it must be positive, e.g. 2g");
        }
        return bytes;
    }
}

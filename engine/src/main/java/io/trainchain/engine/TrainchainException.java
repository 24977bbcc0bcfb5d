package io.trainchain.engine;

/**
 * The one exception type the engine throws. The {@link Kind} tells callers (CLI, Jenkins adapter)
 * whose fault it is, so they can pick an exit code / build result without parsing messages.
 * Messages say what was wrong, where (file:line or field), and what to do.
 */
public class TrainchainException extends RuntimeException {

    /** Whose fault: the user's input, the machine/environment, or a bug in Trainchain. */
    public enum Kind { BAD_INPUT, INFRASTRUCTURE, INTERNAL }

    private final Kind kind;

    public TrainchainException(Kind kind, String message) {
        this(kind, message, null);
    }

    public TrainchainException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        if (kind == null) {
            throw new IllegalArgumentException("kind must not be null");
        }
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static TrainchainException badInput(String message) {
        return new TrainchainException(Kind.BAD_INPUT, message);
    }

    public static TrainchainException badInput(String message, Throwable cause) {
        return new TrainchainException(Kind.BAD_INPUT, message, cause);
    }

    public static TrainchainException infrastructure(String message, Throwable cause) {
        return new TrainchainException(Kind.INFRASTRUCTURE, message, cause);
    }

    public static TrainchainException internal(String message, Throwable cause) {
        return new TrainchainException(Kind.INTERNAL, message, cause);
    }
}

package io.trainchain.trainer;

/**
 * Input the user can fix: the message says what was wrong, where (file or field) and what to do. Leads to exit code
 * {@link ExitCode#BAD_INPUT} and one line on stderr, never a stack trace.
 */
public class BadInputException extends RuntimeException {
    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}

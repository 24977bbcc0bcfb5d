package io.trainchain.engine.docker;

/** A Docker step failed in a way the user should read (build step failed, timeout, missing tool...). */
public class DockerStepException extends RuntimeException {
    public DockerStepException(String message) {
        super(message);
    }

    public DockerStepException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.trainchain.engine.docker;

import java.util.List;

/** No Docker engine answered; the message lists every candidate tried and why it failed. */
public final class DockerUnavailableException extends RuntimeException {
    private final List<String> failures;

    public DockerUnavailableException(String message, List<String> failures) {
        super(message);
        this.failures = List.copyOf(failures);
    }

    /** One entry per candidate: "source host: reason". */
    public List<String> failures() {
        return failures;
    }
}

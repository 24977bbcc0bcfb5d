package io.trainchain.engine.notify;

import java.nio.file.Path;

/**
 * What became of a message. {@code outboxFile} is the queued .eml (null when sent or lost); {@code reason} says why it
 * was not sent (null when sent) and never contains the SMTP password.
 */
public record Delivery(Status status, Path outboxFile, String reason) {

    public enum Status {
        /** Accepted by the SMTP server. */
        SENT,
        /** Not sent; kept in the outbox for {@code trainchain outbox send}. */
        QUEUED,
        /** Neither sent nor queued: the outbox could not be written either. */
        FAILED
    }

    public boolean sent() {
        return status == Status.SENT;
    }
}

package io.trainchain.engine.chain;

import java.time.Duration;
import java.util.Objects;

/** Upper bounds of the long Docker steps; every other Docker call is bounded by the connection's timeouts. */
public record ChainTimeouts(Duration baseImage, Duration build, Duration train) {

    public static final ChainTimeouts DEFAULT =
            new ChainTimeouts(Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(12));

    public ChainTimeouts {
        Objects.requireNonNull(baseImage, "baseImage");
        Objects.requireNonNull(build, "build");
        Objects.requireNonNull(train, "train");
    }
}

package io.trainchain.engine.chain;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.TrainchainException.Kind;
import io.trainchain.engine.docker.DockerStepException;
import io.trainchain.engine.docker.DockerUnavailableException;
import io.trainchain.engine.docker.TrainInContainer;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CancellationException;

/** Whose fault a failure is (the exception kind) and the one line a user reads about it. */
final class ChainFailures {

    private ChainFailures() {
    }

    /** Maps a failed training container to the exception kind: the trainer's exit 2 is the user's input. */
    static TrainchainException trainFailure(TrainInContainer.Result r, List<String> lastLines) {
        String tail = lastLines.isEmpty() ? "" : "\nlast lines of the container log:\n  "
                + String.join("\n  ", lastLines);
        return switch (r.outcome()) {
            case FAILED -> r.exitCode() == 2
                    ? TrainchainException.badInput("the trainer refused its input: " + r.message()
                    + "; fix the data or params it names" + tail)
                    : TrainchainException.infrastructure("training failed: " + r.message() + tail, null);
            case OOM_KILLED -> TrainchainException.infrastructure("training was killed: " + r.message(), null);
            case TIMED_OUT -> TrainchainException.infrastructure("training " + r.message()
                    + "; raise the train timeout or lower epochs/--limit" + tail, null);
            case SUCCEEDED -> throw new IllegalArgumentException("not a failure");
        };
    }

    static Kind kindOf(Throwable e) {
        if (e instanceof TrainchainException t) {
            return t.kind();
        }
        if (e instanceof DockerUnavailableException || e instanceof DockerStepException
                || e instanceof CancellationException || e instanceof UncheckedIOException
                || e.getClass().getName().startsWith("com.github.dockerjava.")) {
            return Kind.INFRASTRUCTURE;
        }
        return Kind.INTERNAL;
    }

    static String messageOf(Throwable e) {
        if (e instanceof CancellationException) {
            return "interrupted: " + e.getMessage();
        }
        if (e instanceof TrainchainException || e instanceof DockerStepException
                || e instanceof DockerUnavailableException) {
            return e.getMessage();
        }
        if (e.getClass().getName().startsWith("com.github.dockerjava.")) {
            return "Docker engine error: " + e.getMessage();
        }
        return e.toString();
    }
}

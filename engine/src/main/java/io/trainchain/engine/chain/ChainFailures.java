package io.trainchain.engine.chain;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.TrainchainException.Kind;
import io.trainchain.engine.docker.DockerStepException;
import io.trainchain.engine.docker.DockerUnavailableException;

import java.io.UncheckedIOException;
import java.util.concurrent.CancellationException;

/** Whose fault a failure is (the exception kind) and the one line a user reads about it. */
final class ChainFailures {

    private ChainFailures() {
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

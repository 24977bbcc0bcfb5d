package io.trainchain.engine.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.WaitResponse;

import java.net.SocketException;
import java.util.concurrent.Semaphore;

/** The wait endpoint's answer: the status code once the container stopped, or the error that broke it. */
final class WaitCallback extends ResultCallback.Adapter<WaitResponse> {
    private final Semaphore wake;
    volatile Integer status;
    volatile boolean completed;
    volatile long doneNanos;
    volatile Throwable failed;

    WaitCallback(Semaphore wake) {
        this.wake = wake;
    }

    boolean done() {
        return completed && failed == null;
    }

    @Override
    public void onNext(WaitResponse r) {
        status = r.getStatusCode();
        doneNanos = System.nanoTime();
        completed = true;
        wake.release();
    }

    @Override
    public void onComplete() {
        if (!completed) { // the stream ended without an answer: the engine went away mid-request
            failed = new SocketException("wait request ended without a status");
        }
        super.onComplete();
        wake.release();
    }

    @Override
    public void onError(Throwable t) {
        failed = t;
        try {
            super.onError(t);
        } finally {
            wake.release();
        }
    }
}

package io.trainchain.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) or SIGTERM while a command trains: the JVM would exit and leave the training container running.
 * This hook interrupts the command's thread instead, so the engine stops and removes the container and restarts
 * nothing, and lets the JVM go once the command says it is done (or after a bound).
 */
final class ShutdownInterrupt implements AutoCloseable {
    private static final long CLEANUP_SECONDS = 30;

    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;

    private ShutdownInterrupt(Thread worker) {
        hook = new Thread(() -> {
            worker.interrupt();
            try {
                done.await(CLEANUP_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "trainchain-shutdown");
    }

    /** Interrupts the calling thread on shutdown until {@link #close()}. */
    static ShutdownInterrupt install() {
        ShutdownInterrupt s = new ShutdownInterrupt(Thread.currentThread());
        Runtime.getRuntime().addShutdownHook(s.hook);
        return s;
    }

    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it returns as soon as it sees done
        }
    }
}

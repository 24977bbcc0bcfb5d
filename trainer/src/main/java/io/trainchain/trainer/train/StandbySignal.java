package io.trainchain.trainer.train;

import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A hot standby's wait for its signal file. The watcher starts a standby container while the training runs; the
 * standby gets as far as it can without knowing the checkpoint (JVM, native libraries, data) and then waits here,
 * writing nothing, until the watcher creates the file after the training container died.
 */
final class StandbySignal {
    /** 5 ms: the wait's share of a restart stays negligible, the polling's CPU too (~200 stat calls a second). */
    static final long POLL_MILLIS = 5;

    private StandbySignal() {
    }

    static void await(Path file, Consumer<String> log) throws InterruptedIOException {
        log.accept("standby: ready; waiting for " + file);
        long t0 = System.nanoTime();
        while (!Files.exists(file)) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for " + file);
            }
        }
        log.accept(String.format(Locale.ROOT, "standby: activated after %.1f s", (System.nanoTime() - t0) / 1e9));
    }
}

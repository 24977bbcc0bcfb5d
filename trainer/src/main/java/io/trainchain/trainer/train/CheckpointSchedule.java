package io.trainchain.trainer.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/** Decides when a checkpoint is due under a {@link CheckpointPolicy}, and writes and logs each one. */
final class CheckpointSchedule {
    private final CheckpointPolicy policy;
    private final long intervalNanos;
    private final Checkpoints checkpoints;
    private final Consumer<String> log;
    private long last;

    /** The timer starts now: the first time-based checkpoint is due an interval after training starts or resumes. */
    CheckpointSchedule(CheckpointPolicy policy, Checkpoints checkpoints, Consumer<String> log) {
        this.policy = policy;
        this.intervalNanos = policy.intervalNanos();
        this.checkpoints = checkpoints;
        this.log = log;
        this.last = System.nanoTime();
    }

    /** After a batch that is not its epoch's last (the epoch-end checkpoint follows that one). */
    boolean dueMidEpoch() {
        return intervalNanos > 0 && System.nanoTime() - last >= intervalNanos;
    }

    /** After {@code epochsDone} epochs: every N-th epoch, or when the time interval is up. */
    boolean dueAtEpochEnd(int epochsDone) {
        return epochsDone % policy.everyEpochs() == 0 || dueMidEpoch();
    }

    Path write(MultiLayerNetwork net, CheckpointState state) throws IOException {
        long t0 = System.nanoTime();
        Path file = checkpoints.save(net, state);
        long end = System.nanoTime();
        last = timerStart(t0, end, intervalNanos);
        log.accept(String.format(Locale.ROOT, "checkpoint %s written (epoch %d, batch %d) in %.2f s", file.getFileName(),
                state.epoch(), state.batch(), (end - t0) / 1e9));
        return file;
    }

    /**
     * When the next interval starts after a write from {@code t0} to {@code end}: at the write's start, so that
     * checkpoint files land an interval apart and a kill loses at most one interval of training; after a write that
     * took over half the interval, at its end, so that writing never takes more than about half of the time.
     */
    static long timerStart(long t0, long end, long intervalNanos) {
        return end - t0 > intervalNanos / 2 ? end : t0;
    }
}

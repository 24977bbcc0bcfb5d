package io.trainchain.trainer.train;

/**
 * How often checkpoints are written. Not a hyperparameter (it never changes what is trained), so it is not part of
 * {@code TrainConfig} and a resume with another interval is accepted.
 *
 * @param everyEpochs  an epoch-end checkpoint after every N-th epoch (≥ 1)
 * @param everyMinutes also one as soon as this many minutes have passed since the last checkpoint (or since training
 *                     started or resumed), mid-epoch if need be; 0 = off
 */
public record CheckpointPolicy(int everyEpochs, double everyMinutes) {
    public static final CheckpointPolicy DEFAULT = new CheckpointPolicy(1, 0);

    public CheckpointPolicy {
        if (everyEpochs < 1 || !(everyMinutes >= 0) || Double.isInfinite(everyMinutes)) {
            throw new IllegalArgumentException("everyEpochs " + everyEpochs + ", everyMinutes " + everyMinutes);
        }
    }

    /** The time interval in nanoseconds, 0 when off (saturates for absurdly long intervals: never due). */
    long intervalNanos() {
        return everyMinutes == 0 ? 0 : Math.max(1, (long) (everyMinutes * 60e9));
    }
}

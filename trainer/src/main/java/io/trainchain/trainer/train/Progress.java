package io.trainchain.trainer.train;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where training stands: the position a checkpoint records and a resume continues from, with the partial epoch's
 * loss sum and the training clock (which stops while a checkpoint is written: that is not training).
 */
final class Progress {
    private int epoch;
    private int batch;
    private double lossSum;
    private long epochNanos;
    private long trainingNanos;
    private long clockStart;

    private Progress(int epoch, int batch, double lossSum, long epochNanos, long trainingNanos) {
        this.epoch = epoch;
        this.batch = batch;
        this.lossSum = lossSum;
        this.epochNanos = epochNanos;
        this.trainingNanos = trainingNanos;
    }

    static Progress fresh() {
        return new Progress(0, 0, 0, 0, 0);
    }

    static Progress of(CheckpointState s) {
        return new Progress(s.epoch(), s.batch(), s.lossSum(), s.epochTrainingNanos(), s.trainingNanos());
    }

    /** Epochs completed. */
    int epoch() {
        return epoch;
    }

    /** Batches done of the current epoch. */
    int batch() {
        return batch;
    }

    double lossSum() {
        return lossSum;
    }

    long epochNanos() {
        return epochNanos;
    }

    long trainingNanos() {
        return trainingNanos;
    }

    void batchDone(int images, double meanLoss) {
        batch++;
        lossSum += meanLoss * images;
    }

    void clockOn() {
        clockStart = System.nanoTime();
    }

    void clockOff() {
        long d = System.nanoTime() - clockStart;
        epochNanos += d;
        trainingNanos += d;
    }

    void epochDone() {
        epoch++;
        batch = 0;
        lossSum = 0;
        epochNanos = 0;
    }

    CheckpointState state(long iteration, long seed, int trainImages, JsonNode params) {
        return new CheckpointState(epoch, iteration, seed, trainImages, params, batch, lossSum, epochNanos,
                trainingNanos);
    }
}

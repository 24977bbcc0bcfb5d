package io.trainchain.engine.store;

/** One training epoch as the trainer reports it; any metric may be null when not measured. */
public record EpochMetrics(int epoch, Double trainLoss, Double valLoss, Double valAccuracy, Double valMacroF1,
                           Double seconds, Double imagesPerSecond) {
}

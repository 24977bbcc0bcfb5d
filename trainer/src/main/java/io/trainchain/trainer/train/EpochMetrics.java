package io.trainchain.trainer.train;

/** One line of metrics.jsonl. val_* are NaN (written as null) when no validation split is held out. */
public record EpochMetrics(int epoch, double trainLoss, double valLoss, double valAccuracy, double valMacroF1,
                           double seconds, double imagesPerSecond) {
}

package io.trainchain.trainer.train;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What besides the weights and updater state a resumed run needs to continue exactly where it stopped. A checkpoint
 * written before mid-epoch checkpoints existed lacks the last four fields: they read as 0, an epoch-end position.
 *
 * @param epoch              epochs completed
 * @param iteration          optimizer steps taken
 * @param seed               the run's seed: data order of epoch e is a permutation from (seed, e), and ND4J's RNG
 *                           (dropout) is reseeded from (seed, e, batch) before each batch, so no RNG state is saved
 * @param trainImages        size of the training split (a resume on other data is refused)
 * @param params             the run's full params (a resume with other hyperparameters, epochs aside, is refused)
 * @param batch              batches done of epoch {@code epoch + 1} (0 = an epoch-end checkpoint)
 * @param lossSum            those batches' summed loss × batch size, for the epoch's train_loss
 * @param epochTrainingNanos those batches' training time, for the epoch's seconds and images_per_second
 * @param trainingNanos      all training time so far, resumes included, for evaluation.json's training_seconds
 */
public record CheckpointState(int epoch, long iteration, long seed, int trainImages, JsonNode params, int batch,
                              double lossSum, long epochTrainingNanos, long trainingNanos) {
}

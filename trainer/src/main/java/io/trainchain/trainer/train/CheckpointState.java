package io.trainchain.trainer.train;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What besides the weights and updater state a resumed run needs to continue exactly where it stopped.
 *
 * @param epoch         epochs completed
 * @param iteration     optimizer steps taken
 * @param seed          the run's seed: data order of epoch e is a permutation from (seed, e), dropout's RNG is
 *                      reseeded from (seed, e) at the start of each epoch, so nothing else of the RNGs needs saving
 * @param trainImages   size of the training split (a resume on other data is refused)
 * @param params        the run's full params (a resume with other hyperparameters, epochs aside, is refused)
 */
public record CheckpointState(int epoch, long iteration, long seed, int trainImages, JsonNode params) {
}

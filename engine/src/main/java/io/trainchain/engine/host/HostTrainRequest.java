package io.trainchain.engine.host;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A trainer run on this machine (no container).
 *
 * @param trainerDist folder with trainchain-trainer.jar and lib/ (trainer/target/dist in a build)
 * @param data        dataset folder; empty for the trainer's default (Debian's Fashion-MNIST)
 * @param params      params.json; empty for the trainer's defaults
 * @param limit       at most this many training and test images (0 = all)
 * @param cpus        OpenMP threads
 */
public record HostTrainRequest(Path trainerDist, Optional<Path> data, Path out, Optional<Path> params, int limit,
                               boolean resume, int cpus) {
}

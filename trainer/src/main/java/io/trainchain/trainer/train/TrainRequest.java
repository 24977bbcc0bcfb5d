package io.trainchain.trainer.train;

import io.trainchain.trainer.config.TrainConfig;

import java.nio.file.Path;

/**
 * One trainer invocation.
 *
 * @param dataDir     folder of IDX or CIFAR-10 binary files
 * @param outDir      where metrics.jsonl, checkpoints/, model.zip and evaluation.json go
 * @param limit       at most this many training and test images (0 = all)
 * @param resume      continue from the newest valid checkpoint in outDir/checkpoints (a fresh start if there is none)
 * @param checkpoints when to write checkpoints
 * @param standby     null, or a hot standby's signal file: everything that does not depend on the checkpoint is
 *                    done first (data, native libraries, network), then the trainer waits for this file to exist,
 *                    writes nothing until it does, and resumes from the newest checkpoint found then
 */
public record TrainRequest(Path dataDir, Path outDir, TrainConfig config, int limit, boolean resume,
                           CheckpointPolicy checkpoints, Path standby) {

    public TrainRequest(Path dataDir, Path outDir, TrainConfig config, int limit, boolean resume,
                        CheckpointPolicy checkpoints) {
        this(dataDir, outDir, config, limit, resume, checkpoints, null);
    }

    /** With a checkpoint after every epoch. */
    public TrainRequest(Path dataDir, Path outDir, TrainConfig config, int limit, boolean resume) {
        this(dataDir, outDir, config, limit, resume, CheckpointPolicy.DEFAULT);
    }
}

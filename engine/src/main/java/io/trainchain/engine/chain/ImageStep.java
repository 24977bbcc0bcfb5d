package io.trainchain.engine.chain;

import io.trainchain.engine.ChainListener;
import io.trainchain.engine.docker.DockerConnection;

import java.util.function.Supplier;

/**
 * detectFramework and buildTrainingImage on their own, outside a recorded run, for callers that run the chain step
 * by step (the Jenkins steps). Same bodies as the chain's: {@link Project#detect} and {@link TrainingImage#build}.
 */
public final class ImageStep {

    private ImageStep() {
    }

    /** The detect-framework step: trainchain.yaml, the scan, and the recipe (a missing recipe is BAD_INPUT). */
    public static Project detect(ChainRequest req, ChainListener out) {
        return Project.detect(Project.requireRepo(req.repository()), null, req.dockerfilesRoot(), out, f -> { });
    }

    /**
     * The base image and the training image for {@code req}'s repository; an unchanged context is reused.
     *
     * @return the training image's result and the base image that was used
     */
    public static TrainingImageResult build(Supplier<DockerConnection> docker, ChainRequest req, ChainListener out) {
        Project project = detect(req, out);
        ChainSettings settings = MergeSettings.merge(req, project.config());
        StepRecorder steps = new StepRecorder(null, out); // no run: nothing is recorded, only reported
        try (DockerConnection connection = ChainRunner.connect(docker)) {
            TrainingImage.Built built = TrainingImage.build(connection, req, project, settings,
                    ChainRunner.trainerDist(req, project), steps);
            return new TrainingImageResult(built.base().image(), built.image(), project.framework().recipe());
        }
    }

    /** @param baseImage the base image's name, @param image the training image, @param framework its recipe name */
    public record TrainingImageResult(String baseImage, io.trainchain.engine.docker.BuildTrainingImage.Result image,
                                      String framework) {
    }
}

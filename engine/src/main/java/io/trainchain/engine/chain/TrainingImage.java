package io.trainchain.engine.chain;

import io.trainchain.engine.docker.BaseImage;
import io.trainchain.engine.docker.BuildTrainingImage;
import io.trainchain.engine.docker.DockerConnection;

import java.nio.file.Path;
import java.util.Map;

/** The base-image and buildTrainingImage steps, as the chain and a search's preparation both run them. */
final class TrainingImage {

    /** @param base the base image step's result, @param image the training image's */
    record Built(BaseImage.Result base, BuildTrainingImage.Result image) {
    }

    private TrainingImage() {
    }

    static Built build(DockerConnection connection, ChainRequest req, Project project, ChainSettings settings,
                       Path trainerDist, StepRecorder steps) {
        String baseImage = project.baseImage(settings);
        BaseImage.Result base = steps.step(ChainRunner.BASE, l -> EnsureBaseImage.ensure(connection, baseImage,
                req.timeouts().baseImage(), l), b -> b.image() + (b.reused() ? " exists" : " built"));
        BuildTrainingImage.Result image = steps.step(ChainRunner.BUILD, l -> {
            try {
                return new BuildTrainingImage(connection.client()).run(new BuildTrainingImage.Request(
                        project.recipeDir(), trainerDist, project.repo(), baseImage, Map.of(), req.timeouts().build(),
                        l, project.python() ? PythonTraining.contextFiles(project) : Map.of()));
            } catch (BuildTrainingImage.BuildFailedException e) {
                throw PythonTraining.installFailure(e);
            }
        }, r -> r.tag() + (r.cached() ? " (cached)" : " (built)"));
        return new Built(base, image);
    }
}

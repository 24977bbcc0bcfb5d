package io.trainchain.engine.store;

import java.nio.file.Path;

/**
 * What is known when a chain run starts.
 *
 * @param git        null when the repository is not a Git checkout
 * @param framework  the detected framework's recipe name ("dl4j"), or null
 * @param dataset    null when not known yet
 * @param paramsJson training parameters as a JSON object, or null
 * @param trigger    what started it; {@link Trigger#MANUAL} when null
 */
public record RunStart(Path repository, GitInfo git, String framework, DatasetIdentity dataset, String paramsJson,
                       Trigger trigger) {

    public RunStart {
        if (repository == null) {
            throw new IllegalArgumentException("repository must not be null");
        }
        trigger = trigger == null ? Trigger.MANUAL : trigger;
    }

    /** A run started by hand. */
    public RunStart(Path repository, GitInfo git, String framework, DatasetIdentity dataset, String paramsJson) {
        this(repository, git, framework, dataset, paramsJson, Trigger.MANUAL);
    }
}

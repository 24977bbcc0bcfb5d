package io.trainchain.engine.chain;

import io.trainchain.engine.config.Limits;
import io.trainchain.engine.config.WatchOptions;
import io.trainchain.engine.store.Trigger;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One chain run as the caller (CLI, Jenkins) asks for it. Every nullable field is an override: null means
 * "trainchain.yaml decides, else the default" (see {@link MergeSettings}).
 *
 * @param repository      the checked-out repository (required)
 * @param dataDir         dataset folder; overrides the file's {@code dataset}
 * @param paramsFile      params.json; overrides the file's {@code params}
 * @param gate            gate fields; {@link GateOverride#NONE} for none
 * @param limits          container limits; {@link Limits#NONE} for none
 * @param limit           at most this many training and test images
 * @param epochs          training epochs (written into the mounted params)
 * @param baseImage       base image of the training image; null: trainchain/base-jre17:bookworm (built if missing)
 * @param trainerDist     the trainer's jar and lib/ (required for the dl4j recipe)
 * @param dockerfilesRoot the folder of image recipes (required)
 * @param outputDir       where this run's files go; null: {@code <workDir>/runs/<run id>/}
 * @param workDir         parent of runs/ when outputDir is null; null: the run store's folder
 * @param keepContainer   leave the training container for inspection
 * @param watch           restarts, backoff and checkpoint interval; {@link WatchOptions#NONE} for none
 * @param trigger         what started the run (recorded as the root of its lineage); {@link Trigger#MANUAL} for null
 */
public record ChainRequest(Path repository, Path dataDir, Path paramsFile, GateOverride gate, Limits limits,
                           Integer limit, Integer epochs, String baseImage, Path trainerDist, Path dockerfilesRoot,
                           Path outputDir, Path workDir, boolean keepContainer, ChainTimeouts timeouts,
                           WatchOptions watch, Trigger trigger) {

    public ChainRequest {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(dockerfilesRoot, "dockerfilesRoot");
        gate = gate == null ? GateOverride.NONE : gate;
        limits = limits == null ? Limits.NONE : limits;
        timeouts = timeouts == null ? ChainTimeouts.DEFAULT : timeouts;
        watch = watch == null ? WatchOptions.NONE : watch;
        trigger = trigger == null ? Trigger.MANUAL : trigger;
    }

    /** A request started by hand. */
    public ChainRequest(Path repository, Path dataDir, Path paramsFile, GateOverride gate, Limits limits,
                        Integer limit, Integer epochs, String baseImage, Path trainerDist, Path dockerfilesRoot,
                        Path outputDir, Path workDir, boolean keepContainer, ChainTimeouts timeouts,
                        WatchOptions watch) {
        this(repository, dataDir, paramsFile, gate, limits, limit, epochs, baseImage, trainerDist, dockerfilesRoot,
                outputDir, workDir, keepContainer, timeouts, watch, Trigger.MANUAL);
    }

    public ChainRequest withTrigger(Trigger newTrigger) {
        return new ChainRequest(repository, dataDir, paramsFile, gate, limits, limit, epochs, baseImage, trainerDist,
                dockerfilesRoot, outputDir, workDir, keepContainer, timeouts, watch, newTrigger);
    }

    /** A request with no overrides. */
    public static ChainRequest of(Path repository, Path trainerDist, Path dockerfilesRoot) {
        return new ChainRequest(repository, null, null, null, null, null, null, null, trainerDist, dockerfilesRoot,
                null, null, false, null, null);
    }

    public ChainRequest withGate(GateOverride g) {
        return new ChainRequest(repository, dataDir, paramsFile, g, limits, limit, epochs, baseImage, trainerDist,
                dockerfilesRoot, outputDir, workDir, keepContainer, timeouts, watch, trigger);
    }

    public ChainRequest withImages(Integer newLimit, Integer newEpochs) {
        return new ChainRequest(repository, dataDir, paramsFile, gate, limits, newLimit, newEpochs, baseImage,
                trainerDist, dockerfilesRoot, outputDir, workDir, keepContainer, timeouts, watch, trigger);
    }

    public ChainRequest withOutput(Path newOutputDir, Path newWorkDir) {
        return new ChainRequest(repository, dataDir, paramsFile, gate, limits, limit, epochs, baseImage, trainerDist,
                dockerfilesRoot, newOutputDir, newWorkDir, keepContainer, timeouts, watch, trigger);
    }

    public ChainRequest withData(Path newDataDir, Path newParamsFile) {
        return new ChainRequest(repository, newDataDir, newParamsFile, gate, limits, limit, epochs, baseImage,
                trainerDist, dockerfilesRoot, outputDir, workDir, keepContainer, timeouts, watch, trigger);
    }

    public ChainRequest withContainer(Limits newLimits, String newBaseImage, boolean newKeepContainer) {
        return new ChainRequest(repository, dataDir, paramsFile, gate, newLimits, limit, epochs, newBaseImage,
                trainerDist, dockerfilesRoot, outputDir, workDir, newKeepContainer, timeouts, watch, trigger);
    }

    public ChainRequest withWatch(WatchOptions newWatch) {
        return new ChainRequest(repository, dataDir, paramsFile, gate, limits, limit, epochs, baseImage, trainerDist,
                dockerfilesRoot, outputDir, workDir, keepContainer, timeouts, newWatch, trigger);
    }
}

package io.trainchain.engine.chain;

import io.trainchain.engine.config.Dataset;
import io.trainchain.engine.docker.TrainInContainer;
import io.trainchain.engine.gate.GateSpec;
import io.trainchain.engine.store.DatasetIdentity;
import io.trainchain.engine.watch.WatchPolicy;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run uses after merging the request with trainchain.yaml and the defaults.
 *
 * @param dataset      the dataset as named (built-in or path)
 * @param dataDir      the folder mounted at /data
 * @param paramsFile   the user's params file, or null for the trainer's defaults
 * @param inlineParams params given inline in trainchain.yaml (override the file's)
 * @param epochs       epochs override, or null
 * @param limit        image limit, or null for all images
 * @param origins      for each setting ("dataset", "params", "epochs", "limit", "gate.metric", "gate.threshold",
 *                     "gate.direction", "limits.memory", "limits.cpus", "limits.pids", "base-image", "watch",
 *                     "checkpoint") where it came from: "command line", "trainchain.yaml" or "default"
 * @param watch        how a dead training container is brought back
 * @param checkpointArgs the trainer's checkpoint-interval options (empty: the trainer's default, every epoch)
 */
public record ChainSettings(Dataset dataset, Path dataDir, Path paramsFile, Map<String, Object> inlineParams,
                            Integer epochs, Integer limit, GateSpec gate, TrainInContainer.Limits containerLimits,
                            String baseImage, Map<String, String> origins, WatchPolicy watch,
                            List<String> checkpointArgs) {

    public static final String CLI = "command line";
    public static final String FILE = "trainchain.yaml";
    public static final String DEFAULT = "default";

    public ChainSettings {
        inlineParams = inlineParams == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(inlineParams));
        origins = origins == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(origins));
        watch = watch == null ? WatchPolicy.DEFAULT : watch;
        checkpointArgs = checkpointArgs == null ? List.of() : List.copyOf(checkpointArgs);
    }

    /** The data as a run records it when it starts: the name and the mounted folder (checksums come later). */
    public DatasetIdentity startingDataset() {
        return new DatasetIdentity(dataset.name(), new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("folder", dataDir.toString()).toString());
    }

    /** The trainer's (and a contract script's) {@code --limit N}; empty for all images. */
    public List<String> limitArgs() {
        return limit == null ? List.of() : List.of("--limit", Integer.toString(limit));
    }

    public String origin(String setting) {
        return origins.getOrDefault(setting, DEFAULT);
    }

    /**
     * A trial's settings: its params over the inline ones, its epochs, and its share of the container limits when
     * {@code share} trials run at once.
     */
    public ChainSettings forTrial(Map<String, Object> trialParams, Integer trialEpochs, int share) {
        Map<String, Object> inline = new LinkedHashMap<>(inlineParams);
        inline.putAll(trialParams);
        TrainInContainer.Limits l = containerLimits;
        if (share > 1) {
            l = new TrainInContainer.Limits(Math.max(l.memoryBytes() / share, 64L << 20), l.cpus() / share, l.pids(),
                    l.tmpfsBytes());
        }
        Integer e = trialEpochs != null ? trialEpochs : epochs;
        return new ChainSettings(dataset, dataDir, paramsFile, inline, e, limit, gate, l, baseImage,
                origins, watch, checkpointArgs);
    }
}

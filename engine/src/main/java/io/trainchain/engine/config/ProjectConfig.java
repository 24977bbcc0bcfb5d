package io.trainchain.engine.config;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.detect.Framework;
import io.trainchain.engine.gate.GateSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The optional trainchain.yaml at a repository's root. Everything is optional; anything present is checked
 * strictly, because a typo silently ignored ("epoch: 2") would cost a whole training run.
 *
 * @param framework  overrides detection
 * @param dataset    built-in name or path
 * @param paramsFile a params file inside the repository (params: some/file.json)
 * @param params     inline params (params: {lr: 0.01}); empty when none or when paramsFile is used
 * @param gate       the accuracy gate; defaults to accuracy ≥ 0.80
 * @param gateKeys   the gate keys the file sets (metric, threshold, direction): a caller's defaults fill only the
 *                   others, even where the file repeats the engine's default
 * @param limits     container limits; {@link Limits#NONE} when absent
 * @param limit      at most this many images (for fast runs)
 * @param epochs     number of training epochs
 * @param watch      the watcher and checkpoint settings ({@code watch:}, {@code checkpoint:})
 * @param script     how a Python script is run and read ({@code entrypoint}, {@code args}, {@code metrics}...)
 * @param tune       the hyperparameter search below the gate ({@code tune:}); {@link TuneOptions#NONE} when absent
 * @param registry   the registered model's name and the champion's promotion margin ({@code registry:})
 * @param source     the file read, or null for defaults
 */
public record ProjectConfig(Optional<Framework> framework, Optional<Dataset> dataset, Optional<Path> paramsFile,
                            Map<String, Object> params, GateSpec gate, Set<String> gateKeys, Limits limits,
                            OptionalInt limit,
                            OptionalInt epochs, WatchOptions watch, ScriptConfig script, TuneOptions tune,
                            RegistryConfig registry, Path source) {

    public static final String FILE_NAME = "trainchain.yaml";

    static final List<String> KEYS = java.util.stream.Stream.of(List.of("framework", "dataset", "params", "gate",
            "limits", "limit", "epochs", "watch", "checkpoint"), ScriptSection.KEYS, List.of("tune", "registry"))
            .flatMap(List::stream).toList();
    static final List<String> GATE_KEYS = List.of("metric", "threshold", "direction");
    static final List<String> LIMIT_KEYS = List.of("memory", "cpus", "pids");

    public ProjectConfig {
        params = params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
        gate = gate == null ? GateSpec.defaults() : gate;
        gateKeys = gateKeys == null ? Set.of() : Set.copyOf(gateKeys);
        limits = limits == null ? Limits.NONE : limits;
        watch = watch == null ? WatchOptions.NONE : watch;
        script = script == null ? ScriptConfig.NONE : script;
        tune = tune == null ? TuneOptions.NONE : tune;
        registry = registry == null ? RegistryConfig.DEFAULT : registry;
    }

    public static ProjectConfig defaults() {
        return new ProjectConfig(Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), GateSpec.defaults(), Set.of(),
                Limits.NONE, OptionalInt.empty(), OptionalInt.empty(), WatchOptions.NONE, ScriptConfig.NONE, TuneOptions.NONE,
                RegistryConfig.DEFAULT, null);
    }

    /** Reads repo/trainchain.yaml, or returns {@link #defaults()} when there is none. */
    public static ProjectConfig load(Path repo) {
        Path file = repo.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return defaults();
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw TrainchainException.infrastructure("cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file, repo);
    }

    /** Parses YAML text; {@code source} is only used in messages and to resolve nothing else. */
    public static ProjectConfig parse(String text, Path source, Path repo) {
        return new ProjectConfigParser(text, source, repo).parse();
    }

    /** Keys accepted at the top level, for help texts. */
    public static Set<String> allowedKeys() {
        return Set.copyOf(KEYS);
    }
}

package io.trainchain.engine.chain;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.config.Dataset;
import io.trainchain.engine.config.Limits;
import io.trainchain.engine.config.ProjectConfig;
import io.trainchain.engine.config.WatchOptions;
import io.trainchain.engine.watch.WatchPolicy;
import io.trainchain.engine.docker.BaseImage;
import io.trainchain.engine.docker.TrainInContainer;
import io.trainchain.engine.gate.GateSpec;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Merges a {@link ChainRequest} with the repository's trainchain.yaml: the command line wins over the file, the
 * file over the defaults, field by field. It reads no file but a --params file (whose keys replace trainchain.yaml's
 * inline params); a missing folder is reported by the runner.
 */
public final class MergeSettings {

    /** Where the built-in datasets live on a machine set up as the README says (Debian's dataset packages). */
    public static final Map<String, Path> BUILTIN_DATASETS =
            Map.of(Dataset.FASHION_MNIST, Path.of("/usr/share/datasets/fashion-mnist"));

    private MergeSettings() {
    }

    public static ChainSettings merge(ChainRequest req, ProjectConfig file) {
        Objects.requireNonNull(req, "req");
        ProjectConfig cfg = file == null ? ProjectConfig.defaults() : file;
        Map<String, String> origins = new LinkedHashMap<>();

        Dataset dataset;
        Path dataDir;
        if (req.dataDir() != null) {
            Path p = req.dataDir().toAbsolutePath().normalize();
            dataset = new Dataset(Dataset.Kind.PATH, p.toString(), p);
            dataDir = p;
            origins.put("dataset", ChainSettings.CLI);
        } else {
            dataset = cfg.dataset().orElseGet(() -> Dataset.builtin(Dataset.FASHION_MNIST).orElseThrow());
            origins.put("dataset", cfg.dataset().isPresent() ? ChainSettings.FILE : ChainSettings.DEFAULT);
            dataDir = dataset.kind() == Dataset.Kind.PATH ? dataset.path() : builtinDir(dataset, cfg);
        }

        Path paramsFile = null;
        Map<String, Object> inline = Map.of();
        if (req.paramsFile() != null) {
            paramsFile = req.paramsFile().toAbsolutePath().normalize();
            origins.put("params", ChainSettings.CLI);
        } else if (cfg.paramsFile().isPresent()) {
            paramsFile = cfg.paramsFile().get();
            origins.put("params", ChainSettings.FILE);
        }
        // Options win over the file: trainchain.yaml's inline params apply, except the keys a --params file sets.
        if (!cfg.params().isEmpty()) {
            Map<String, Object> fromFile = new LinkedHashMap<>(cfg.params());
            if (req.paramsFile() != null) {
                TrainingParams.read(paramsFile).fieldNames().forEachRemaining(fromFile::remove);
            }
            inline = fromFile;
            origins.put("params", origins.containsKey("params") ? origins.get("params") + " + " + ChainSettings.FILE
                    : ChainSettings.FILE);
        }

        Integer epochs = pick(req.epochs(), cfg.epochs().isPresent() ? cfg.epochs().getAsInt() : null, "epochs",
                origins);
        Integer limit = pick(req.limit(), cfg.limit().isPresent() ? cfg.limit().getAsInt() : null, "limit", origins);
        if (epochs != null && epochs <= 0) {
            throw TrainchainException.badInput("--epochs is " + epochs + "; use 1 or more");
        }
        if (limit != null && limit <= 0) {
            throw TrainchainException.badInput("--limit is " + limit + "; use 1 or more images (leave it out for all)");
        }

        GateSpec fileGate = cfg.gate();
        GateSpec gate = req.gate().applyTo(fileGate);
        origins.put("gate.metric", req.gate().metric() != null ? ChainSettings.CLI
                : cfg.gateKeys().contains("metric") ? ChainSettings.FILE : ChainSettings.DEFAULT);
        origins.put("gate.threshold", req.gate().threshold() != null ? ChainSettings.CLI
                : cfg.gateKeys().contains("threshold") ? ChainSettings.FILE : ChainSettings.DEFAULT);
        origins.put("gate.direction", req.gate().direction() != null ? ChainSettings.CLI
                : cfg.gateKeys().contains("direction") ? ChainSettings.FILE : ChainSettings.DEFAULT);

        Limits cli = req.limits();
        Limits yaml = cfg.limits();
        TrainInContainer.Limits d = TrainInContainer.Limits.DEFAULT;
        Long memory = pick(cli.memoryBytes(), yaml.memoryBytes(), "limits.memory", origins);
        Double cpus = pick(cli.cpus(), yaml.cpus(), "limits.cpus", origins);
        Integer pids = pick(cli.pids(), yaml.pids(), "limits.pids", origins);
        TrainInContainer.Limits limits;
        try {
            limits = new TrainInContainer.Limits(memory != null ? memory : d.memoryBytes(),
                    cpus != null ? cpus : d.cpus(), pids != null ? pids : d.pids(), d.tmpfsBytes());
        } catch (IllegalArgumentException e) {
            throw TrainchainException.badInput("container limits (from " + origins.get("limits.memory") + "): "
                    + e.getMessage() + "; give at least 6 MB of memory (2g is a good start), cpus > 0, pids > 0");
        }

        String base = req.baseImage();
        origins.put("base-image", base != null ? ChainSettings.CLI : ChainSettings.DEFAULT);
        if (base == null) {
            base = BaseImage.Flavor.JRE17.image();
        }
        WatchOptions cliWatch = req.watch();
        WatchOptions merged = cliWatch.over(cfg.watch());
        origins.put("watch", origin(cliWatch, cfg.watch(), WATCH_FIELDS));
        origins.put("checkpoint", origin(cliWatch, cfg.watch(), CHECKPOINT_FIELDS));
        return new ChainSettings(dataset, dataDir, paramsFile, inline, epochs, limit, gate, limits, base, origins,
                watchPolicy(merged, origins.get("watch")), checkpointArgs(merged));
    }

    private static final List<Function<WatchOptions, Object>> WATCH_FIELDS = List.of(WatchOptions::restarts,
            WatchOptions::backoff, WatchOptions::backoffFactor, WatchOptions::maxBackoff,
            WatchOptions::oomMemoryFactor, WatchOptions::oomMemoryCapBytes, WatchOptions::daemonDeadline,
            WatchOptions::hotStandby);
    private static final List<Function<WatchOptions, Object>> CHECKPOINT_FIELDS = List.of(
            WatchOptions::checkpointEveryEpochs, WatchOptions::checkpointEveryMinutes);

    private static String origin(WatchOptions cli, WatchOptions file, List<Function<WatchOptions, Object>> fields) {
        boolean fromCli = fields.stream().anyMatch(f -> f.apply(cli) != null);
        boolean fromFile = fields.stream().anyMatch(f -> f.apply(file) != null);
        return fromCli && fromFile ? ChainSettings.CLI + " + " + ChainSettings.FILE
                : fromCli ? ChainSettings.CLI : fromFile ? ChainSettings.FILE : ChainSettings.DEFAULT;
    }

    /** The watcher's policy: the defaults with every field given replaced; invalid values are the user's input. */
    public static WatchPolicy watchPolicy(WatchOptions o, String origin) {
        WatchPolicy d = WatchPolicy.DEFAULT;
        try {
            return new WatchPolicy(o.restarts() != null ? o.restarts() : d.maxRestarts(),
                    o.backoff() != null ? o.backoff() : d.backoff(),
                    o.backoffFactor() != null ? o.backoffFactor() : d.backoffFactor(),
                    o.maxBackoff() != null ? o.maxBackoff() : d.maxBackoff(),
                    o.oomMemoryFactor() != null ? o.oomMemoryFactor() : d.oomMemoryFactor(),
                    o.oomMemoryCapBytes() != null ? o.oomMemoryCapBytes() : d.oomMemoryCapBytes(),
                    o.daemonDeadline() != null ? o.daemonDeadline() : d.daemonDeadline(),
                    o.hotStandby() != null ? o.hotStandby() : d.hotStandby());
        } catch (IllegalArgumentException e) {
            throw TrainchainException.badInput("watch settings (from " + origin + "): " + e.getMessage());
        }
    }

    /** The trainer's options for the checkpoint interval (the trainer checks them again and says exit 2). */
    static List<String> checkpointArgs(WatchOptions o) {
        List<String> args = new ArrayList<>();
        if (o.checkpointEveryEpochs() != null) {
            args.addAll(List.of("--checkpoint-every-epochs", Integer.toString(o.checkpointEveryEpochs())));
        }
        if (o.checkpointEveryMinutes() != null) {
            args.addAll(List.of("--checkpoint-every-minutes", BigDecimal.valueOf(o.checkpointEveryMinutes())
                    .stripTrailingZeros().toPlainString()));
        }
        return args;
    }

    private static Path builtinDir(Dataset dataset, ProjectConfig cfg) {
        Path dir = BUILTIN_DATASETS.get(dataset.name());
        if (dir == null) {
            throw TrainchainException.badInput((cfg.source() == null ? ProjectConfig.FILE_NAME : cfg.source())
                    + ": dataset '" + dataset.name() + "' has no built-in folder on this machine (only "
                    + String.join(", ", BUILTIN_DATASETS.keySet()) + " has); download it and set 'dataset:' to its "
                    + "folder, or pass --data DIR");
        }
        return dir;
    }

    private static <T> T pick(T cli, T file, String key, Map<String, String> origins) {
        origins.put(key, cli != null ? ChainSettings.CLI : file != null ? ChainSettings.FILE : ChainSettings.DEFAULT);
        return cli != null ? cli : file;
    }
}

package io.trainchain.engine.config;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.detect.Framework;
import io.trainchain.engine.gate.Direction;
import io.trainchain.engine.gate.GateSpec;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import static io.trainchain.engine.config.ProjectConfig.GATE_KEYS;
import static io.trainchain.engine.config.ProjectConfig.KEYS;
import static io.trainchain.engine.config.ProjectConfig.LIMIT_KEYS;
import static io.trainchain.engine.config.ProjectConfig.defaults;

/** Reads trainchain.yaml section by section into a {@link ProjectConfig}. */
final class ProjectConfigParser {

    private final String text;
    private final Path source;
    private final Path repo;
    private YamlFields f;

    ProjectConfigParser(String text, Path source, Path repo) {
        this.text = text;
        this.source = source;
        this.repo = repo;
        this.f = new YamlFields(source, null); // no line numbers before the file is composed
    }

    ProjectConfig parse() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Yaml yaml = new Yaml(new SafeConstructor(options));
        Object loaded;
        Node composed;
        try {
            // compose() keeps line numbers for messages; load() gives plain Java values.
            composed = yaml.compose(new StringReader(text));
            loaded = yaml.load(text);
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark();
            throw f.bad((m == null ? "" : ":" + (m.getLine() + 1)) + ": not valid YAML (" + e.getProblem()
                    + "); fix the syntax, e.g. 'epochs: 10'");
        } catch (YAMLException e) {
            throw f.bad(": not valid YAML (" + e.getMessage() + ")");
        }
        if (loaded == null) {
            return withSource(defaults());
        }
        if (!(loaded instanceof Map<?, ?> map) || !(composed instanceof MappingNode mapping)) {
            throw f.bad(":1: the file must be a mapping of keys such as 'framework: pytorch'; allowed keys: "
                    + String.join(", ", KEYS));
        }
        f = new YamlFields(source, mapping);
        f.checkKeys(map, KEYS, "");

        Optional<Framework> framework = Optional.empty();
        if (map.containsKey("framework")) {
            String v = f.string(map.get("framework"), "framework", "a framework name such as 'pytorch'");
            framework = Optional.of(Framework.fromName(v).orElseThrow(() -> f.bad(f.at("framework")
                    + ": framework '" + v + "' is not known; use one of " + Framework.knownNames()
                    + ", or remove the key to let Trainchain detect it")));
        }

        Optional<Dataset> dataset = Optional.empty();
        if (map.containsKey("dataset")) {
            String v = f.string(map.get("dataset"), "dataset", "'fashion-mnist', 'cifar10' or a path");
            if (v.isBlank()) {
                throw f.bad(f.at("dataset") + ": dataset is empty; use 'fashion-mnist', 'cifar10' or a path");
            }
            dataset = Optional.of(Dataset.builtin(v)
                    .orElseGet(() -> new Dataset(Dataset.Kind.PATH, v, repo.resolve(v).normalize())));
        }

        Optional<Path> paramsFile = Optional.empty();
        Map<String, Object> params = Map.of();
        if (map.containsKey("params")) {
            Object v = map.get("params");
            if (v instanceof String s) {
                paramsFile = Optional.of(paramsFile(s));
            } else if (v instanceof Map<?, ?> m) {
                params = f.stringKeys(m, "params");
            } else {
                throw f.wrongType("params", v, "a file path inside the repository or a mapping such as {lr: 0.01}");
            }
        }

        GateSpec gate = GateSpec.defaults();
        Set<String> gateKeys = Set.of();
        if (map.containsKey("gate")) {
            Map<?, ?> g = mapping(map.get("gate"), "gate");
            f.checkKeys(g, GATE_KEYS, "gate.");
            gateKeys = f.stringKeys(g, "gate").keySet();
            try {
                if (g.containsKey("metric")) {
                    gate = gate.withMetric(f.string(g.get("metric"), "gate.metric", "a metric name such as 'macro_f1'"));
                }
                if (g.containsKey("threshold")) {
                    gate = gate.withThreshold(f.number(g.get("threshold"), "gate.threshold", "a number such as 0.85"));
                }
                if (g.containsKey("direction")) {
                    gate = gate.withDirection(Direction.parse(
                            f.string(g.get("direction"), "gate.direction", "at_least or at_most")));
                }
            } catch (TrainchainException e) {
                if (e.getMessage().startsWith(String.valueOf(source))) {
                    throw e;
                }
                throw f.bad(f.at("gate") + ": " + e.getMessage());
            }
        }

        Limits limits = Limits.NONE;
        if (map.containsKey("limits")) {
            Map<?, ?> l = mapping(map.get("limits"), "limits");
            f.checkKeys(l, LIMIT_KEYS, "limits.");
            String memory = null;
            Long memoryBytes = null;
            if (l.containsKey("memory")) {
                Object m = l.get("memory");
                if (m instanceof Integer || m instanceof Long) {
                    memoryBytes = ((Number) m).longValue();
                    memory = String.valueOf(m);
                } else if (m instanceof String s) {
                    memory = s.trim();
                    memoryBytes = memoryBytes(s);
                } else {
                    throw f.wrongType("limits.memory", m, "a size such as \"2g\" or \"512m\"");
                }
                if (memoryBytes <= 0) {
                    throw f.bad(f.at("limits.memory") + ": limits.memory is " + m + "; it must be positive, e.g. \"2g\"");
                }
            }
            Double cpus = null;
            if (l.containsKey("cpus")) {
                cpus = f.number(l.get("cpus"), "limits.cpus", "a positive number such as 2 or 1.5");
                if (!(cpus > 0)) {
                    throw f.bad(f.at("limits.cpus") + ": limits.cpus is " + l.get("cpus") + "; it must be positive, e.g. 2");
                }
            }
            Integer pids = l.containsKey("pids") ? f.positiveInt(l.get("pids"), "limits.pids") : null;
            limits = new Limits(memory, memoryBytes, cpus, pids);
        }

        OptionalInt limit = OptionalInt.empty();
        if (map.containsKey("limit")) {
            Object v = map.get("limit");
            if (v instanceof Map<?, ?> m) {
                // "limit: {images: 2000}" reads better to some; same meaning.
                f.checkKeys(m, List.of("images"), "limit.");
                limit = OptionalInt.of(f.positiveInt(m.get("images"), "limit.images"));
            } else {
                limit = OptionalInt.of(f.positiveInt(v, "limit"));
            }
        }
        OptionalInt epochs = map.containsKey("epochs")
                ? OptionalInt.of(f.positiveInt(map.get("epochs"), "epochs")) : OptionalInt.empty();

        WatchOptions watch = new WatchSection(f).read(map);
        ScriptConfig script = new ScriptSection(f).read(map);
        TuneOptions tune = new TuneSection(f).read(map);
        RegistryConfig registry = registry(map);
        return new ProjectConfig(framework, dataset, paramsFile, params, gate, gateKeys, limits, limit, epochs, watch,
                script, tune, registry, source);
    }

    private ProjectConfig withSource(ProjectConfig c) {
        return new ProjectConfig(c.framework(), c.dataset(), c.paramsFile(), c.params(), c.gate(), c.gateKeys(),
                c.limits(),
                c.limit(), c.epochs(), c.watch(), c.script(), c.tune(), c.registry(), source);
    }

    private RegistryConfig registry(Map<?, ?> map) {
        if (!map.containsKey("registry")) {
            return RegistryConfig.DEFAULT;
        }
        if (!(map.get("registry") instanceof Map<?, ?> r)) {
            throw f.wrongType("registry", map.get("registry"), "a mapping of name/margin");
        }
        f.checkKeys(r, List.of("name", "margin"), "registry.");
        Optional<String> name = Optional.empty();
        if (r.containsKey("name")) {
            String n = f.string(r.get("name"), "registry.name", "a model name such as 'fashion-cnn'");
            if (!n.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
                throw f.wrongType("registry.name", n, "letters, digits, '.', '_' or '-' (no '@' or '/'), e.g. "
                        + "fashion-cnn");
            }
            name = Optional.of(n);
        }
        double margin = 0;
        if (r.containsKey("margin")) {
            margin = f.number(r.get("margin"), "registry.margin", "a number ≥ 0 such as 0.002");
            if (margin < 0) {
                throw f.wrongType("registry.margin", r.get("margin"), "a number ≥ 0 such as 0.002");
            }
        }
        return new RegistryConfig(name, margin);
    }

    private Path paramsFile(String value) {
        Path root = repo.toAbsolutePath().normalize();
        Path p = root.resolve(value.trim()).normalize();
        if (value.isBlank() || !p.startsWith(root) || Path.of(value.trim()).isAbsolute()) {
            throw f.bad(f.at("params") + ": params file '" + value + "' must be a path inside the repository, "
                    + "relative to its root, e.g. params: config/params.json");
        }
        if (!Files.isRegularFile(p)) {
            throw f.bad(f.at("params") + ": params file '" + value + "' does not exist (looked for " + p
                    + "); create it, fix the path, or give the params inline as a mapping");
        }
        return p;
    }

    private Map<?, ?> mapping(Object v, String key) {
        if (v instanceof Map<?, ?> m) {
            return m;
        }
        throw f.wrongType(key, v, "a mapping of " + ("gate".equals(key) ? String.join("/", GATE_KEYS)
                : String.join("/", LIMIT_KEYS)));
    }

    private long memoryBytes(String s) {
        return Limits.parseMemory(s, source + f.at("limits.memory") + ": limits.memory");
    }
}

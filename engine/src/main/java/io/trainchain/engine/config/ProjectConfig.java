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
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 * @param limits     container limits; {@link Limits#NONE} when absent
 * @param limit      at most this many images (for fast runs)
 * @param epochs     number of training epochs
 * @param source     the file read, or null for defaults
 */
public record ProjectConfig(Optional<Framework> framework, Optional<Dataset> dataset, Optional<Path> paramsFile,
                            Map<String, Object> params, GateSpec gate, Limits limits, OptionalInt limit,
                            OptionalInt epochs, Path source) {

    public static final String FILE_NAME = "trainchain.yaml";

    static final List<String> KEYS = List.of("framework", "dataset", "params", "gate", "limits", "limit", "epochs");
    static final List<String> GATE_KEYS = List.of("metric", "threshold", "direction");
    static final List<String> LIMIT_KEYS = List.of("memory", "cpus", "pids");

    public ProjectConfig {
        params = params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
        gate = gate == null ? GateSpec.defaults() : gate;
        limits = limits == null ? Limits.NONE : limits;
    }

    public static ProjectConfig defaults() {
        return new ProjectConfig(Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), GateSpec.defaults(),
                Limits.NONE, OptionalInt.empty(), OptionalInt.empty(), null);
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
        return new Parser(text, source, repo).parse();
    }

    private static final class Parser {

        private final String text;
        private final Path source;
        private final Path repo;
        private MappingNode rootNode;

        Parser(String text, Path source, Path repo) {
            this.text = text;
            this.source = source;
            this.repo = repo;
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
                throw bad((m == null ? "" : ":" + (m.getLine() + 1)) + ": not valid YAML (" + e.getProblem()
                        + "); fix the syntax, e.g. 'epochs: 10'");
            } catch (YAMLException e) {
                throw bad(": not valid YAML (" + e.getMessage() + ")");
            }
            if (loaded == null) {
                return withSource(defaults());
            }
            if (!(loaded instanceof Map<?, ?> map) || !(composed instanceof MappingNode mapping)) {
                throw bad(":1: the file must be a mapping of keys such as 'framework: pytorch'; allowed keys: "
                        + String.join(", ", KEYS));
            }
            rootNode = mapping;
            checkKeys(map, KEYS, "");

            Optional<Framework> framework = Optional.empty();
            if (map.containsKey("framework")) {
                String v = string(map.get("framework"), "framework", "a framework name such as 'pytorch'");
                framework = Optional.of(Framework.fromName(v).orElseThrow(() -> bad(at("framework")
                        + ": framework '" + v + "' is not known; use one of " + Framework.knownNames()
                        + ", or remove the key to let Trainchain detect it")));
            }

            Optional<Dataset> dataset = Optional.empty();
            if (map.containsKey("dataset")) {
                String v = string(map.get("dataset"), "dataset", "'fashion-mnist', 'cifar10' or a path");
                if (v.isBlank()) {
                    throw bad(at("dataset") + ": dataset is empty; use 'fashion-mnist', 'cifar10' or a path");
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
                    params = stringKeys(m, "params");
                } else {
                    throw wrongType("params", v, "a file path inside the repository or a mapping such as {lr: 0.01}");
                }
            }

            GateSpec gate = GateSpec.defaults();
            if (map.containsKey("gate")) {
                Map<?, ?> g = mapping(map.get("gate"), "gate");
                checkKeys(g, GATE_KEYS, "gate.");
                try {
                    if (g.containsKey("metric")) {
                        gate = gate.withMetric(string(g.get("metric"), "gate.metric", "a metric name such as 'macro_f1'"));
                    }
                    if (g.containsKey("threshold")) {
                        gate = gate.withThreshold(number(g.get("threshold"), "gate.threshold", "a number such as 0.85"));
                    }
                    if (g.containsKey("direction")) {
                        gate = gate.withDirection(Direction.parse(
                                string(g.get("direction"), "gate.direction", "at_least or at_most")));
                    }
                } catch (TrainchainException e) {
                    if (e.getMessage().startsWith(String.valueOf(source))) {
                        throw e;
                    }
                    throw bad(at("gate") + ": " + e.getMessage());
                }
            }

            Limits limits = Limits.NONE;
            if (map.containsKey("limits")) {
                Map<?, ?> l = mapping(map.get("limits"), "limits");
                checkKeys(l, LIMIT_KEYS, "limits.");
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
                        throw wrongType("limits.memory", m, "a size such as \"2g\" or \"512m\"");
                    }
                    if (memoryBytes <= 0) {
                        throw bad(at("limits.memory") + ": limits.memory is " + m + "; it must be positive, e.g. \"2g\"");
                    }
                }
                Double cpus = null;
                if (l.containsKey("cpus")) {
                    cpus = number(l.get("cpus"), "limits.cpus", "a positive number such as 2 or 1.5");
                    if (!(cpus > 0)) {
                        throw bad(at("limits.cpus") + ": limits.cpus is " + l.get("cpus") + "; it must be positive, e.g. 2");
                    }
                }
                Integer pids = l.containsKey("pids") ? positiveInt(l.get("pids"), "limits.pids") : null;
                limits = new Limits(memory, memoryBytes, cpus, pids);
            }

            OptionalInt limit = OptionalInt.empty();
            if (map.containsKey("limit")) {
                Object v = map.get("limit");
                if (v instanceof Map<?, ?> m) {
                    // "limit: {images: 2000}" reads better to some; same meaning.
                    checkKeys(m, List.of("images"), "limit.");
                    limit = OptionalInt.of(positiveInt(m.get("images"), "limit.images"));
                } else {
                    limit = OptionalInt.of(positiveInt(v, "limit"));
                }
            }
            OptionalInt epochs = map.containsKey("epochs")
                    ? OptionalInt.of(positiveInt(map.get("epochs"), "epochs")) : OptionalInt.empty();

            return new ProjectConfig(framework, dataset, paramsFile, params, gate, limits, limit, epochs, source);
        }

        private ProjectConfig withSource(ProjectConfig c) {
            return new ProjectConfig(c.framework(), c.dataset(), c.paramsFile(), c.params(), c.gate(), c.limits(),
                    c.limit(), c.epochs(), source);
        }

        private Path paramsFile(String value) {
            Path root = repo.toAbsolutePath().normalize();
            Path p = root.resolve(value.trim()).normalize();
            if (value.isBlank() || !p.startsWith(root) || Path.of(value.trim()).isAbsolute()) {
                throw bad(at("params") + ": params file '" + value + "' must be a path inside the repository, "
                        + "relative to its root, e.g. params: config/params.json");
            }
            if (!Files.isRegularFile(p)) {
                throw bad(at("params") + ": params file '" + value + "' does not exist (looked for " + p
                        + "); create it, fix the path, or give the params inline as a mapping");
            }
            return p;
        }

        private void checkKeys(Map<?, ?> map, List<String> allowed, String prefix) {
            for (Object key : map.keySet()) {
                if (!(key instanceof String k) || !allowed.contains(k)) {
                    String shown = prefix + key;
                    throw bad(at(shown) + ": key '" + shown + "' is not known; allowed keys"
                            + (prefix.isEmpty() ? "" : " under '" + prefix.substring(0, prefix.length() - 1) + "'")
                            + ": " + String.join(", ", allowed) + "; fix its spelling or remove it");
                }
            }
        }

        private Map<?, ?> mapping(Object v, String key) {
            if (v instanceof Map<?, ?> m) {
                return m;
            }
            throw wrongType(key, v, "a mapping of " + ("gate".equals(key) ? String.join("/", GATE_KEYS)
                    : String.join("/", LIMIT_KEYS)));
        }

        private Map<String, Object> stringKeys(Map<?, ?> m, String key) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String k)) {
                    throw wrongType(key + " key", e.getKey(), "a string");
                }
                out.put(k, e.getValue());
            }
            return out;
        }

        private String string(Object v, String key, String expected) {
            if (v instanceof String s) {
                return s;
            }
            throw wrongType(key, v, expected);
        }

        private double number(Object v, String key, String expected) {
            if (v instanceof Number n && !(v instanceof BigInteger)) {
                double d = n.doubleValue();
                if (Double.isFinite(d)) {
                    return d;
                }
            }
            throw wrongType(key, v, expected);
        }

        private int positiveInt(Object v, String key) {
            if ((v instanceof Integer || v instanceof Long) && ((Number) v).longValue() > 0
                    && ((Number) v).longValue() <= Integer.MAX_VALUE) {
                return ((Number) v).intValue();
            }
            throw wrongType(key, v, "a positive whole number, e.g. " + key.replace("limits.", "") + ": 10");
        }

        private long memoryBytes(String s) {
            return Limits.parseMemory(s, source + at("limits.memory") + ": limits.memory");
        }

        private TrainchainException wrongType(String key, Object v, String expected) {
            return bad(at(key) + ": '" + key + "' is " + describe(v) + " but must be " + expected);
        }

        private static String describe(Object v) {
            if (v == null) {
                return "empty (null)";
            }
            String type = v instanceof String ? "a string" : v instanceof Boolean ? "a boolean"
                    : v instanceof Map ? "a mapping" : v instanceof List ? "a list"
                    : v instanceof Double ? "a decimal number" : v instanceof Number ? "a whole number"
                    : "a " + v.getClass().getSimpleName();
            String shown = v instanceof String ? "\"" + v + "\"" : String.valueOf(v);
            return shown + " (" + type + ")";
        }

        private TrainchainException bad(String rest) {
            return TrainchainException.badInput(source + rest);
        }

        /** ":line" of a dotted key in the composed tree, or "" when not found. */
        private String at(String dottedKey) {
            Node node = rootNode;
            Node keyNode = null;
            for (String part : dottedKey.split("\\.")) {
                if (!(node instanceof MappingNode m)) {
                    break;
                }
                Node next = null;
                for (NodeTuple t : m.getValue()) {
                    if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(part)) {
                        keyNode = k;
                        next = t.getValueNode();
                        break;
                    }
                }
                if (next == null) {
                    break;
                }
                node = next;
            }
            return keyNode == null ? "" : ":" + (keyNode.getStartMark().getLine() + 1);
        }
    }

    /** Keys accepted at the top level, for help texts. */
    public static Set<String> allowedKeys() {
        return Set.copyOf(KEYS);
    }
}

package io.trainchain.engine.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** trainchain.yaml's keys for Python scripts (see {@link ScriptConfig}), each checked strictly. */
final class ScriptSection {
    static final List<String> KEYS = List.of("entrypoint", "args", "data_path", "metrics", "resume_args",
            "checkpoint_dir", "model_path", "entry_point", "evaluate", "install");
    static final List<String> INSTALL_KEYS = List.of("index_url", "find_links");
    static final List<String> METRIC_KEYS = List.of("name", "regex", "file", "scale", "per");

    private final YamlFields f;

    ScriptSection(YamlFields f) {
        this.f = f;
    }

    ScriptConfig read(Map<?, ?> root) {
        Optional<String> entrypoint = relative(root, "entrypoint", false);
        Optional<List<String>> args = root.containsKey("args") ? Optional.of(strings(root.get("args"), "args"))
                : Optional.empty();
        List<String> resume = root.containsKey("resume_args") ? strings(root.get("resume_args"), "resume_args")
                : List.of();
        List<ScriptConfig.MetricRule> metrics = new ArrayList<>();
        if (root.containsKey("metrics")) {
            if (!(root.get("metrics") instanceof List<?> list) || list.isEmpty()) {
                throw f.wrongType("metrics", root.get("metrics"), "a list of {name, regex, scale, per} or "
                        + "{name, file, scale}");
            }
            for (int i = 0; i < list.size(); i++) {
                metrics.add(metric(list.get(i), "metrics[" + (i + 1) + "]"));
            }
        }
        Optional<String> entry = Optional.empty();
        if (root.containsKey("entry_point")) {
            entry = Optional.of(f.string(root.get("entry_point"), "entry_point", "an MLproject entry point name"));
        }
        return new ScriptConfig(entrypoint, args, relative(root, "data_path", true), metrics, resume,
                relative(root, "checkpoint_dir", true), relative(root, "model_path", true), entry,
                relative(root, "evaluate", false), install(root.get("install")));
    }

    /** {@code install: true}, or {@code {index_url, find_links}}; absent or false: nothing is installed. */
    private Optional<PipInstall> install(Object v) {
        if (v == null || Boolean.FALSE.equals(v)) {
            return Optional.empty();
        }
        if (Boolean.TRUE.equals(v)) {
            return Optional.of(PipInstall.DEFAULT_INDEX);
        }
        if (v instanceof String) { // not echoed: it may be a URL with credentials
            throw f.bad(f.at("install") + ": 'install' is a string but must be true or a mapping; for an index "
                    + "write install: {index_url: https://pypi.example.com/simple}");
        }
        if (!(v instanceof Map<?, ?> m) || m.isEmpty()) {
            throw f.wrongType("install", v, "true, or a mapping such as {index_url: https://pypi.example.com/simple}"
                    + " or {find_links: wheels}");
        }
        f.checkKeys(m, INSTALL_KEYS, "install.");
        Optional<URI> index = Optional.empty();
        if (m.containsKey("index_url")) {
            index = Optional.of(indexUrl(f.string(m.get("index_url"), "install.index_url", "a URL such as "
                    + "https://pypi.example.com/simple")));
        }
        Optional<String> links = Optional.empty();
        if (m.containsKey("find_links")) {
            links = Optional.of(safeRelative(f.string(m.get("find_links"), "install.find_links", "a folder of "
                    + "wheels in the repository, e.g. wheels"), "install.find_links"));
        }
        return Optional.of(new PipInstall(index, links));
    }

    private URI indexUrl(String v) {
        URI uri;
        try {
            uri = new URI(v.trim());
        } catch (URISyntaxException e) {
            throw f.bad(f.at("install.index_url") + ": install.index_url '" + masked(v) + "' is not a URL ("
                    + e.getReason() + "); give the index's simple API, e.g. https://pypi.example.com/simple");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            throw f.bad(f.at("install.index_url") + ": install.index_url '" + masked(v) + "' must be an http(s) URL "
                    + "with a host, e.g. https://pypi.example.com/simple");
        }
        if (uri.getRawUserInfo() != null) {
            // Never echo the credentials: the message may reach a shared log.
            throw f.bad(f.at("install.index_url") + ": install.index_url carries credentials (user:password@); they "
                    + "would stay in the image's layers and logs. Use an index that the build's network may read "
                    + "without them, or a recipe of your own that installs from a private index");
        }
        return uri;
    }

    /** The URL with anything between "//" and "@" (user and password) hidden. */
    static String masked(String url) {
        return url.replaceAll("//[^/@]*@", "//***@");
    }

    private ScriptConfig.MetricRule metric(Object v, String where) {
        if (!(v instanceof Map<?, ?> m)) {
            throw f.bad(f.at("metrics") + ": " + where + " is " + v + " but must be a mapping such as {name: "
                    + "accuracy, regex: 'Test Accuracy: (\\d+)%', scale: 0.01}");
        }
        f.checkKeys(m, METRIC_KEYS, "metrics.");
        if (!(m.get("name") instanceof String name) || !name.matches("[A-Za-z_][A-Za-z0-9_.-]{0,63}")) {
            throw f.bad(f.at("metrics") + ": " + where + ".name is " + m.get("name") + "; give the metric a name "
                    + "such as accuracy (letters, digits, _ . -)");
        }
        Pattern regex = null;
        if (m.containsKey("regex")) {
            if (!(m.get("regex") instanceof String r)) {
                throw f.bad(f.at("metrics") + ": " + where + ".regex must be a string in single quotes");
            }
            try {
                regex = Pattern.compile(r);
            } catch (PatternSyntaxException e) {
                throw f.bad(f.at("metrics") + ": " + where + ".regex '" + r + "' does not compile: "
                        + e.getDescription() + " near index " + e.getIndex() + "; write it in single quotes, "
                        + "e.g. 'Accuracy: (\\d+\\.\\d+)'");
            }
            if (regex.matcher("").groupCount() < 1) {
                throw f.bad(f.at("metrics") + ": " + where + ".regex '" + r + "' has no group: put the number "
                        + "in parentheses, e.g. 'Accuracy: (\\d+)%'");
            }
        }
        String file = null;
        if (m.containsKey("file")) {
            file = safeRelative(f.string(m.get("file"), "metrics.file", "a file path"), "metrics.file");
        }
        if (regex == null && file == null) {
            throw f.bad(f.at("metrics") + ": " + where + " (" + name + ") needs a regex (read from the output) "
                    + "or a file (read once the script ended)");
        }
        double scale = m.containsKey("scale") ? f.number(m.get("scale"), "metrics.scale", "a number such as 0.01")
                : 1.0;
        ScriptConfig.Per per = ScriptConfig.Per.FINAL;
        if (m.containsKey("per")) {
            String p = f.string(m.get("per"), "metrics.per", "epoch or final").toLowerCase(Locale.ROOT);
            if (!p.equals("epoch") && !p.equals("final")) {
                throw f.bad(f.at("metrics") + ": " + where + ".per is '" + p + "'; use epoch or final");
            }
            per = p.equals("epoch") ? ScriptConfig.Per.EPOCH : ScriptConfig.Per.FINAL;
            if (per == ScriptConfig.Per.EPOCH && regex == null) {
                throw f.bad(f.at("metrics") + ": " + where + " reads a file: it can only be per: final");
            }
        }
        return new ScriptConfig.MetricRule(name, regex, file, scale, per);
    }

    private List<String> strings(Object v, String key) {
        if (!(v instanceof List<?> list)) {
            throw f.wrongType(key, v, "a list of arguments such as [\"--lr\", \"{learning_rate}\"]");
        }
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            if (o instanceof String || o instanceof Number || o instanceof Boolean) {
                out.add(String.valueOf(o));
            } else {
                throw f.wrongType(key, v, "a list of plain arguments (strings or numbers), one per item");
            }
        }
        return out;
    }

    private Optional<String> relative(Map<?, ?> root, String key, boolean mayLeave) {
        if (!root.containsKey(key)) {
            return Optional.empty();
        }
        String v = f.string(root.get(key), key, "a relative path");
        return Optional.of(mayLeave ? checkedPath(v, key) : safeRelative(v, key));
    }

    /** A path inside the working directory. */
    private String safeRelative(String v, String key) {
        Path p = Path.of(v.trim()).normalize();
        if (v.isBlank() || p.isAbsolute() || p.startsWith("..")) {
            throw f.bad(f.at(key) + ": " + key + " '" + v + "' must be a relative path inside the repository, e.g. "
                    + "train.py or src/train.py");
        }
        return p.toString();
    }

    /** Relative to the working directory; may go one level up (the working copy sits in a folder of its own). */
    private String checkedPath(String v, String key) {
        Path p = Path.of(v.trim()).normalize();
        if (v.isBlank() || p.isAbsolute() || p.startsWith("../..")) {
            throw f.bad(f.at(key) + ": " + key + " '" + v + "' must be relative to the script's working directory, "
                    + "at most one level up, e.g. data/ or ../data/MNIST/raw");
        }
        return p.toString();
    }
}

package io.trainchain.engine.server;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import io.trainchain.engine.TrainchainException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the server's YAML file. Every mistake is bad input naming the file, the key and what is expected:
 * <pre>
 * listen: 127.0.0.1:8080        # host:port
 * max_body_bytes: 1048576
 * workers: 1
 * per_branch: 1                 # chains at once per repository and branch
 * supersede: true               # a newer push replaces a queued chain of its branch
 * work_dir: /var/lib/trainchain # clone cache and run folders; default: next to the run database
 * repositories:
 *   - name: fashion
 *     url: https://github.com/acme/fashion.git    # or file:///srv/git/fashion.git
 *     aliases: [acme/fashion]                      # how payloads name it
 *     branches: [main]                             # default: all
 *     token_env: FASHION_TOKEN                     # https token, read from the environment
 *     chain: {limit: 2000, epochs: 2, threshold: 0.8, data: /data/fashion}
 *     schedules:
 *       - {name: weekly, cron: "0 3 * * 1", zone: Europe/Berlin, branch: main,
 *          only_when_dataset_changed: true, dataset: /data/fashion}
 * </pre>
 */
public final class ServerConfigParser {
    static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final Path file;

    private ServerConfigParser(Path file) {
        this.file = file;
    }

    public static ServerConfig parse(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw TrainchainException.badInput("cannot read the server configuration " + file + ": " + e
                    + "; pass --config FILE with a readable YAML file");
        }
        return parse(file, text);
    }

    static ServerConfig parse(Path file, String text) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (YAMLException e) {
            throw TrainchainException.badInput(file + " is not valid YAML: " + e.getMessage());
        }
        ServerConfigParser p = new ServerConfigParser(file);
        Map<String, Object> m = p.map(root == null ? Map.of() : root, "(top level)",
                List.of("listen", "max_body_bytes", "workers", "per_branch", "supersede", "work_dir", "repositories"));
        String listen = p.string(m, "listen", "127.0.0.1:8080");
        int colon = listen.lastIndexOf(':');
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw p.bad("listen", listen, "host:port, e.g. 127.0.0.1:8080");
        }
        List<ServerConfig.Repository> repos = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> schedules = new HashSet<>();
        for (Object r : p.list(m, "repositories")) {
            ServerConfig.Repository repo = p.repository(r);
            if (!names.add(repo.name())) {
                throw p.bad("repositories.name", repo.name(), "a name used once");
            }
            for (ServerConfig.Schedule s : repo.schedules()) {
                if (!schedules.add(s.name())) {
                    throw p.bad("schedules.name", s.name(), "a schedule name used once in the file");
                }
            }
            repos.add(repo);
        }
        String work = p.string(m, "work_dir", null);
        return new ServerConfig(colon <= 0 ? "0.0.0.0" : listen.substring(0, colon), port,
                p.positive(m, "max_body_bytes", ServerConfig.DEFAULT_MAX_BODY), p.positive(m, "workers", 1),
                p.positive(m, "per_branch", 1), p.bool(m, "supersede", true), work == null ? null : Path.of(work),
                repos);
    }

    private ServerConfig.Repository repository(Object node) {
        Map<String, Object> r = map(node, "repositories[]",
                List.of("name", "url", "aliases", "branches", "token_env", "chain", "schedules"));
        String name = required(r, "name");
        String url = required(r, "url");
        if (!url.startsWith("https://") && !url.startsWith("file://") && !url.startsWith("http://")) {
            throw bad("repositories." + name + ".url", url, "an https:// or file:// URL");
        }
        Map<String, Object> c = map(r.getOrDefault("chain", Map.of()), name + ".chain",
                List.of("limit", "epochs", "threshold", "data"));
        Object threshold = c.get("threshold");
        if (threshold != null && !(threshold instanceof Number)) {
            throw bad(name + ".chain.threshold", threshold, "a number such as 0.8");
        }
        String data = string(c, "data", null);
        ServerConfig.ChainOptions chain = new ServerConfig.ChainOptions(
                c.containsKey("limit") ? positive(c, "limit", 0) : null,
                c.containsKey("epochs") ? positive(c, "epochs", 0) : null,
                threshold == null ? null : ((Number) threshold).doubleValue(), data == null ? null : Path.of(data));
        List<ServerConfig.Schedule> schedules = new ArrayList<>();
        for (Object s : list(r, "schedules")) {
            schedules.add(schedule(name, s));
        }
        return new ServerConfig.Repository(name, url, strings(r, "aliases"), strings(r, "branches"),
                string(r, "token_env", null), chain, schedules);
    }

    private ServerConfig.Schedule schedule(String repo, Object node) {
        Map<String, Object> s = map(node, repo + ".schedules[]",
                List.of("name", "cron", "zone", "branch", "only_when_dataset_changed", "dataset"));
        String name = required(s, "name");
        String cron = required(s, "cron");
        try {
            CRON.parse(cron).validate();
        } catch (IllegalArgumentException e) {
            throw bad(name + ".cron", cron, "a 5-field Unix cron expression such as \"0 3 * * 1\" ("
                    + e.getMessage() + ")");
        }
        String zone = required(s, "zone");
        ZoneId zoneId;
        try {
            zoneId = ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw bad(name + ".zone", zone, "a time zone such as UTC or Europe/Berlin");
        }
        boolean onlyChanged = bool(s, "only_when_dataset_changed", false);
        String dataset = string(s, "dataset", null);
        if (onlyChanged && dataset == null) {
            throw bad(name + ".dataset", null, "the dataset folder, since only_when_dataset_changed is true");
        }
        return new ServerConfig.Schedule(name, cron, zoneId, required(s, "branch"), onlyChanged,
                dataset == null ? null : Path.of(dataset));
    }

    private Map<String, Object> map(Object node, String where, List<String> allowed) {
        if (!(node instanceof Map<?, ?> raw)) {
            throw bad(where, node, "a mapping of " + String.join(", ", allowed));
        }
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<?, ?> e : raw.entrySet()) {
            if (!allowed.contains(String.valueOf(e.getKey()))) {
                throw TrainchainException.badInput(file + ": key '" + e.getKey() + "' under " + where
                        + " is not known; allowed: " + String.join(", ", allowed));
            }
            out.put(String.valueOf(e.getKey()), e.getValue());
        }
        return out;
    }

    private List<?> list(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> l)) {
            throw bad(key, v, "a list");
        }
        return l;
    }

    private List<String> strings(Map<String, Object> m, String key) {
        List<String> out = new ArrayList<>();
        for (Object o : list(m, key)) {
            out.add(String.valueOf(o));
        }
        return out;
    }

    private String required(Map<String, Object> m, String key) {
        String v = string(m, key, null);
        if (v == null || v.isBlank()) {
            throw bad(key, null, "a value (it is required)");
        }
        return v;
    }

    private String string(Map<String, Object> m, String key, String dflt) {
        Object v = m.get(key);
        return v == null ? dflt : String.valueOf(v);
    }

    private int positive(Map<String, Object> m, String key, int dflt) {
        Object v = m.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Integer i) || i <= 0) {
            throw bad(key, v, "a positive whole number");
        }
        return i;
    }

    private boolean bool(Map<String, Object> m, String key, boolean dflt) {
        Object v = m.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Boolean b)) {
            throw bad(key, v, "true or false");
        }
        return b;
    }

    private TrainchainException bad(String key, Object value, String expected) {
        return TrainchainException.badInput(file + ": '" + key + "' is " + (value == null ? "missing" : "'" + value
                + "'") + "; expected " + expected);
    }
}

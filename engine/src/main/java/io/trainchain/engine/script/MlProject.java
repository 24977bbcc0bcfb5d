package io.trainchain.engine.script;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.config.ScriptConfig;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An MLflow project file (MLproject): its entry points' typed parameters and command templates. The command is
 * split into arguments here (POSIX quoting) and each {@code {param}} filled with a value checked against its declared
 * type, one argument each: nothing goes through a shell. Environment sections (conda_env, python_env, docker_env)
 * are not installed: the training image decides, and the log says so.
 */
final class MlProject {
    static final String FILE = "MLproject";
    static final Set<String> TYPES = Set.of("string", "float", "int", "path", "uri");
    private static final Set<String> ENVIRONMENTS = Set.of("conda_env", "python_env", "docker_env");
    private static final Set<String> SHELL = Set.of("&&", "||", "|", ";", ">", ">>", "<", "&", "2>", "2>&1");

    record Parameter(String name, String type, String defaultValue) {
    }

    record EntryPoint(String name, Map<String, Parameter> parameters, String command) {
    }

    private final Path file;
    private final Map<String, EntryPoint> entryPoints;
    private final List<String> environments;

    private MlProject(Path file, Map<String, EntryPoint> entryPoints, List<String> environments) {
        this.file = file;
        this.entryPoints = entryPoints;
        this.environments = environments;
    }

    /** The repository's MLproject file (MLflow also takes mlproject), or null. */
    static Path find(Path repo) {
        for (String n : List.of(FILE, "mlproject")) {
            if (Files.isRegularFile(repo.resolve(n))) {
                return repo.resolve(n);
            }
        }
        return null;
    }

    static MlProject read(Path file) {
        Object loaded;
        try {
            loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        } catch (IOException e) {
            throw TrainchainException.infrastructure("cannot read " + file + ": " + e.getMessage(), e);
        } catch (YAMLException e) {
            throw TrainchainException.badInput(file + " is not valid YAML: " + e.getMessage());
        }
        if (!(loaded instanceof Map<?, ?> root) || !(root.get("entry_points") instanceof Map<?, ?> eps)
                || eps.isEmpty()) {
            throw TrainchainException.badInput(file + " has no 'entry_points' mapping; an MLproject names at least "
                    + "one entry point, e.g. entry_points: {main: {command: \"python train.py\"}}");
        }
        Map<String, EntryPoint> entries = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : eps.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (!(e.getValue() instanceof Map<?, ?> ep) || !(ep.get("command") instanceof String command)) {
                throw TrainchainException.badInput(file + " entry point '" + name + "' has no 'command' string");
            }
            Map<String, Parameter> params = new LinkedHashMap<>();
            if (ep.get("parameters") instanceof Map<?, ?> ps) {
                for (Map.Entry<?, ?> p : ps.entrySet()) {
                    params.put(String.valueOf(p.getKey()), parameter(file, name, String.valueOf(p.getKey()),
                            p.getValue()));
                }
            } else if (ep.containsKey("parameters") && ep.get("parameters") != null) {
                throw TrainchainException.badInput(file + " entry point '" + name + "': 'parameters' must be a "
                        + "mapping of name to type or {type, default}");
            }
            entries.put(name, new EntryPoint(name, params, command));
        }
        List<String> envs = root.keySet().stream().map(String::valueOf).filter(ENVIRONMENTS::contains).toList();
        return new MlProject(file, entries, envs);
    }

    private static Parameter parameter(Path file, String entry, String name, Object v) {
        String type = "string";
        String def = null;
        if (v instanceof String s) {
            type = s;
        } else if (v instanceof Map<?, ?> m) {
            type = m.containsKey("type") ? String.valueOf(m.get("type")) : "string";
            Object d = m.get("default");
            // As written, not as Java prints a double (1.0E-4): YAML gives numbers, the script gets text.
            def = d == null ? null : d instanceof Double x ? java.math.BigDecimal.valueOf(x).stripTrailingZeros()
                    .toPlainString() : String.valueOf(d);
        } else if (v != null) {
            throw TrainchainException.badInput(file + " entry point '" + entry + "' parameter '" + name + "' must be "
                    + "a type or {type, default}");
        }
        if (!TYPES.contains(type)) {
            throw TrainchainException.badInput(file + " entry point '" + entry + "' parameter '" + name + "' has type '"
                    + type + "'; use one of " + String.join(", ", new java.util.TreeSet<>(TYPES)));
        }
        return new Parameter(name, type, def);
    }

    /** The plan for the entry point {@code cfg.mlprojectEntry()} (default main), its parameters from {@code given}. */
    ScriptPlan plan(ScriptConfig cfg, Map<String, String> given, Path source) {
        String name = cfg.mlprojectEntry().orElse("main");
        EntryPoint ep = entryPoints.get(name);
        if (ep == null) {
            throw TrainchainException.badInput(file + " has no entry point '" + name + "' (it has " + String.join(", ",
                    entryPoints.keySet()) + "); set entry_point: in trainchain.yaml to one of them");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Parameter p : ep.parameters().values()) {
            String v = given.containsKey(p.name()) ? given.get(p.name()) : p.defaultValue();
            if (v == null) {
                throw TrainchainException.badInput(file + " entry point '" + name + "' parameter '" + p.name()
                        + "' has no default and no value; give it in the params (params: {" + p.name() + ": ...})");
            }
            values.put(p.name(), checked(p, v, name));
        }
        List<String> tokens = split(ep.command(), name);
        for (String t : tokens) {
            if (SHELL.contains(t) || t.contains("$(") || t.startsWith("$") || t.contains("`")) {
                throw TrainchainException.badInput(file + " entry point '" + name + "' command uses shell syntax '" + t
                        + "': Trainchain runs the command as one program with its arguments, never through a "
                        + "shell; make it 'python SCRIPT.py ARGS'");
            }
        }
        if (tokens.size() < 2 || !tokens.get(0).matches("python3?(\\.\\d+)?") || !tokens.get(1).endsWith(".py")) {
            throw TrainchainException.badInput(file + " entry point '" + name + "' command '" + ep.command()
                    + "' must start with python SCRIPT.py (a script in the repository)");
        }
        ScriptPlanner.requireScript(file.getParent(), tokens.get(1), true, file);
        List<String> args = ScriptPlanner.expand(tokens.subList(2, tokens.size()), values,
                file + " entry point '" + name + "' command");
        // As MLflow does: params the entry point does not declare follow as --name value.
        for (Map.Entry<String, String> e : given.entrySet()) {
            if (!ep.parameters().containsKey(e.getKey())) {
                args.addAll(List.of("--" + e.getKey(), e.getValue()));
            }
        }
        List<String> launcher = new ArrayList<>();
        cfg.dataPath().ifPresent(d -> launcher.addAll(List.of("--data-path", d)));
        launcher.add("--template");
        List<String> resume = ScriptPlanner.expand(cfg.resumeArgs(), values, ScriptPlanner.where(source,
                "resume_args"));
        if (!resume.isEmpty()) {
            launcher.addAll(List.of("--resume-args", new com.fasterxml.jackson.databind.ObjectMapper()
                    .valueToTree(resume).toString()));
            cfg.checkpointDir().ifPresent(d -> launcher.addAll(List.of("--checkpoint-dir", d)));
        }
        List<String> notes = new ArrayList<>();
        notes.add(file.getFileName() + " entry point '" + name + "': " + ep.command());
        if (!environments.isEmpty()) {
            notes.add(String.join(", ", environments) + " in " + file.getFileName() + " not installed: the training "
                    + "image decides what is installed (no package index is reachable from it)");
        }
        if (resume.isEmpty()) {
            notes.add("no resume_args: a restart runs the entry point from scratch");
        }
        return new ScriptPlan(ScriptPlan.Mode.MLPROJECT, tokens.get(1), args, !resume.isEmpty(), launcher,
                cfg.metrics(), cfg.modelPath(), notes);
    }

    private String checked(Parameter p, String v, String entry) {
        String where = file + " entry point '" + entry + "' parameter '" + p.name() + "'";
        switch (p.type()) {
            case "float" -> {
                try {
                    double d = Double.parseDouble(v.trim());
                    if (!Double.isFinite(d)) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    throw TrainchainException.badInput(where + " is a float, but its value is '" + v + "'");
                }
            }
            case "int" -> {
                if (!v.trim().matches("[+-]?\\d{1,18}")) {
                    throw TrainchainException.badInput(where + " is an int, but its value is '" + v + "'");
                }
            }
            case "path", "uri" -> {
                if (v.isBlank()) {
                    throw TrainchainException.badInput(where + " is a " + p.type() + ", but its value is empty");
                }
            }
            default -> { }
        }
        return v.trim().isEmpty() ? v : p.type().equals("string") ? v : v.trim();
    }

    /** POSIX-style splitting: whitespace separates, single quotes keep everything, double quotes and \ escape. */
    private List<String> split(String command, String entry) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inToken = false;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < command.length() && "\"\\$`".indexOf(command.charAt(i + 1)) >= 0) {
                    cur.append(command.charAt(++i));
                } else {
                    cur.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (inToken) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inToken = false;
                }
            } else {
                inToken = true;
                if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '\\' && i + 1 < command.length()) {
                    cur.append(command.charAt(++i));
                } else {
                    cur.append(c);
                }
            }
        }
        if (quote != 0) {
            throw TrainchainException.badInput(file + " entry point '" + entry + "' command has an unclosed " + quote
                    + " quote: " + command);
        }
        if (inToken) {
            out.add(cur.toString());
        }
        return out;
    }
}

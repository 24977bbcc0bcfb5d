package io.trainchain.engine.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the text of one file into evidence. Each (file, framework, kind) counts once: a file with twenty
 * DL4J imports is one DL4J file, so one big file cannot outvote several smaller ones.
 */
final class EvidenceCollector {

    private static final Pattern JAVA_IMPORT = Pattern.compile("^\\s*import\\s+(?:static\\s+)?([\\w.]+)");
    private static final Pattern POM_GROUP = Pattern.compile("<groupId>\\s*([\\w.\\-]+)\\s*</groupId>");
    private static final Pattern GRADLE_COORD = Pattern.compile("['\"]([\\w.\\-]+):[\\w.\\-]+(?::[^'\"]*)?['\"]");
    private static final Pattern GRADLE_GROUP = Pattern.compile("group\\s*[:=]\\s*['\"]([\\w.\\-]+)['\"]");
    private static final Pattern REQUIREMENT = Pattern.compile("^\\s*([A-Za-z0-9][A-Za-z0-9._\\-]*)");
    private static final Pattern TOML_HEADER = Pattern.compile("^\\s*\\[\\[?\\s*([^\\]]+?)\\s*\\]\\]?\\s*$");
    private static final Pattern TOML_KEY = Pattern.compile("^\\s*([A-Za-z0-9_.\\-\"']+)\\s*=\\s*(.*)$");
    private static final Pattern TOML_STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"|'([^']*)'");
    private static final Pattern CONDA_NAME = Pattern.compile("^\\s*(?:[\\w.\\-/]+::)?([A-Za-z0-9][A-Za-z0-9._\\-]*)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Evidence> evidence = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();

    List<Evidence> evidence() {
        return evidence;
    }

    /** Files that could not be parsed, as notes; never fatal. */
    List<String> problems() {
        return problems;
    }

    private void add(Framework f, String file, int line, String snippet, Evidence.Kind kind) {
        if (seen.add(file + "\u0000" + f + "\u0000" + kind)) {
            evidence.add(Evidence.of(f, file, line, snippet, kind));
        }
    }

    private static String[] lines(String text) {
        return text.split("\r?\n", -1);
    }

    void java(String file, String text) {
        String[] lines = lines(text);
        String[] code = stripCComments(lines);
        for (int i = 0; i < code.length; i++) {
            Matcher m = JAVA_IMPORT.matcher(code[i]);
            if (m.find()) {
                int line = i + 1;
                String snippet = lines[i];
                Packages.javaName(m.group(1)).ifPresent(f -> add(f, file, line, snippet, Evidence.Kind.JAVA_IMPORT));
            }
        }
    }

    void pom(String file, String text) {
        String[] lines = lines(text);
        boolean inComment = false;
        for (int i = 0; i < lines.length; i++) {
            StringBuilder code = new StringBuilder();
            String l = lines[i];
            int k = 0;
            while (k < l.length()) {
                if (inComment) {
                    int end = l.indexOf("-->", k);
                    if (end < 0) {
                        k = l.length();
                    } else {
                        inComment = false;
                        k = end + 3;
                    }
                } else {
                    int start = l.indexOf("<!--", k);
                    if (start < 0) {
                        code.append(l, k, l.length());
                        k = l.length();
                    } else {
                        code.append(l, k, start);
                        inComment = true;
                        k = start + 4;
                    }
                }
            }
            Matcher m = POM_GROUP.matcher(code);
            while (m.find()) {
                int line = i + 1;
                Packages.javaName(m.group(1))
                        .ifPresent(f -> add(f, file, line, lines[line - 1], Evidence.Kind.BUILD_DEPENDENCY));
            }
        }
    }

    void gradle(String file, String text) {
        String[] lines = lines(text);
        String[] code = stripCComments(lines);
        for (int i = 0; i < code.length; i++) {
            int line = i + 1;
            for (Pattern p : List.of(GRADLE_COORD, GRADLE_GROUP)) {
                Matcher m = p.matcher(code[i]);
                while (m.find()) {
                    Packages.javaName(m.group(1))
                            .ifPresent(f -> add(f, file, line, lines[line - 1], Evidence.Kind.BUILD_DEPENDENCY));
                }
            }
        }
    }

    void python(String file, String text) {
        String[] lines = lines(text);
        for (PythonSource.Import imp : PythonSource.imports(PythonSource.tokenize(text))) {
            Packages.pythonModule(imp.topLevel()).ifPresent(f ->
                    add(f, file, imp.line(), lines[imp.line() - 1], Evidence.Kind.PYTHON_IMPORT));
        }
        if (file.equals("setup.py") || file.endsWith("/setup.py")) {
            setupPy(file, text, lines);
        }
    }

    /** install_requires=[...] (or "install_requires": [...]) in setup.py. */
    private void setupPy(String file, String text, String[] lines) {
        List<PythonSource.Token> tokens = PythonSource.tokenize(text);
        for (int k = 0; k + 2 < tokens.size(); k++) {
            PythonSource.Token t = tokens.get(k);
            boolean key = (t.type() == PythonSource.Type.NAME || t.type() == PythonSource.Type.STRING)
                    && t.text().equals("install_requires");
            PythonSource.Token sep = tokens.get(k + 1);
            if (!key || !(sep.is(PythonSource.Type.OP, "=") || sep.is(PythonSource.Type.OP, ":"))
                    || !tokens.get(k + 2).is(PythonSource.Type.OP, "[")) {
                continue;
            }
            int depth = 0;
            for (int j = k + 2; j < tokens.size(); j++) {
                PythonSource.Token v = tokens.get(j);
                if (v.is(PythonSource.Type.OP, "[")) {
                    depth++;
                } else if (v.is(PythonSource.Type.OP, "]") && --depth == 0) {
                    break;
                } else if (v.type() == PythonSource.Type.STRING) {
                    requirement(file, v.text(), v.line(), lines[v.line() - 1]);
                }
            }
        }
    }

    void requirements(String file, String text) {
        String[] lines = lines(text);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].replaceFirst("(^|\\s)#.*$", "");
            // -r other.txt, -e ., --index-url ...: options, not packages.
            if (l.isBlank() || l.strip().startsWith("-")) {
                continue;
            }
            requirement(file, l, i + 1, lines[i]);
        }
    }

    private void requirement(String file, String spec, int line, String snippet) {
        Matcher m = REQUIREMENT.matcher(spec);
        if (m.find()) {
            Packages.distribution(m.group(1))
                    .ifPresent(f -> add(f, file, line, snippet, Evidence.Kind.PYTHON_DEPENDENCY));
        }
    }

    /**
     * pyproject.toml without a TOML library: the dependency arrays of [project], [project.optional-dependencies],
     * [dependency-groups] and PDM, and the keys of Poetry's dependency tables. [build-system] requires is skipped:
     * build tools are not what the model runs on.
     */
    void pyproject(String file, String text) {
        String[] lines = lines(text);
        String table = "";
        boolean inArray = false;
        for (int i = 0; i < lines.length; i++) {
            String l = stripTomlComment(lines[i]);
            int line = i + 1;
            if (inArray) {
                inArray = collectTomlStrings(file, l, line, lines[i]);
                continue;
            }
            Matcher h = TOML_HEADER.matcher(l);
            if (h.matches()) {
                table = h.group(1).replace("\"", "").replace("'", "");
                continue;
            }
            Matcher kv = TOML_KEY.matcher(l);
            if (!kv.matches()) {
                continue;
            }
            String key = kv.group(1).replace("\"", "").replace("'", "");
            String value = kv.group(2).strip();
            boolean arrayTable = (table.equals("project") && key.equals("dependencies"))
                    || table.equals("project.optional-dependencies") || table.equals("dependency-groups")
                    || table.equals("tool.pdm.dev-dependencies");
            boolean poetryTable = table.equals("tool.poetry.dependencies") || table.equals("tool.poetry.dev-dependencies")
                    || (table.startsWith("tool.poetry.group.") && table.endsWith(".dependencies"));
            if (arrayTable && value.startsWith("[")) {
                inArray = collectTomlStrings(file, value.substring(1), line, lines[i]);
            } else if (poetryTable && !key.equals("python")) {
                requirement(file, key, line, lines[i]);
            }
        }
    }

    /** Adds the requirement strings on this line; true while the array goes on past it. */
    private boolean collectTomlStrings(String file, String l, int line, String snippet) {
        Matcher m = TOML_STRING.matcher(l);
        while (m.find()) {
            requirement(file, m.group(1) != null ? m.group(1) : m.group(2), line, snippet);
        }
        return !TOML_STRING.matcher(l).replaceAll("").contains("]");
    }

    private static String stripTomlComment(String l) {
        char quote = 0;
        for (int k = 0; k < l.length(); k++) {
            char c = l.charAt(k);
            if (quote != 0) {
                if (c == '\\' && quote == '"') {
                    k++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#') {
                return l.substring(0, k);
            }
        }
        return l;
    }

    /** Conda environment.yml: the dependencies list, including its nested pip: list. */
    void condaEnvironment(String file, String text) {
        Node root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(text));
        } catch (RuntimeException e) {
            problems.add(file + " is not valid YAML, skipped (" + firstLine(e.getMessage()) + ")");
            return;
        }
        String[] lines = lines(text);
        if (!(root instanceof MappingNode mapping)) {
            return;
        }
        for (NodeTuple t : mapping.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("dependencies")
                    && t.getValueNode() instanceof SequenceNode deps) {
                for (Node dep : deps.getValue()) {
                    if (dep instanceof ScalarNode s) {
                        conda(file, s, lines);
                    } else if (dep instanceof MappingNode pip) {
                        for (NodeTuple p : pip.getValue()) {
                            if (p.getKeyNode() instanceof ScalarNode pk && pk.getValue().equals("pip")
                                    && p.getValueNode() instanceof SequenceNode pipDeps) {
                                for (Node pd : pipDeps.getValue()) {
                                    if (pd instanceof ScalarNode ps) {
                                        int line = ps.getStartMark().getLine() + 1;
                                        requirement(file, ps.getValue(), line, lines[line - 1]);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private void conda(String file, ScalarNode s, String[] lines) {
        Matcher m = CONDA_NAME.matcher(s.getValue());
        if (m.find()) {
            int line = s.getStartMark().getLine() + 1;
            Packages.distribution(m.group(1))
                    .ifPresent(f -> add(f, file, line, lines[line - 1], Evidence.Kind.PYTHON_DEPENDENCY));
        }
    }

    /** Jupyter notebook: imports in code cells only; markdown cells may discuss any framework. */
    void notebook(String file, String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (Exception e) {
            problems.add(file + " is not a valid notebook (JSON), skipped (" + firstLine(e.getMessage()) + ")");
            return;
        }
        JsonNode cells = root == null ? null : root.get("cells");
        if (cells == null || !cells.isArray()) {
            return;
        }
        for (int c = 0; c < cells.size(); c++) {
            JsonNode cell = cells.get(c);
            if (!"code".equals(cell.path("cell_type").asText())) {
                continue;
            }
            JsonNode source = cell.path("source");
            StringBuilder code = new StringBuilder();
            if (source.isArray()) {
                source.forEach(s -> code.append(s.asText()));
            } else {
                code.append(source.asText());
            }
            // IPython magics and shell escapes (%pip, !ls) are not Python.
            String python = code.toString().replaceAll("(?m)^\\s*[%!].*$", "");
            String[] lines = lines(python);
            int cellNumber = c + 1;
            for (PythonSource.Import imp : PythonSource.imports(PythonSource.tokenize(python))) {
                Packages.pythonModule(imp.topLevel()).ifPresent(f -> add(f, file, imp.line(),
                        "[cell " + cellNumber + "] " + lines[imp.line() - 1].strip(), Evidence.Kind.NOTEBOOK_IMPORT));
            }
        }
    }

    /** Blanks out // and block comments in Java/Groovy/Kotlin lines, keeping line numbers. */
    private static String[] stripCComments(String[] lines) {
        String[] out = new String[lines.length];
        boolean inBlock = false;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            StringBuilder code = new StringBuilder();
            int k = 0;
            while (k < l.length()) {
                if (inBlock) {
                    int end = l.indexOf("*/", k);
                    if (end < 0) {
                        k = l.length();
                    } else {
                        inBlock = false;
                        k = end + 2;
                    }
                } else if (l.startsWith("/*", k)) {
                    inBlock = true;
                    k += 2;
                } else if (l.startsWith("//", k)) {
                    k = l.length();
                } else {
                    code.append(l.charAt(k));
                    k++;
                }
            }
            out[i] = code.toString();
        }
        return out;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        int nl = s.indexOf('\n');
        String first = nl < 0 ? s : s.substring(0, nl);
        return first.isBlank() ? "no detail" : first;
    }

    static Optional<String> kindOf(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        if (n.endsWith(".java")) {
            return Optional.of("java");
        }
        if (n.equals("pom.xml")) {
            return Optional.of("pom");
        }
        if (n.equals("build.gradle") || n.equals("build.gradle.kts")) {
            return Optional.of("gradle");
        }
        if (n.endsWith(".py")) {
            return Optional.of("python");
        }
        if (n.startsWith("requirements") && n.endsWith(".txt")) {
            return Optional.of("requirements");
        }
        if (n.equals("pyproject.toml")) {
            return Optional.of("pyproject");
        }
        if (n.equals("environment.yml") || n.equals("environment.yaml")) {
            return Optional.of("conda");
        }
        if (n.endsWith(".ipynb")) {
            return Optional.of("notebook");
        }
        return Optional.empty();
    }

    void collect(String kind, String file, String text) {
        switch (kind) {
            case "java" -> java(file, text);
            case "pom" -> pom(file, text);
            case "gradle" -> gradle(file, text);
            case "python" -> python(file, text);
            case "requirements" -> requirements(file, text);
            case "pyproject" -> pyproject(file, text);
            case "conda" -> condaEnvironment(file, text);
            case "notebook" -> notebook(file, text);
            default -> throw new IllegalArgumentException("unknown file kind " + kind);
        }
    }
}

package io.trainchain.engine.detect;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.StringReader;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Evidence from Python packaging files: setup.py, requirements*.txt, pyproject.toml and conda environment.yml. */
final class PythonDependencyEvidence {

    private static final Pattern REQUIREMENT = Pattern.compile("^\\s*([A-Za-z0-9][A-Za-z0-9._\\-]*)");
    private static final Pattern TOML_HEADER = Pattern.compile("^\\s*\\[\\[?\\s*([^\\]]+?)\\s*\\]\\]?\\s*$");
    private static final Pattern TOML_KEY = Pattern.compile("^\\s*([A-Za-z0-9_.\\-\"']+)\\s*=\\s*(.*)$");
    private static final Pattern TOML_STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"|'([^']*)'");
    private static final Pattern CONDA_NAME = Pattern.compile("^\\s*(?:[\\w.\\-/]+::)?([A-Za-z0-9][A-Za-z0-9._\\-]*)");

    private final EvidenceCollector out;

    PythonDependencyEvidence(EvidenceCollector out) {
        this.out = out;
    }

    /** install_requires=[...] (or "install_requires": [...]) in setup.py. */
    void setupPy(String file, String text) {
        String[] lines = EvidenceCollector.lines(text);
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
        String[] lines = EvidenceCollector.lines(text);
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
                    .ifPresent(f -> out.add(f, file, line, snippet, Evidence.Kind.PYTHON_DEPENDENCY));
        }
    }

    /**
     * pyproject.toml without a TOML library: the dependency arrays of [project], [project.optional-dependencies],
     * [dependency-groups] and PDM, and the keys of Poetry's dependency tables. [build-system] requires is skipped:
     * build tools are not what the model runs on.
     */
    void pyproject(String file, String text) {
        String[] lines = EvidenceCollector.lines(text);
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
            out.problem(file + " is not valid YAML, skipped (" + EvidenceCollector.firstLine(e.getMessage()) + ")");
            return;
        }
        String[] lines = EvidenceCollector.lines(text);
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
                    .ifPresent(f -> out.add(f, file, line, lines[line - 1], Evidence.Kind.PYTHON_DEPENDENCY));
        }
    }
}

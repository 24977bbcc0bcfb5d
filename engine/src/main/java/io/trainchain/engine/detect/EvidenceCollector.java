package io.trainchain.engine.detect;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the text of one file into evidence. Each (file, framework, kind) counts once: a file with twenty
 * DL4J imports is one DL4J file, so one big file cannot outvote several smaller ones. The readers of each kind
 * of file are {@link JvmEvidence}, {@link PythonImportEvidence} and {@link PythonDependencyEvidence}.
 */
final class EvidenceCollector {

    private final List<Evidence> evidence = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();
    private final JvmEvidence jvm = new JvmEvidence(this);
    private final PythonImportEvidence pythonImports = new PythonImportEvidence(this);
    private final PythonDependencyEvidence pythonDependencies = new PythonDependencyEvidence(this);

    List<Evidence> evidence() {
        return evidence;
    }

    /** Files that could not be parsed, as notes; never fatal. */
    List<String> problems() {
        return problems;
    }

    void add(Framework f, String file, int line, String snippet, Evidence.Kind kind) {
        if (seen.add(file + "\u0000" + f + "\u0000" + kind)) {
            evidence.add(Evidence.of(f, file, line, snippet, kind));
        }
    }

    void problem(String note) {
        problems.add(note);
    }

    static String[] lines(String text) {
        return text.split("\r?\n", -1);
    }

    static String firstLine(String s) {
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
            case "java" -> jvm.java(file, text);
            case "pom" -> jvm.pom(file, text);
            case "gradle" -> jvm.gradle(file, text);
            case "python" -> python(file, text);
            case "requirements" -> pythonDependencies.requirements(file, text);
            case "pyproject" -> pythonDependencies.pyproject(file, text);
            case "conda" -> pythonDependencies.condaEnvironment(file, text);
            case "notebook" -> pythonImports.notebook(file, text);
            default -> throw new IllegalArgumentException("unknown file kind " + kind);
        }
    }

    /** A .py file's imports come first; setup.py's install_requires follow, in that order. */
    private void python(String file, String text) {
        pythonImports.python(file, text);
        if (file.equals("setup.py") || file.endsWith("/setup.py")) {
            pythonDependencies.setupPy(file, text);
        }
    }
}

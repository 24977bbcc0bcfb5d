package io.trainchain.engine.detect;

/**
 * One place in the repository that points at a framework.
 *
 * @param file    path relative to the repository root, '/'-separated
 * @param line    1-based line (for notebooks: the line inside the code cell named in the snippet)
 * @param snippet the line as written (trimmed, shortened)
 * @param weight  how much it counts; see {@link Kind#weight()}
 */
public record Evidence(Framework framework, String file, int line, String snippet, double weight, Kind kind) {

    /** Where evidence came from. Declared dependencies and real imports count more than a notebook cell. */
    public enum Kind {
        BUILD_DEPENDENCY(3.0),
        PYTHON_DEPENDENCY(3.0),
        JAVA_IMPORT(2.0),
        PYTHON_IMPORT(2.0),
        NOTEBOOK_IMPORT(1.0);

        private final double weight;

        Kind(double weight) {
            this.weight = weight;
        }

        public double weight() {
            return weight;
        }
    }

    static Evidence of(Framework framework, String file, int line, String snippet, Kind kind) {
        String s = snippet == null ? "" : snippet.strip();
        if (s.length() > 120) {
            s = s.substring(0, 117) + "...";
        }
        return new Evidence(framework, file, line, s, kind.weight(), kind);
    }

    /** "src/train.py:3". */
    public String where() {
        return file + ":" + line;
    }
}

package io.trainchain.engine.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Evidence from Python imports: in .py sources and in the code cells of Jupyter notebooks. */
final class PythonImportEvidence {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EvidenceCollector out;

    PythonImportEvidence(EvidenceCollector out) {
        this.out = out;
    }

    void python(String file, String text) {
        String[] lines = EvidenceCollector.lines(text);
        for (PythonSource.Import imp : PythonSource.imports(PythonSource.tokenize(text))) {
            Packages.pythonModule(imp.topLevel()).ifPresent(f ->
                    out.add(f, file, imp.line(), lines[imp.line() - 1], Evidence.Kind.PYTHON_IMPORT));
        }
    }

    /** Jupyter notebook: imports in code cells only; markdown cells may discuss any framework. */
    void notebook(String file, String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (Exception e) {
            out.problem(file + " is not a valid notebook (JSON), skipped ("
                    + EvidenceCollector.firstLine(e.getMessage()) + ")");
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
            String[] lines = EvidenceCollector.lines(python);
            int cellNumber = c + 1;
            for (PythonSource.Import imp : PythonSource.imports(PythonSource.tokenize(python))) {
                Packages.pythonModule(imp.topLevel()).ifPresent(f -> out.add(f, file, imp.line(),
                        "[cell " + cellNumber + "] " + lines[imp.line() - 1].strip(), Evidence.Kind.NOTEBOOK_IMPORT));
            }
        }
    }
}

package io.trainchain.engine.detect;

import java.util.List;
import java.util.Optional;

/**
 * What detectFramework concluded.
 *
 * @param framework  the framework, or null when no ML code was found (see {@link #detected()})
 * @param confidence winner's weight / total weight, 0..1; 1.0 when overridden
 * @param evidence   every place that counted, in scan order (kept when overridden)
 * @param notes      human sentences: mixed evidence and the runner-up, what was scanned, overrides
 * @param overridden true when trainchain.yaml chose the framework
 */
public record Detection(Framework framework, double confidence, List<Evidence> evidence, List<String> notes,
                        boolean overridden) {

    public Detection {
        evidence = List.copyOf(evidence);
        notes = List.copyOf(notes);
    }

    public Optional<Framework> detected() {
        return Optional.ofNullable(framework);
    }

    /** One line for logs: "PyTorch (confidence 0.58; mixed evidence: ...)". */
    public String summary() {
        String head = framework == null ? "no ML framework" : framework.displayName()
                + String.format(java.util.Locale.ROOT, " (confidence %.2f%s)", confidence, overridden ? ", overridden" : "");
        return notes.isEmpty() ? head : head + ": " + String.join("; ", notes);
    }
}

package io.trainchain.engine.detect;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Which names belong to which framework: Python distributions and modules, Java packages, Maven groups. */
final class Packages {

    private Packages() {
    }

    /** Normalised (PEP 503) distribution names as they appear in requirements, pyproject, setup.py, conda. */
    private static final Map<String, Framework> DISTRIBUTIONS = Map.ofEntries(
            Map.entry("torch", Framework.PYTORCH),
            Map.entry("pytorch", Framework.PYTORCH),
            Map.entry("torchvision", Framework.PYTORCH),
            Map.entry("torchaudio", Framework.PYTORCH),
            Map.entry("torchtext", Framework.PYTORCH),
            Map.entry("pytorch-lightning", Framework.PYTORCH),
            Map.entry("lightning", Framework.PYTORCH),
            Map.entry("tensorflow", Framework.TENSORFLOW),
            Map.entry("tensorflow-cpu", Framework.TENSORFLOW),
            Map.entry("tensorflow-gpu", Framework.TENSORFLOW),
            Map.entry("tensorflow-macos", Framework.TENSORFLOW),
            Map.entry("tf-nightly", Framework.TENSORFLOW),
            Map.entry("tf-keras", Framework.TENSORFLOW),
            Map.entry("keras", Framework.TENSORFLOW),
            Map.entry("scikit-learn", Framework.SKLEARN),
            Map.entry("sklearn", Framework.SKLEARN),
            Map.entry("deeplearning4j", Framework.DL4J),
            Map.entry("nd4j", Framework.DL4J),
            Map.entry("pydl4j", Framework.DL4J));

    /** Top-level Python modules. */
    private static final Map<String, Framework> MODULES = Map.of(
            "torch", Framework.PYTORCH,
            "torchvision", Framework.PYTORCH,
            "torchaudio", Framework.PYTORCH,
            "pytorch_lightning", Framework.PYTORCH,
            "lightning", Framework.PYTORCH,
            "tensorflow", Framework.TENSORFLOW,
            "keras", Framework.TENSORFLOW,
            "tf_keras", Framework.TENSORFLOW,
            "sklearn", Framework.SKLEARN,
            "pydl4j", Framework.DL4J);

    /** Java package prefixes and Maven/Gradle group ids (a group id is a package-like prefix too). */
    private static final List<Map.Entry<String, Framework>> JAVA_PREFIXES = List.of(
            Map.entry("org.deeplearning4j", Framework.DL4J),
            Map.entry("org.nd4j", Framework.DL4J),
            Map.entry("org.datavec", Framework.DL4J),
            Map.entry("org.tensorflow", Framework.TENSORFLOW),
            Map.entry("ai.djl.tensorflow", Framework.TENSORFLOW),
            Map.entry("ai.djl.pytorch", Framework.PYTORCH),
            Map.entry("org.pytorch", Framework.PYTORCH));

    static Optional<Framework> distribution(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
        return Optional.ofNullable(DISTRIBUTIONS.get(n));
    }

    static Optional<Framework> pythonModule(String topLevel) {
        return Optional.ofNullable(MODULES.get(topLevel));
    }

    /** "org.nd4j.linalg.api.ndarray.INDArray" or the group "org.nd4j" → DL4J. */
    static Optional<Framework> javaName(String name) {
        for (Map.Entry<String, Framework> e : JAVA_PREFIXES) {
            if (name.equals(e.getKey()) || name.startsWith(e.getKey() + ".")) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }
}

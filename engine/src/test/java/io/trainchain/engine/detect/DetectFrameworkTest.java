package io.trainchain.engine.detect;

import io.trainchain.engine.config.ProjectConfig;

import io.trainchain.engine.TrainchainException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

class DetectFrameworkTest {

    @TempDir
    Path tmp;

    private final DetectFramework detector = new DetectFramework();

    private static Path fixture(String name) {
        try {
            return Path.of(DetectFrameworkTest.class.getResource("/detect/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Evidence evidenceAt(Detection d, String where) {
        return d.evidence().stream().filter(e -> e.where().equals(where)).findFirst()
                .orElseThrow(() -> new AssertionError("no evidence at " + where + " in " + d.evidence()));
    }

    private static Set<Framework> frameworksIn(Detection d) {
        return d.evidence().stream().map(Evidence::framework).collect(Collectors.toSet());
    }

    @Test
    void dl4jMavenProject() {
        Detection d = detector.detect(fixture("dl4j-maven"));
        assertEquals(Framework.DL4J, d.framework());
        assertEquals(1.0, d.confidence());
        assertFalse(d.overridden());
        Evidence pom = evidenceAt(d, "pom.xml:10");
        assertEquals(Evidence.Kind.BUILD_DEPENDENCY, pom.kind());
        assertEquals("<groupId>org.deeplearning4j</groupId>", pom.snippet());
        Evidence imp = evidenceAt(d, "src/main/java/com/example/Train.java:7");
        assertEquals(Evidence.Kind.JAVA_IMPORT, imp.kind());
        assertEquals("import org.deeplearning4j.nn.conf.MultiLayerConfiguration;", imp.snippet());
        // Commented-out TensorFlow (XML comment, block comment, line comment, string) does not count.
        assertEquals(Set.of(Framework.DL4J), frameworksIn(d));
        assertEquals(2, d.evidence().size(), "one evidence per file and framework: " + d.evidence());
        assertTrue(d.notes().isEmpty(), d.notes().toString());
    }

    @Test
    void dl4jGradleProject() {
        Detection d = detector.detect(fixture("dl4j-gradle"));
        assertEquals(Framework.DL4J, d.framework());
        assertEquals(Evidence.Kind.BUILD_DEPENDENCY, evidenceAt(d, "build.gradle:7").kind());
        assertEquals(Evidence.Kind.JAVA_IMPORT, evidenceAt(d, "src/main/java/Classify.java:1").kind());
        assertEquals(Set.of(Framework.DL4J), frameworksIn(d));
    }

    @Test
    void pytorchImportsAndRequirements() {
        Detection d = detector.detect(fixture("pytorch"));
        assertEquals(Framework.PYTORCH, d.framework());
        assertEquals(1.0, d.confidence());
        Evidence req = evidenceAt(d, "requirements.txt:2");
        assertEquals(Evidence.Kind.PYTHON_DEPENDENCY, req.kind());
        assertEquals(3.0, req.weight());
        assertEquals("torch==2.3.1", req.snippet());
        Evidence imp = evidenceAt(d, "model.py:2");
        assertEquals(Evidence.Kind.PYTHON_IMPORT, imp.kind());
        assertEquals(2.0, imp.weight());
        assertEquals("import torch.optim as optim", evidenceAt(d, "train.py:4").snippet());
        assertEquals(3, d.evidence().size(), d.evidence().toString());
    }

    @Test
    void tensorflowAndKeras() {
        Detection d = detector.detect(fixture("tensorflow-keras"));
        assertEquals(Framework.TENSORFLOW, d.framework());
        evidenceAt(d, "requirements.txt:1");
        assertEquals("import tensorflow as tf", evidenceAt(d, "train.py:2").snippet());
        assertEquals("import keras", evidenceAt(d, "layers.py:1").snippet());
    }

    @Test
    void sklearnFromPyprojectIgnoringBuildRequiresAndComments() {
        Detection d = detector.detect(fixture("sklearn"));
        assertEquals(Framework.SKLEARN, d.framework());
        Evidence dep = evidenceAt(d, "pyproject.toml:11");
        assertEquals(Evidence.Kind.PYTHON_DEPENDENCY, dep.kind());
        assertEquals("\"scikit-learn>=1.4\",  # the model", dep.snippet());
        evidenceAt(d, "src/iris/train.py:1");
        assertEquals(Set.of(Framework.SKLEARN), frameworksIn(d), "build-system requires and comments do not count");
    }

    @Test
    void torchOnlyInCommentsStringsAndDocstringsIsNoFramework() {
        Detection d = detector.detect(fixture("comment-only"));
        assertTrue(d.detected().isEmpty(), d.summary());
        assertNull(d.framework());
        assertTrue(d.evidence().isEmpty(), d.evidence().toString());
        assertTrue(d.notes().get(0).startsWith("no ML framework found: scanned 2 relevant files (1 python, 1 requirements)"),
                d.notes().toString());
    }

    @Test
    void twoFrameworksResolvedByWeightWithRunnerUpInNotes() {
        Detection d = detector.detect(fixture("two-frameworks"));
        assertEquals(Framework.PYTORCH, d.framework());
        // torch: requirements 3 + model.py 2 + train.py 2; sklearn: requirements 3 + preprocess.py 2.
        assertEquals(7.0 / 12.0, d.confidence(), 1e-9);
        assertEquals(Framework.SKLEARN, evidenceAt(d, "preprocess.py:2").framework());
        assertEquals(Framework.SKLEARN, evidenceAt(d, "requirements.txt:1").framework());
        assertEquals(Framework.PYTORCH, evidenceAt(d, "requirements.txt:2").framework());
        assertEquals(1, d.notes().size(), d.notes().toString());
        String note = d.notes().get(0);
        assertTrue(note.startsWith("mixed evidence: PyTorch 7.0 (3 places) over runner-up scikit-learn 5.0 (2 places); "
                + "PyTorch chosen by total weight"), note);
    }

    @Test
    void tiesGoToDl4j() throws IOException {
        Files.writeString(tmp.resolve("requirements.txt"), "torch\ndeeplearning4j\n");
        Detection d = detector.detect(tmp);
        assertEquals(Framework.DL4J, d.framework());
        assertEquals(0.5, d.confidence());
        assertTrue(d.notes().get(0).contains("a tie, resolved in favour of Deeplearning4j"), d.notes().toString());
    }

    @Test
    void emptyRepositoryIsNoFrameworkNotACrash() {
        Detection d = detector.detect(tmp);
        assertTrue(d.detected().isEmpty());
        assertEquals(0.0, d.confidence());
        assertTrue(d.notes().get(0).startsWith("no ML framework found: scanned 0 relevant files of 0 files under " + tmp),
                d.notes().toString());
    }

    @Test
    void plainAppIsNoFrameworkAndSaysWhatWasScanned() {
        Detection d = detector.detect(fixture("no-ml"));
        assertTrue(d.detected().isEmpty(), d.summary());
        String note = d.notes().get(0);
        assertTrue(note.contains("scanned 4 relevant files (1 java, 1 pom, 1 python, 1 requirements) of 4 files"), note);
        assertTrue(note.contains("set 'framework:' in trainchain.yaml"), note);
    }

    @Test
    void notebookCodeCellsOnly() {
        Detection d = detector.detect(fixture("notebook-only"));
        assertEquals(Framework.TENSORFLOW, d.framework());
        Evidence e = evidenceAt(d, "notebooks/explore.ipynb:2");
        assertEquals(Evidence.Kind.NOTEBOOK_IMPORT, e.kind());
        assertEquals(1.0, e.weight());
        assertEquals("[cell 3] import tensorflow as tf", e.snippet());
        // The markdown cell, a commented import and %pip / !pip magics mention torch and sklearn: none counts.
        assertEquals(Set.of(Framework.TENSORFLOW), frameworksIn(d));
    }

    @Test
    void overrideWinsButKeepsTheEvidence() {
        Detection d = detector.detect(fixture("override"), ProjectConfig.load(fixture("override")).framework());
        assertEquals(Framework.PYTORCH, d.framework());
        assertTrue(d.overridden());
        assertEquals(1.0, d.confidence());
        assertEquals(Framework.SKLEARN, evidenceAt(d, "prep.py:1").framework());
        assertTrue(d.notes().contains("framework set to PyTorch by trainchain.yaml; the scan alone would pick scikit-learn"),
                d.notes().toString());
    }

    @Test
    void unknownOverrideIsBadInputNamingFileLineAndChoices() throws IOException {
        Files.writeString(tmp.resolve("trainchain.yaml"), "epochs: 2\nframework: caffe\n");
        TrainchainException e = assertThrows(TrainchainException.class, () -> ProjectConfig.load(tmp));
        assertEquals(TrainchainException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().contains("trainchain.yaml:2: framework 'caffe' is not known; use one of "
                + "dl4j, pytorch, tensorflow, sklearn"), e.getMessage());
    }

    @Test
    void virtualenvsAndBuildFoldersAreIgnored() {
        Detection d = detector.detect(fixture("venv-ignored"));
        assertEquals(Framework.SKLEARN, d.framework());
        assertEquals(1.0, d.confidence());
        assertEquals(List.of("classify.py:1"), d.evidence().stream().map(Evidence::where).toList());
    }

    @Test
    void setupPyCondaEnvironmentAndPoetry() {
        Detection d = detector.detect(fixture("python-packaging"));
        assertEquals(Framework.PYTORCH, d.framework());
        assertEquals("\"torch>=2.0\",", evidenceAt(d, "setup.py:8").snippet());
        assertEquals("- pytorch::pytorch=2.1", evidenceAt(d, "environment.yml:6").snippet());
        assertEquals(Framework.SKLEARN, evidenceAt(d, "environment.yml:9").framework());
        assertEquals(Framework.PYTORCH, evidenceAt(d, "pyproject.toml:3").framework());
        assertEquals(0.75, d.confidence(), 1e-9);
        assertTrue(d.notes().get(0).contains("runner-up scikit-learn 3.0"), d.notes().toString());
    }

    @Test
    void largeFilesAndFileCountAreBounded() throws IOException {
        Files.writeString(tmp.resolve("big.py"), "import torch\n" + "x = 1\n".repeat(50));
        Detection big = new DetectFramework(100, 100).detect(tmp);
        assertTrue(big.detected().isEmpty());
        assertTrue(big.notes().get(0).contains("1 over 0 KiB ignored"), big.notes().toString());

        for (int i = 0; i < 5; i++) {
            Files.writeString(tmp.resolve("m" + i + ".py"), "import sklearn\n");
        }
        Detection capped = new DetectFramework(3, 1_000_000).detect(tmp);
        assertTrue(capped.notes().contains("stopped after 3 files; the rest of the repository was not scanned"),
                capped.notes().toString());
        assertTrue(capped.evidence().size() <= 3, capped.evidence().toString());
    }

    @Test
    void brokenNotebookOrEnvironmentIsANoteNotACrash() throws IOException {
        Files.writeString(tmp.resolve("broken.ipynb"), "{not json");
        Files.writeString(tmp.resolve("environment.yml"), "dependencies: [unclosed\n");
        Files.writeString(tmp.resolve("train.py"), "import torch\n");
        Detection d = detector.detect(tmp);
        assertEquals(Framework.PYTORCH, d.framework());
        assertTrue(d.notes().stream().anyMatch(n -> n.startsWith("broken.ipynb is not a valid notebook")), d.notes().toString());
        assertTrue(d.notes().stream().anyMatch(n -> n.startsWith("environment.yml is not valid YAML")), d.notes().toString());
    }

    @Test
    void notADirectoryIsBadInput() {
        TrainchainException e = assertThrows(TrainchainException.class, () -> detector.detect(tmp.resolve("missing")));
        assertEquals(TrainchainException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().contains("is not a directory"), e.getMessage());
    }

    @Test
    void recipesAreFoundOrExplained() throws IOException {
        Path root = tmp.resolve("dockerfiles");
        Files.createDirectories(root.resolve("dl4j"));
        Files.writeString(root.resolve("dl4j/Dockerfile"), "FROM eclipse-temurin:17\n");
        Files.createDirectories(root.resolve("pytorch"));
        Files.writeString(root.resolve("pytorch/Dockerfile"), "FROM python:3.11\n");
        Files.createDirectories(root.resolve("empty"));

        Recipes.Lookup dl4j = Recipes.find(root, Framework.DL4J);
        assertTrue(dl4j.exists());
        assertEquals(root.resolve("dl4j/Dockerfile"), dl4j.dockerfile());
        assertEquals(List.of("dl4j", "pytorch"), Recipes.available(root));

        Recipes.Lookup tf = Recipes.find(root, Framework.TENSORFLOW);
        assertFalse(tf.exists());
        assertTrue(tf.message().startsWith("TensorFlow/Keras code found, but there is no TensorFlow image recipe here "
                + "(no " + root.resolve("tensorflow/Dockerfile") + ")"), tf.message());
        assertTrue(tf.message().contains("same contract as dockerfiles/pytorch") && tf.message().endsWith(
                "Recipes here: dl4j, pytorch"), "how to provide one, and what exists: " + tf.message());
        assertTrue(Recipes.find(root, Framework.SKLEARN).message().startsWith("scikit-learn is recognised but "
                + "Trainchain has no image recipe for it yet (no " + root.resolve("sklearn/Dockerfile")
                + "); recipes here: dl4j, pytorch"), Recipes.find(root, Framework.SKLEARN).message());
        TrainchainException e = assertThrows(TrainchainException.class, () -> Recipes.require(root, Framework.TENSORFLOW));
        assertEquals(TrainchainException.Kind.BAD_INPUT, e.kind());
        assertEquals(tf.message(), e.getMessage());
        assertEquals(root.resolve("pytorch/Dockerfile"), Recipes.require(root, Framework.PYTORCH));
        assertTrue(Recipes.find(tmp.resolve("nowhere"), Framework.SKLEARN).message().contains("recipes here: none"));
    }

    @Test
    void frameworkNamesAndRecipes() {
        assertEquals("dl4j", Framework.DL4J.recipe());
        assertEquals("sklearn", Framework.SKLEARN.recipe());
        assertEquals("PyTorch", Framework.PYTORCH.displayName());
        assertEquals(Framework.SKLEARN, Framework.fromName("scikit-learn").orElseThrow());
        assertEquals(Framework.TENSORFLOW, Framework.fromName(" TensorFlow ").orElseThrow());
        assertEquals(Framework.DL4J, Framework.fromName("DL4J").orElseThrow());
        assertTrue(Framework.fromName("caffe").isEmpty());
    }
}

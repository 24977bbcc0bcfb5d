package io.trainchain.engine.chain;

import io.trainchain.engine.config.Dataset;
import io.trainchain.engine.config.ProjectConfig;
import io.trainchain.engine.detect.DetectFramework;
import io.trainchain.engine.detect.Detection;
import io.trainchain.engine.detect.Evidence;
import io.trainchain.engine.detect.Framework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** examples/fashion-cnn: its trainchain.yaml is valid, and its code alone is enough to detect DL4J. */
class ExampleRepositoryTest {
    static final Path EXAMPLE = Path.of("..", "examples", "fashion-cnn").toAbsolutePath().normalize();

    @Test
    void theExampleConfigSaysDl4jFashionMnistAndAnAccuracyGate() {
        ProjectConfig cfg = ProjectConfig.load(EXAMPLE);
        assertEquals(Framework.DL4J, cfg.framework().orElseThrow());
        assertEquals(Dataset.FASHION_MNIST, cfg.dataset().orElseThrow().name());
        assertEquals(EXAMPLE.resolve("params.json"), cfg.paramsFile().orElseThrow());
        assertEquals("accuracy", cfg.gate().metric());
        assertEquals(0.80, cfg.gate().threshold());
    }

    @Test
    void detectionFindsDl4jFromTheCodeWithoutTheOverride(@TempDir Path tmp) throws Exception {
        // A copy without trainchain.yaml: the verdict must come from pom.xml and the imports alone.
        try (Stream<Path> files = Files.walk(EXAMPLE)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (!f.getFileName().toString().equals(ProjectConfig.FILE_NAME)) {
                    Path target = tmp.resolve(EXAMPLE.relativize(f).toString());
                    Files.createDirectories(target.getParent());
                    Files.copy(f, target);
                }
            }
        }
        Detection d = new DetectFramework().detect(tmp);
        assertEquals(Framework.DL4J, d.framework());
        assertFalse(d.overridden());
        assertEquals(1.0, d.confidence());
        assertTrue(d.evidence().stream().anyMatch(e -> e.file().equals("pom.xml")
                && e.kind() == Evidence.Kind.BUILD_DEPENDENCY), d.evidence().toString());
        assertTrue(d.evidence().stream().anyMatch(e -> e.file().equals("src/main/java/example/FashionCnn.java")
                && e.kind() == Evidence.Kind.JAVA_IMPORT), d.evidence().toString());

        Detection withFile = new DetectFramework().detect(EXAMPLE, ProjectConfig.load(EXAMPLE).framework());
        assertTrue(withFile.overridden());
        assertTrue(withFile.notes().stream().anyMatch(n -> n.contains("the scan agrees")), withFile.notes().toString());
    }
}

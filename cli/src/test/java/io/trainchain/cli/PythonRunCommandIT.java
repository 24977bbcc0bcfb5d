package io.trainchain.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `trainchain run` on Python repositories for real (Docker, the scikit-learn image, Fashion-MNIST): the MLproject
 * example to its verdict with the summary a user reads, and a bad template in trainchain.yaml as exit 2 naming the
 * key, before any image is built.
 */
class PythonRunCommandIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void anMlprojectRunsToItsVerdictAndABadPlaceholderIsExitTwo(@TempDir Path tmp) throws Exception {
        TrainCommandIT.Result r = TrainCommandIT.run("run", ROOT.resolve("examples/mlproject").toString(),
                "--threshold", "0.5", "--store", tmp.resolve("runs.db").toString(),
                "--dockerfiles", ROOT.resolve("dockerfiles").toString());
        System.out.println(r.out() + r.err());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("    script: an MLproject entry point: python3 train.py --alpha 0.0001 --epochs 3"),
                r.out());
        assertTrue(r.out().matches("(?s).*\n  framework  scikit-learn \\(\\d+ evidence, set in trainchain.yaml\\)\n.*"),
                r.out());
        assertTrue(r.out().matches("(?s).*\n  image      trainchain/train-sklearn:[0-9a-f]{12} \\((cached|built)\\)\n.*"),
                r.out());
        assertTrue(r.out().matches("(?s).*\n  epochs     3\n.*"), "read per epoch from the output:\n" + r.out());
        assertTrue(r.out().matches("(?s).*\n  gate       PASSED: accuracy 0\\.\\d{4} >= 0\\.50\n.*"), r.out());

        Path repo = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(repo.resolve("fit.py"), "import sklearn\n");
        Files.writeString(repo.resolve("trainchain.yaml"), "entrypoint: fit.py\nargs: [\"--alpha\", \"{alpha}\"]\n"
                + "metrics: [{name: accuracy, regex: 'acc ([0-9.]+)'}]\n");
        TrainCommandIT.Result bad = TrainCommandIT.run("run", repo.toString(), "--store",
                tmp.resolve("runs.db").toString(), "--dockerfiles", ROOT.resolve("dockerfiles").toString());
        assertEquals(2, bad.code(), bad.out() + bad.err());
        assertTrue(bad.err().contains("trainchain.yaml 'args': placeholder {alpha} in '{alpha}' has no param"),
                bad.err());
        assertTrue(!bad.out().contains("> build-image"), "refused before any image is built:\n" + bad.out());
    }
}

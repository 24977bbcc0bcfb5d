package io.trainchain.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `trainchain run examples/fashion-cnn` for real (Docker, trainer, Fashion-MNIST; 2000 images, 1 epoch): exit 0 at a
 * low gate, exit 1 above what one short epoch reaches, and the printed progress and summary.
 */
class RunCommandIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private TrainCommandIT.Result run(Path tmp, String threshold) {
        return TrainCommandIT.run("run", ROOT.resolve("examples/fashion-cnn").toString(),
                "--limit", "2000", "--epochs", "1", "--threshold", threshold,
                "--store", tmp.resolve("runs.db").toString(),
                "--trainer-dist", ROOT.resolve("trainer/target/dist").toString(),
                "--dockerfiles", ROOT.resolve("dockerfiles").toString());
    }

    @Test
    void exitsZeroWhenTheGatePassesAndOneWhenItDoesNot(@TempDir Path tmp) {
        TrainCommandIT.Result pass = run(tmp, "0.5");
        System.out.println(pass.out() + pass.err());
        assertEquals(0, pass.code(), pass.out() + pass.err());
        for (String step : new String[]{"detect-framework", "base-image", "build-image", "train", "check-accuracy"}) {
            assertTrue(pass.out().contains("> " + step + "\n"), step + " start missing:\n" + pass.out());
            assertTrue(pass.out().matches("(?s).*\n< " + step + " ok \\d+\\.\\d\\d s.*"), step + " end missing");
        }
        assertTrue(pass.out().matches("(?s).*\n    epoch 1/1 \\[#{20}] val_accuracy 0\\.\\d{4}.* images/s.*"),
                pass.out());
        assertTrue(pass.out().contains("    Deeplearning4j at pom.xml:"), "evidence indented under its step");
        assertTrue(pass.out().contains("\nSummary\n"), pass.out());
        assertTrue(pass.out().matches("(?s).*\n  framework  Deeplearning4j \\(\\d+ evidence, set in trainchain.yaml\\)\n.*"),
                pass.out());
        assertTrue(pass.out().matches("(?s).*\n  image      trainchain/train-dl4j:[0-9a-f]{12} \\((cached|built)\\)\n.*"));
        assertTrue(pass.out().matches("(?s).*\n  test       accuracy 0\\.\\d{4}, macro F1 0\\.\\d{4}\n.*"), pass.out());
        assertTrue(pass.out().matches("(?s).*\n  gate       PASSED: accuracy 0\\.\\d{4} >= 0\\.50\n.*"), pass.out());
        assertTrue(pass.out().matches("(?s).*\n  model      .*/runs/[0-9TZ]+-[0-9a-f]{6}/train/model\\.zip\n.*"),
                pass.out());

        TrainCommandIT.Result below = run(tmp, "0.99");
        System.out.println(below.out() + below.err());
        assertEquals(1, below.code(), below.out() + below.err());
        assertTrue(below.out().contains("(cached)"), "the second run reuses the image");
        assertTrue(below.out().matches("(?s).*\n  gate       BELOW_THRESHOLD: accuracy 0\\.\\d{4} < 0\\.99\n.*"),
                below.out());

        TrainCommandIT.Result runs = TrainCommandIT.run("runs", "--store", tmp.resolve("runs.db").toString());
        assertEquals(0, runs.code());
        assertEquals(3, runs.out().lines().count(), "header and two runs:\n" + runs.out());
        assertTrue(runs.out().lines().skip(1).findFirst().orElseThrow().contains("BELOW_THRESHOLD"), runs.out());
        assertTrue(runs.out().contains("accuracy 0.99"), runs.out());
    }
}

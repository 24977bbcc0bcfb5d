package io.trainchain.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `trainchain run` on Python repositories for real (Docker, the PyTorch and scikit-learn images, Fashion-MNIST): each
 * example to its verdict with the summary a user reads and its run in the store (small limits: the training itself
 * is PythonChainIT's), and a bad template in trainchain.yaml as exit 2 naming the key, before any image is built.
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

    @Test
    void theOtherPythonExamplesRunThroughTrainchainRunToAVerdictWithTheirMetricsStored(@TempDir Path tmp)
            throws Exception {
        String db = tmp.resolve("runs.db").toString();
        String dockerfiles = ROOT.resolve("dockerfiles").toString();
        Path unmodifiedParams = Files.writeString(tmp.resolve("params.json"),
                "{\"epochs\": 1, \"lr\": 0.002, \"train_size\": 3000}");
        List<List<String>> runs = List.of(
                List.of("sklearn-fashion", "--limit", "3000"),
                List.of("pytorch-fashion", "--limit", "3000", "--epochs", "1"),
                List.of("pytorch-unmodified", "--params", unmodifiedParams.toString(), "--limit", "3000"));
        String lastOut = "";
        for (List<String> example : runs) {
            List<String> args = new ArrayList<>(List.of("run", ROOT.resolve("examples").resolve(example.get(0))
                    .toString(), "--threshold", "0.5", "--store", db, "--dockerfiles", dockerfiles));
            args.addAll(example.subList(1, example.size()));
            TrainCommandIT.Result r = TrainCommandIT.run(args.toArray(String[]::new));
            System.out.println(r.out() + r.err());
            lastOut = r.out();
            assertEquals(0, r.code(), example + ":\n" + r.out() + r.err());
            assertTrue(r.out().matches("(?s).*\n  gate       PASSED: accuracy 0\\.\\d{4} >= 0\\.50\n.*"), r.out());
            assertTrue(r.out().matches("(?s).*\n  model      .*/train/model\\.(pt|joblib)\n.*"), r.out());
        }
        // The last one's --params replaced trainchain.yaml's epochs and train_size; its lr still applied.
        assertTrue(lastOut.contains("exec python3 train.py --epochs 1 --lr 0.002 --train-size 3000"), lastOut);
        assertTrue(lastOut.contains("limit 3000 is not passed to the script (an unmodified script, run and read as "
                + "trainchain.yaml says: its arguments are its own); give it a param for that"), lastOut);
        TrainCommandIT.Result stored = TrainCommandIT.run("runs", "--store", db);
        assertEquals(0, stored.code(), stored.err());
        List<String> rows = stored.out().lines().skip(1).toList();
        assertEquals(3, rows.size(), stored.out());
        assertTrue(rows.stream().allMatch(l -> l.contains("PASSED")), stored.out());
        assertEquals(2, rows.stream().filter(l -> l.contains("pytorch")).count(), stored.out());
        assertEquals(1, rows.stream().filter(l -> l.contains("sklearn")).count(), stored.out());
    }
}

package io.trainchain.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The self-correcting loop through the command, for real (Docker, trainer, 2,000 Fashion-MNIST images):
 * `trainchain run examples/fashion-tune` lands below its gate, searches, retrains, passes (exit 0), with the summary,
 * the trials table, the reports and the owner's e-mail in the outbox; then `trainchain tune --list` shows the search.
 */
class TuneCommandIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void runBelowTheGateSearchesRetrainsAndPasses(@TempDir Path tmp) throws Exception {
        // The example's first training (1 epoch at lr 0.0001) reaches ~0.5 on 2,000 images; its trials ~0.75.
        TrainCommandIT.Result r = TrainCommandIT.run("run", ROOT.resolve("examples/fashion-tune").toString(),
                "--limit", "2000", "--threshold", "0.7", "--max-trials", "3",
                "--store", tmp.resolve("runs.db").toString(),
                "--trainer-dist", ROOT.resolve("trainer/target/dist").toString(),
                "--dockerfiles", ROOT.resolve("dockerfiles").toString());
        System.out.println(r.out() + r.err());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().matches("(?s).*\n  gate       BELOW_THRESHOLD: accuracy 0\\.\\d{4} < 0\\.70\n.*"), r.out());
        assertTrue(r.out().contains("\nbelow the gate: searching hyperparameters (tuneHyperparameters)\n"), r.out());
        assertTrue(r.out().matches("(?s).*\n\\* trial 1: \\{learning_rate=0\\.00\\d, batch_size=\\d+}\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*\n  budget \\[#+\\.*] 1/3 trials, \\d+/10 epochs, .*"), r.out());
        assertTrue(r.out().matches("(?s).*\nsearch \\S+: asha, ended: trial \\d passed the gate\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*\n  gate       PASSED: accuracy >= 0\\.70\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*\n  report     \\S+/searches/\\S+/report\\.html\n.*"), r.out());
        assertTrue(r.out().contains("  e-mail     e-mail to ml-owner@example.com queued in " + tmp.resolve("outbox")),
                r.out());
        try (Stream<Path> reports = Files.walk(tmp)) {
            assertEquals(2, reports.filter(p -> p.getFileName().toString().equals("report.html")).count(),
                    "the chain run's report and the search's");
        }

        TrainCommandIT.Result list = TrainCommandIT.run("tune", "--list", "--store", tmp.resolve("runs.db").toString());
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().matches("(?s).*PASSED +asha +\\d \\(\\d\\) +0\\.\\d{4} +trial \\d passed the gate / .*"
                + "fashion-tune\n.*"), list.out());
    }
}

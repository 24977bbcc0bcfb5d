package io.trainchain.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainCommandTest {

    @Test
    void zeroCpusIsBadInput(@TempDir Path tmp) {
        TrainCommandIT.Result r = TrainCommandIT.run("train", "--cpus", "0", "--out", tmp.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--cpus 0: use 1 or more"), r.err());
    }

    @Test
    void missingTrainerDistIsReportedNotAStackTrace(@TempDir Path tmp) {
        TrainCommandIT.Result r = TrainCommandIT.run("train", "--trainer-dist", tmp.resolve("none").toString(),
                "--out", tmp.toString());
        assertTrue(r.code() != 0);
        assertTrue(r.err().contains("trainchain-trainer.jar not found"), r.err());
    }

    @Test
    void unknownOptionIsAUsageError() {
        TrainCommandIT.Result r = TrainCommandIT.run("train", "--epochs", "3");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Unknown options: '--epochs'"), r.err());
    }
}

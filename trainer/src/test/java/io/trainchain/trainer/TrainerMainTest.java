package io.trainchain.trainer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input ends in exit code 2 and one message on stderr, never a stack trace. */
class TrainerMainTest {

    @Test
    void unknownOptimizerExitsTwoWithOneMessage(@TempDir Path dir) throws Exception {
        Path params = Files.writeString(dir.resolve("params.json"), "{\"optimizer\": \"lion\"}");
        String err = run(ExitCode.BAD_INPUT, "--out", dir.resolve("out").toString(), "--params", params.toString());
        assertTrue(err.startsWith("error: " + params + ": field 'optimizer' has unknown value \"lion\""), err);
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
    }

    @Test
    void missingDataFolderExitsTwo(@TempDir Path dir) throws Exception {
        String err = run(ExitCode.BAD_INPUT, "--out", dir.toString(), "--data", dir.resolve("nope").toString());
        assertTrue(err.contains("nope: dataset folder not found"), err);
    }

    @Test
    void outOfMemoryIsRecognisedThroughWrappers() {
        assertTrue(TrainerMain.isOutOfMemory(new RuntimeException(new OutOfMemoryError("off-heap"))));
        assertFalse(TrainerMain.isOutOfMemory(new RuntimeException("other")));
    }

    private static String run(int expected, String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(expected, TrainerMain.run(args));
        } finally {
            System.setErr(old);
        }
        return buf.toString(StandardCharsets.UTF_8).strip();
    }
}

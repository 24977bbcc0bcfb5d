package io.trainchain.engine.watch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointFilesTest {

    private static Path checkpoint(Path out, String name) throws IOException {
        Path f = Files.createDirectories(out.resolve("checkpoints")).resolve(name);
        try (OutputStream o = Files.newOutputStream(f); ZipOutputStream z = new ZipOutputStream(o)) {
            z.putNextEntry(new ZipEntry("coefficients.bin"));
            z.write(new byte[200_000]);
            z.putNextEntry(new ZipEntry(CheckpointFiles.STATE_ENTRY));
            z.write("{\"epoch\":1}".getBytes());
        }
        return f;
    }

    @Test
    void newestIsByPositionNotByName(@TempDir Path out) throws IOException {
        checkpoint(out, "checkpoint-epoch-0002.zip");
        checkpoint(out, "checkpoint-epoch-0002-batch-00009.zip");
        checkpoint(out, "checkpoint-epoch-0002-batch-00123.zip");
        checkpoint(out, "checkpoint-epoch-0001.zip");
        Files.writeString(out.resolve("checkpoints/checkpoint-epoch-0009.zip.tmp"), "half written");
        assertEquals(List.of("checkpoint-epoch-0001.zip", "checkpoint-epoch-0002.zip",
                        "checkpoint-epoch-0002-batch-00009.zip", "checkpoint-epoch-0002-batch-00123.zip"),
                CheckpointFiles.list(out).stream().map(CheckpointFiles.Checkpoint::name).toList());
        var newest = CheckpointFiles.newestValid(out, w -> { }).orElseThrow();
        assertEquals(2, newest.epochsDone());
        assertEquals(123, newest.batch());
    }

    @Test
    void aTruncatedNewestIsMovedAsideAndThePreviousUsedWithAWarningNamingIt(@TempDir Path out) throws IOException {
        checkpoint(out, "checkpoint-epoch-0001.zip");
        Path newest = checkpoint(out, "checkpoint-epoch-0002.zip");
        byte[] whole = Files.readAllBytes(newest);
        Files.write(newest, java.util.Arrays.copyOf(whole, whole.length / 2));
        List<String> warnings = new ArrayList<>();
        var used = CheckpointFiles.newestValid(out, warnings::add).orElseThrow();
        assertEquals("checkpoint-epoch-0001.zip", used.name());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).startsWith("checkpoint checkpoint-epoch-0002.zip is unusable"), warnings.get(0));
        assertTrue(warnings.get(0).contains("resuming from checkpoint-epoch-0001.zip instead"), warnings.get(0));
        assertTrue(Files.exists(out.resolve("checkpoints/checkpoint-epoch-0002.zip.corrupt")), "kept, not deleted");
        assertTrue(Files.notExists(newest), "out of the trainer's way");
    }

    @Test
    void aCorruptEntryIsCaughtByItsChecksum(@TempDir Path out) throws IOException {
        Path f = checkpoint(out, "checkpoint-epoch-0001.zip");
        byte[] b = Files.readAllBytes(f);
        b[100] ^= 0x5a; // inside the first entry's stored data
        Files.write(f, b);
        assertTrue(CheckpointFiles.problem(f) != null);
        List<String> warnings = new ArrayList<>();
        assertTrue(CheckpointFiles.newestValid(out, warnings::add).isEmpty());
        assertTrue(warnings.get(0).contains("no older checkpoint is left: the restart starts fresh"), warnings.get(0));
    }

    @Test
    void noFolderMeansNoCheckpoint(@TempDir Path out) throws IOException {
        assertTrue(CheckpointFiles.newestValid(out, w -> { }).isEmpty());
    }
}

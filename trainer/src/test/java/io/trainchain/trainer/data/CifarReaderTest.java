package io.trainchain.trainer.data;

import io.trainchain.trainer.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CifarReaderTest {

    @Test
    void loadsTheBinaryLayoutInOrder(@TempDir Path tmp) throws Exception {
        Path dir = CifarFiles.write(tmp.resolve("cifar"), 20);
        Dataset d = DatasetLoader.load(dir, 0);
        assertEquals("cifar-10", d.name());
        assertEquals(100, d.train().size());
        assertEquals(20, d.test().size());
        assertEquals(3, d.train().channels());
        assertEquals(32, d.train().width());
        assertEquals(CifarFiles.CLASSES, d.classNames());
        // image 23 = file 2 (seed 50), record 3: label 3, red plane 50 + 9 = 59, blue plane 61
        ImageSet t = d.train();
        assertEquals(3, t.label(23));
        assertEquals(59, t.pixels()[23 * 3072] & 0xFF);
        assertEquals(61, t.pixels()[23 * 3072 + 2048 + 1023] & 0xFF);
        assertEquals(7, d.identity().files().size()); // meta + 5 training + test
        assertEquals("cifar-binary", d.identity().format());
    }

    @Test
    void standardisesPerChannelWithTrainingStatistics(@TempDir Path tmp) throws Exception {
        Dataset d = DatasetLoader.load(CifarFiles.write(tmp.resolve("c"), 10), 0);
        // Scaled the way batches are, each channel of the training set has mean 0 and std 1.
        float[][] table = d.scaling().table();
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            double sq = 0;
            int n = 0;
            for (int i = 0; i < d.train().size(); i++) {
                float v = table[c][d.train().pixels()[i * 3072 + c * 1024] & 0xFF];
                sum += v;
                sq += v * v;
                n++;
            }
            assertEquals(0, sum / n, 1e-4);
            assertEquals(1, Math.sqrt(sq / n), 1e-3);
        }
    }

    @Test
    void findsTheFolderTheOfficialArchiveExtracts(@TempDir Path tmp) throws Exception {
        CifarFiles.write(tmp.resolve("cifar-10-batches-bin"), 5);
        assertEquals(25, DatasetLoader.load(tmp, 0).train().size());
    }

    @Test
    void truncatedFileIsNamed(@TempDir Path tmp) throws Exception {
        Path dir = CifarFiles.write(tmp.resolve("c"), 5);
        Path f = dir.resolve("data_batch_3.bin");
        Files.write(f, java.util.Arrays.copyOf(Files.readAllBytes(f), 3073 * 4 + 100));
        String m = assertThrows(BadInputException.class, () -> DatasetLoader.load(dir, 0)).getMessage();
        assertTrue(m.contains("data_batch_3.bin: 12392 bytes is not a whole number of CIFAR-10 records"), m);
    }

    @Test
    void labelOutOfRangeMeansNotCifar(@TempDir Path tmp) throws Exception {
        Path dir = CifarFiles.write(tmp.resolve("c"), 5);
        byte[] b = Files.readAllBytes(dir.resolve("test_batch.bin"));
        b[3073 * 2] = 42;
        Files.write(dir.resolve("test_batch.bin"), b);
        String m = assertThrows(BadInputException.class, () -> DatasetLoader.load(dir, 0)).getMessage();
        assertTrue(m.contains("test_batch.bin: record 2 has label 42"), m);
    }

    @Test
    void missingBatchesAreListed(@TempDir Path tmp) throws Exception {
        Path dir = CifarFiles.write(tmp.resolve("c"), 5);
        Files.delete(dir.resolve("data_batch_4.bin"));
        Files.delete(dir.resolve("batches.meta.txt"));
        String m = assertThrows(BadInputException.class, () -> DatasetLoader.load(dir, 0)).getMessage();
        assertTrue(m.contains("CIFAR-10 files missing: data_batch_4.bin, batches.meta.txt"), m);
    }
}

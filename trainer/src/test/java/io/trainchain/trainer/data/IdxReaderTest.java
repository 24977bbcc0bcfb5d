package io.trainchain.trainer.data;

import io.trainchain.trainer.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxReaderTest {

    @Test
    void loadsTheRealFashionMnist() throws Exception {
        Path dir = FashionMnistFiles.dir();
        Dataset d = DatasetLoader.load(dir, 0);
        assertEquals("fashion-mnist", d.name());
        assertEquals(60_000, d.train().size());
        assertEquals(10_000, d.test().size());
        assertEquals(28, d.train().height());
        assertEquals(1, d.train().channels());
        assertEquals("Ankle boot", d.classNames().get(9));
        int[] perClass = new int[10];
        for (int i = 0; i < d.train().size(); i++) {
            perClass[d.train().label(i)]++;
        }
        assertArrayEquals(new int[]{6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000}, perClass);
        // The identity is the SHA-256 of each stored file, as sha256sum would print it.
        FileDigest first = d.identity().files().get(0);
        assertEquals("train-images-idx3-ubyte.gz", first.file());
        byte[] raw = Files.readAllBytes(dir.resolve(first.file()));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw)), first.sha256());
        assertEquals(4, d.identity().files().size());
    }

    @Test
    void plainAndGzippedFilesLoadTheSame(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("data")); // a name that says nothing, as /data in a container
        for (String f : new String[]{"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte"}) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(FashionMnistFiles.dir().resolve(f + ".gz")))) {
                Files.copy(in, dir.resolve(f));
            }
        }
        Dataset plain = DatasetLoader.load(dir, 100);
        Dataset gz = DatasetLoader.load(FashionMnistFiles.dir(), 100);
        assertArrayEquals(gz.train().pixels(), plain.train().pixels());
        assertArrayEquals(gz.test().labels(), plain.test().labels());
        assertEquals(100, plain.train().size());
        assertEquals("fashion-mnist", plain.name(), "recognised by its checksum, not its folder name");
        assertEquals("Ankle boot", plain.classNames().get(9));
    }

    @Test
    void truncatedImagesFileIsNamed(@TempDir Path tmp) throws Exception {
        Path dir = copyOf(tmp);
        byte[] header = new byte[16 + 784 * 3];
        writeInt(header, 0, 0x803);
        writeInt(header, 4, 10);
        writeInt(header, 8, 28);
        writeInt(header, 12, 28);
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), header); // not gzip, plain and short
        String m = assertThrows(BadInputException.class, () -> DatasetLoader.load(dir, 0)).getMessage();
        assertTrue(m.contains("train-images-idx3-ubyte.gz: truncated: the header says 10 items of 28×28 (7840 bytes"),
                m);
    }

    @Test
    void truncatedGzipIsNamed(@TempDir Path tmp) throws Exception {
        Path dir = copyOf(tmp);
        Path f = dir.resolve("t10k-images-idx3-ubyte.gz");
        byte[] all = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(all, all.length / 2));
        String m = assertThrows(BadInputException.class, () -> DatasetLoader.load(dir, 0)).getMessage();
        assertTrue(m.contains("t10k-images-idx3-ubyte.gz: the gzip file is truncated or corrupt"), m);
    }

    @Test
    void aLimitedReadInflatesOnlyWhatItTakesAndDigestsTheWholeFile(@TempDir Path tmp) throws Exception {
        Dataset full = DatasetLoader.load(FashionMnistFiles.dir(), 0);
        Dataset limited = DatasetLoader.load(FashionMnistFiles.dir(), 500);
        assertArrayEquals(full.train().first(500).pixels(), limited.train().pixels());
        assertArrayEquals(full.train().first(500).labels(), limited.train().labels());
        assertArrayEquals(full.test().first(500).pixels(), limited.test().pixels());
        assertEquals(full.identity(), limited.identity(), "the same files, the same identity");
        // The second half of the test images cut off: a limited run never inflates it (and still digests what is
        // stored); the full run meets the cut and says so (truncatedGzipIsNamed).
        Path dir = copyOf(tmp);
        Path f = dir.resolve("t10k-images-idx3-ubyte.gz");
        byte[] all = Files.readAllBytes(f);
        byte[] half = java.util.Arrays.copyOf(all, all.length / 2);
        Files.write(f, half);
        Dataset cut = DatasetLoader.load(dir, 500);
        assertArrayEquals(limited.test().pixels(), cut.test().pixels());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(half)),
                cut.identity().files().get(2).sha256());
        // Asked for more items than the cut file holds: named as truncated, as a full read is.
        String m = assertThrows(BadInputException.class, () -> DatasetLoader.load(dir, 9000)).getMessage();
        assertTrue(m.contains("t10k-images-idx3-ubyte.gz: the gzip file is truncated or corrupt"), m);
    }

    @Test
    void wrongMagicSaysWhatWasExpected(@TempDir Path tmp) throws Exception {
        Path dir = copyOf(tmp);
        // labels where images belong
        Files.copy(dir.resolve("train-labels-idx1-ubyte.gz"), dir.resolve("train-images-idx3-ubyte.gz"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String m = assertThrows(BadInputException.class, () -> DatasetLoader.load(dir, 0)).getMessage();
        assertTrue(m.contains("magic number 0x00000801, expected 0x00000803 for IDX images"), m);
    }

    @Test
    void missingFileIsNamed(@TempDir Path tmp) throws Exception {
        Path dir = copyOf(tmp);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        String m = assertThrows(BadInputException.class, () -> DatasetLoader.load(dir, 0)).getMessage();
        assertTrue(m.contains("t10k-labels-idx1-ubyte.gz: data file not found"), m);
    }

    @Test
    void folderWithoutDataSaysWhatItExpected(@TempDir Path tmp) {
        String m = assertThrows(BadInputException.class, () -> DatasetLoader.load(tmp, 0)).getMessage();
        assertTrue(m.contains("no dataset found"), m);
        m = assertThrows(BadInputException.class, () -> DatasetLoader.load(tmp.resolve("nope"), 0)).getMessage();
        assertTrue(m.contains("dataset folder not found"), m);
    }

    private static Path copyOf(Path tmp) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("fashion-copy"));
        try (var s = Files.list(FashionMnistFiles.dir())) {
            for (Path p : s.toList()) {
                Files.copy(p, dir.resolve(p.getFileName()));
            }
        }
        return dir;
    }

    private static void writeInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}

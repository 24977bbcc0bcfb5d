package io.trainchain.trainer.data;

import io.trainchain.trainer.BadInputException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the CIFAR-10 binary format: each record is 1 label byte then 3,072 pixel bytes (1,024 red, 1,024 green,
 * 1,024 blue, rows top to bottom): already NCHW. Training data is data_batch_1..5.bin, test data test_batch.bin,
 * class names batches.meta.txt, one a line.
 */
public final class CifarReader {
    public static final int SIDE = 32;
    public static final int RECORD = 1 + 3 * SIDE * SIDE;
    public static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
            "data_batch_4.bin", "data_batch_5.bin");
    public static final String TEST_FILE = "test_batch.bin";
    public static final String META_FILE = "batches.meta.txt";

    private CifarReader() {
    }

    public static ImageSet read(Path dir, List<String> files, List<FileDigest> digests) {
        List<byte[]> parts = new ArrayList<>();
        int total = 0;
        for (String name : files) {
            Path file = dir.resolve(name);
            DataFile data = DataFile.read(file);
            digests.add(data.digest());
            byte[] c = data.content();
            if (c.length == 0 || c.length % RECORD != 0) {
                throw new BadInputException(file + ": " + c.length + " bytes is not a whole number of CIFAR-10 records ("
                        + RECORD + " bytes each: 1 label + 3×32×32 pixels). The file is truncated or not CIFAR-10 "
                        + "binary: download it again.");
            }
            parts.add(c);
            total += c.length / RECORD;
        }
        byte[] pixels = new byte[total * (RECORD - 1)];
        byte[] labels = new byte[total];
        int i = 0;
        for (int p = 0; p < parts.size(); p++) {
            byte[] c = parts.get(p);
            for (int off = 0; off < c.length; off += RECORD, i++) {
                int label = c[off] & 0xFF;
                if (label > 9) {
                    throw new BadInputException(dir.resolve(files.get(p)) + ": record " + (off / RECORD) + " has label "
                            + label + "; CIFAR-10 labels are 0..9. This is not a CIFAR-10 binary file.");
                }
                labels[i] = (byte) label;
                System.arraycopy(c, off + 1, pixels, i * (RECORD - 1), RECORD - 1);
            }
        }
        return new ImageSet(pixels, labels, 3, SIDE, SIDE);
    }

    public static List<String> classNames(Path dir, List<FileDigest> digests) {
        Path meta = dir.resolve(META_FILE);
        DataFile data = DataFile.read(meta);
        digests.add(data.digest());
        List<String> names = new String(data.content(), StandardCharsets.UTF_8).lines().map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
        if (names.size() != 10) {
            throw new BadInputException(meta + ": expected 10 class names, one a line, found " + names.size() + ".");
        }
        return names;
    }

    static boolean looksLikeCifar(Path dir) {
        return Files.isRegularFile(dir.resolve(TRAIN_FILES.get(0))) || Files.isRegularFile(dir.resolve(TEST_FILE));
    }

    static void requireAll(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String f : TRAIN_FILES) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                missing.add(f);
            }
        }
        for (String f : List.of(TEST_FILE, META_FILE)) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                missing.add(f);
            }
        }
        if (!missing.isEmpty()) {
            throw new BadInputException(dir + ": CIFAR-10 files missing: " + String.join(", ", missing)
                    + ". Extract the whole cifar-10-binary.tar.gz archive there (or use --download-cifar).");
        }
    }
}

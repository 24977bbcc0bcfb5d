package io.trainchain.trainer.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes small files in the exact CIFAR-10 binary layout (CIFAR-10 itself cannot be downloaded here). Image i of a
 * file has label i % 10 and every pixel of channel c set to (seed + i * 3 + c) & 0xFF, so tests can check order.
 */
final class CifarFiles {
    static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");

    private CifarFiles() {
    }

    static Path write(Path dir, int perFile) throws IOException {
        Files.createDirectories(dir);
        int seed = 0;
        for (String f : CifarReader.TRAIN_FILES) {
            Files.write(dir.resolve(f), records(perFile, seed));
            seed += 50;
        }
        Files.write(dir.resolve(CifarReader.TEST_FILE), records(perFile, 200));
        Files.writeString(dir.resolve(CifarReader.META_FILE), String.join("\n", CLASSES) + "\n\n",
                StandardCharsets.US_ASCII);
        return dir;
    }

    static byte[] records(int n, int seed) {
        byte[] b = new byte[n * CifarReader.RECORD];
        for (int i = 0; i < n; i++) {
            int off = i * CifarReader.RECORD;
            b[off] = (byte) (i % 10);
            for (int c = 0; c < 3; c++) {
                java.util.Arrays.fill(b, off + 1 + c * 1024, off + 1 + (c + 1) * 1024, (byte) (seed + i * 3 + c));
            }
        }
        return b;
    }
}

package io.trainchain.engine.docker;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

final class TestFiles {
    private TestFiles() {
    }

    /** A recipe folder under src/test/resources/docker (as copied to target/test-classes). */
    static Path recipe(String name) {
        try {
            return Path.of(TestFiles.class.getResource("/docker/" + name + "/Dockerfile").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A trainer dist with the real layout: trainchain-trainer.jar (with a warm-up class entry) and lib/. */
    static Path fakeDist(Path dir, String trainerMarker) throws IOException {
        Files.createDirectories(dir.resolve("lib"));
        Files.write(dir.resolve("lib/dep-a.jar"), new byte[] {1, 2, 3});
        Files.writeString(dir.resolve("lib/dep-b.jar"), "dependency b");
        try (OutputStream o = Files.newOutputStream(dir.resolve("trainchain-trainer.jar"));
             ZipOutputStream zip = new ZipOutputStream(o)) {
            zip.putNextEntry(new ZipEntry(BuildContext.WARMUP_CLASS + ".class"));
            zip.write("not really a class".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("io/trainchain/trainer/TrainerMain.class"));
            zip.write(trainerMarker.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return dir;
    }
}

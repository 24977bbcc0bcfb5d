package io.trainchain.engine.server;

import io.trainchain.engine.TrainchainException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A dataset folder's identity for "retrain on new data": the files' relative paths, sizes and contents hashed in
 * path order, as JSON. Contents, not times: a copy that touches every file but changes none is the same data.
 */
final class DatasetFingerprint {
    private DatasetFingerprint() {
    }

    static String of(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw TrainchainException.badInput("the schedule's dataset " + dir + " is not a folder");
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> files = walk.filter(Files::isRegularFile).sorted().toList();
            MessageDigest all = MessageDigest.getInstance("SHA-256");
            long bytes = 0;
            for (Path f : files) {
                all.update(dir.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
                all.update((byte) 0);
                byte[] content = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
                all.update(content);
                bytes += Files.size(f);
            }
            return "{\"files\":" + files.size() + ",\"bytes\":" + bytes + ",\"sha256\":\""
                    + HexFormat.of().formatHex(all.digest()) + "\"}";
        } catch (IOException | UncheckedIOException e) {
            throw TrainchainException.infrastructure("cannot read the dataset " + dir + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.trainchain.trainer.data;

import java.util.List;

/** What data a run used, so two runs can be compared: the dataset's name, format and every file's SHA-256. */
public record DatasetIdentity(String name, String format, String directory, List<FileDigest> files) {
    public DatasetIdentity {
        files = List.copyOf(files);
    }
}

package io.trainchain.trainer.data;

/** One data file that went into a run: its name, size and the SHA-256 of its bytes as stored (compressed or not). */
public record FileDigest(String file, long bytes, String sha256) {
}

package io.trainchain.trainer.data;

import io.trainchain.trainer.BadInputException;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A data file gunzipped when it starts with the gzip magic, with the SHA-256 of its stored bytes: read whole, or only
 * the head and as much content as the head says is wanted (a limited run needs a few thousand images of 60,000).
 */
public record DataFile(byte[] content, FileDigest digest) {

    /** How much content to read, decided from the file's first bytes. */
    public record Extent(long length, boolean whole) {
        static final Extent ALL = new Extent(Long.MAX_VALUE, true);
    }

    public static DataFile read(Path file) {
        return read(file, 0, head -> Extent.ALL);
    }

    /**
     * Reads {@code headLength} bytes of content, then up to {@code extent(head).length()} bytes of content in all
     * (fewer only at the end of the file). The stored file is always digested whole; its gzip stream is inflated
     * (and so CRC-checked) to the end only when the extent is {@code whole}: a limited run skips inflating the
     * rest, ~0.4 s of a cold JVM on Fashion-MNIST, which a restarted training container waits for.
     *
     * @param extent may throw a {@link BadInputException} for a bad head; gets fewer bytes at a short file
     */
    public static DataFile read(Path file, int headLength, Function<byte[], Extent> extent) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
        try (InputStream raw = new DigestInputStream(Files.newInputStream(file), sha);
             BufferedInputStream in = new BufferedInputStream(raw, 1 << 16)) {
            in.mark(2);
            boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
            in.reset();
            // Not closed on its own: closing the gzip stream would close `in` before its tail is digested.
            InputStream content = gzip ? new GZIPInputStream(in, 1 << 16) : in;
            byte[] head = content.readNBytes(headLength);
            Extent wanted = head.length < headLength ? Extent.ALL : extent.apply(head);
            byte[] all = wanted.length() == Long.MAX_VALUE ? readAll(head, content) : readUpTo(head, content,
                    (int) Math.min(Integer.MAX_VALUE - 16, Math.max(headLength, wanted.length())));
            if (wanted.whole()) {
                content.transferTo(OutputStreamSink.INSTANCE); // to the gzip trailer: its CRC is checked
            }
            // Digest the whole stored file: what the inflater has not taken passes through raw.
            in.transferTo(OutputStreamSink.INSTANCE);
            return new DataFile(all, new FileDigest(file.getFileName().toString(), Files.size(file),
                    HexFormat.of().formatHex(sha.digest())));
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": data file not found. Check --data points at the dataset folder.");
        } catch (ZipException | java.io.EOFException e) {
            throw new BadInputException(file + ": the gzip file is truncated or corrupt (" + e.getMessage()
                    + "). Download or reinstall the dataset.");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read the data file (" + e.getMessage() + ").", e);
        }
    }

    /** {@code head}, then the rest of {@code in}, in one array. */
    private static byte[] readAll(byte[] head, InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        out.write(head);
        in.transferTo(out);
        return out.toByteArray();
    }

    /** {@code head}, then up to {@code length - head.length} bytes of {@code in}, read straight into one array. */
    private static byte[] readUpTo(byte[] head, InputStream in, int length) throws IOException {
        byte[] all = Arrays.copyOf(head, length);
        int n = head.length + in.readNBytes(all, head.length, length - head.length);
        return n == length ? all : Arrays.copyOf(all, n);
    }

    /** Discards bytes: the tail after the gzip stream only needs to pass through the digest. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}

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
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** A data file read whole, gunzipped when it starts with the gzip magic, with the SHA-256 of its stored bytes. */
public record DataFile(byte[] content, FileDigest digest) {

    public static DataFile read(Path file) {
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
            byte[] content = readAll(gzip ? new GZIPInputStream(in, 1 << 16) : in);
            in.transferTo(OutputStreamSink.INSTANCE); // digest the whole stored file, gzip trailer included
            return new DataFile(content, new FileDigest(file.getFileName().toString(), Files.size(file),
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

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        in.transferTo(out);
        return out.toByteArray();
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

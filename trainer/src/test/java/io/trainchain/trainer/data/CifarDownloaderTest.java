package io.trainchain.trainer.data;

import com.sun.net.httpserver.HttpServer;
import io.trainchain.trainer.BadInputException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real download code against a real HTTP server on loopback, serving an archive in the official layout. */
class CifarDownloaderTest {
    private HttpServer server;
    private byte[] archive;
    private final List<String> ranges = new ArrayList<>();

    @BeforeEach
    void serve(@TempDir Path tmp) throws Exception {
        archive = officialLayoutArchive(tmp);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/cifar-10-binary.tar.gz", ex -> {
            String range = ex.getRequestHeaders().getFirst("Range");
            ranges.add(String.valueOf(range));
            int from = range == null ? 0 : Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
            byte[] body = Arrays.copyOfRange(archive, from, archive.length);
            if (range != null) {
                ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (archive.length - 1) + "/"
                        + archive.length);
            }
            ex.sendResponseHeaders(range == null ? 200 : 206, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/cifar-10-binary.tar.gz");
    }

    @Test
    void downloadsVerifiesAndExtracts(@TempDir Path dir) throws Exception {
        List<String> log = new ArrayList<>();
        Path folder = new CifarDownloader(url(), md5(archive), log::add).ensure(dir);
        assertEquals(dir.resolve("cifar-10-batches-bin"), folder);
        assertEquals(30, DatasetLoader.load(dir, 0).train().size());
        assertTrue(log.get(log.size() - 1).contains("MD5 verified"), log.toString());
        assertFalse(Files.exists(dir.resolve("cifar-10-binary.tar.gz.part")));
        // Second call: everything is there, nothing is fetched.
        new CifarDownloader(url(), md5(archive), log::add).ensure(dir);
        assertEquals(1, ranges.size());
    }

    @Test
    void resumesAnInterruptedDownloadWithARangeRequest(@TempDir Path dir) throws Exception {
        int half = archive.length / 2;
        Files.write(dir.resolve("cifar-10-binary.tar.gz.part"), Arrays.copyOf(archive, half));
        new CifarDownloader(url(), md5(archive), s -> { }).ensure(dir);
        assertEquals(List.of("bytes=" + half + "-"), ranges);
        assertEquals(md5(archive), CifarDownloader.md5(dir.resolve("cifar-10-binary.tar.gz")));
    }

    @Test
    void checksumMismatchDeletesThePartAndSaysSo(@TempDir Path dir) {
        String m = assertThrows(BadInputException.class,
                () -> new CifarDownloader(url(), "00000000000000000000000000000000", s -> { }).ensure(dir))
                .getMessage();
        assertTrue(m.contains("expected 00000000000000000000000000000000 (the published checksum)"), m);
        assertFalse(Files.exists(dir.resolve("cifar-10-binary.tar.gz.part")));
        assertFalse(Files.exists(dir.resolve("cifar-10-binary.tar.gz")));
    }

    private static byte[] officialLayoutArchive(Path tmp) throws Exception {
        Path src = CifarFiles.write(tmp.resolve("src"), 6);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            tar.putArchiveEntry(new TarArchiveEntry("cifar-10-batches-bin/"));
            tar.closeArchiveEntry();
            try (var files = Files.list(src)) {
                for (Path f : files.sorted().toList()) {
                    TarArchiveEntry e = new TarArchiveEntry(f.toFile(), "cifar-10-batches-bin/" + f.getFileName());
                    tar.putArchiveEntry(e);
                    Files.copy(f, tar);
                    tar.closeArchiveEntry();
                }
            }
        }
        return bytes.toByteArray();
    }

    private static String md5(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(b));
    }
}

package io.trainchain.trainer.data;

import io.trainchain.trainer.BadInputException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Downloads the official CIFAR-10 binary archive and extracts it: resumable (an interrupted download continues from
 * its .part file with an HTTP Range request), verified against the checksum published on the dataset's page, and
 * written atomically (the archive and the extracted folder appear under their final names only when complete).
 */
public final class CifarDownloader {
    public static final URI OFFICIAL_URL = URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz");
    /** MD5 published at https://www.cs.toronto.edu/~kriz/cifar.html for the binary version. */
    public static final String OFFICIAL_MD5 = "c32a1d4ab5d03f1284b67883e8d87530";
    static final String ARCHIVE = "cifar-10-binary.tar.gz";
    static final String FOLDER = "cifar-10-batches-bin";

    private final URI url;
    private final String md5;
    private final HttpClient http;
    private final Consumer<String> log;

    public CifarDownloader(URI url, String md5, Consumer<String> log) {
        this.url = url;
        this.md5 = md5;
        this.log = log;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public static CifarDownloader official(Consumer<String> log) {
        return new CifarDownloader(OFFICIAL_URL, OFFICIAL_MD5, log);
    }

    /** Makes {@code dir}/cifar-10-batches-bin complete, downloading and extracting only what is missing. */
    public Path ensure(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path folder = dir.resolve(FOLDER);
        if (Files.isDirectory(folder)) {
            return folder;
        }
        Path archive = dir.resolve(ARCHIVE);
        if (!Files.isRegularFile(archive)) {
            download(archive);
        }
        extract(archive, dir);
        return folder;
    }

    void download(Path archive) throws IOException, InterruptedException {
        Path part = archive.resolveSibling(archive.getFileName() + ".part");
        long have = Files.isRegularFile(part) ? Files.size(part) : 0;
        HttpRequest.Builder req = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(30)).GET();
        if (have > 0) {
            req.header("Range", "bytes=" + have + "-");
            log.accept("resuming " + url + " at byte " + have);
        } else {
            log.accept("downloading " + url);
        }
        HttpResponse<InputStream> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        boolean append = resp.statusCode() == 206;
        if (resp.statusCode() == 416 && have > 0) {
            // The .part already holds everything: nothing more to fetch.
            resp.body().close();
            append = true;
        } else if (resp.statusCode() != 200 && !append) {
            resp.body().close();
            throw new IOException(url + " answered HTTP " + resp.statusCode());
        } else {
            try (InputStream in = resp.body();
                 OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                         append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                in.transferTo(out);
            }
        }
        String got = md5(part);
        if (!got.equalsIgnoreCase(md5)) {
            Files.delete(part); // a bad .part would poison every later resume
            throw new BadInputException(url + ": downloaded archive has MD5 " + got + ", expected " + md5
                    + " (the published checksum). The download was corrupted; run again to download afresh.");
        }
        Files.move(part, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        log.accept("downloaded " + archive + " (" + Files.size(archive) + " bytes, MD5 verified)");
    }

    void extract(Path archive, Path dir) throws IOException {
        Path tmp = Files.createTempDirectory(dir, ".extract-");
        try {
            try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive), 1 << 16));
                 TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
                TarArchiveEntry e;
                while ((e = tar.getNextTarEntry()) != null) {
                    Path target = tmp.resolve(e.getName()).normalize();
                    if (!target.startsWith(tmp)) {
                        throw new IOException(archive + ": entry " + e.getName() + " points outside the archive");
                    }
                    if (e.isDirectory()) {
                        Files.createDirectories(target);
                    } else if (e.isFile()) {
                        Files.createDirectories(target.getParent());
                        Files.copy(tar, target);
                    }
                }
            }
            Path extracted = tmp.resolve(FOLDER);
            if (!Files.isDirectory(extracted)) {
                throw new IOException(archive + ": no " + FOLDER + "/ folder inside the archive");
            }
            Files.move(extracted, dir.resolve(FOLDER), StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteTree(tmp);
        }
    }

    static String md5(Path file) throws IOException {
        try {
            MessageDigest d = MessageDigest.getInstance("MD5");
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    d.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no MD5", e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

package io.trainchain.engine.chain;

import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Test material for the install layer: a real pure-Python wheel (PEP 427: the module, METADATA, WHEEL and a RECORD
 * with each file's hash, which pip checks) and a real package index serving wheels over HTTP (PEP 503's simple API).
 */
final class Wheels {
    private Wheels() {
    }

    /** {@code name-version-py3-none-any.whl} holding {@code name/__init__.py}. */
    static byte[] pure(String name, String version, String init) throws IOException {
        String info = name + "-" + version + ".dist-info/";
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(name + "/__init__.py", init.getBytes(StandardCharsets.UTF_8));
        files.put(info + "METADATA", ("Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n")
                .getBytes(StandardCharsets.UTF_8));
        files.put(info + "WHEEL", "Wheel-Version: 1.0\nGenerator: trainchain-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
                .getBytes(StandardCharsets.UTF_8));
        StringBuilder record = new StringBuilder();
        files.forEach((path, bytes) -> record.append(path).append(",sha256=").append(Base64.getUrlEncoder()
                .withoutPadding().encodeToString(sha256(bytes))).append(',').append(bytes.length).append('\n'));
        record.append(info).append("RECORD,,\n");
        files.put(info + "RECORD", record.toString().getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /**
     * An index on every interface (the build reaches it over Docker's bridge): {@code /simple/<project>/} lists the
     * project's wheel, {@code /files/<wheel>} serves it, anything else is 404. Each path asked for goes to
     * {@code requested}.
     *
     * @param wheels wheel bytes by project name; the version is read from the wheel's METADATA name
     */
    static HttpServer index(Map<String, byte[]> wheels, List<String> requested) throws IOException {
        Map<String, String> fileNames = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : wheels.entrySet()) {
            fileNames.put(e.getKey(), e.getKey() + "-" + version(e.getValue()) + "-py3-none-any.whl");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("0.0.0.0", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requested.add(path);
            byte[] body = null;
            String type = "text/html";
            for (Map.Entry<String, String> e : fileNames.entrySet()) {
                if (path.equals("/simple/" + e.getKey() + "/")) {
                    byte[] wheel = wheels.get(e.getKey());
                    body = ("<!DOCTYPE html><html><body><a href=\"/files/" + e.getValue() + "#sha256="
                            + HexFormat.of().formatHex(sha256(wheel)) + "\">" + e.getValue() + "</a></body></html>")
                            .getBytes(StandardCharsets.UTF_8);
                } else if (path.equals("/files/" + e.getValue())) {
                    body = wheels.get(e.getKey());
                    type = "application/octet-stream";
                }
            }
            exchange.getResponseHeaders().set("Content-Type", type);
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream o = exchange.getResponseBody()) {
                    o.write(body);
                }
            }
            exchange.close();
        });
        server.start();
        return server;
    }

    private static String version(byte[] wheel) throws IOException {
        try (var zip = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(wheel))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().endsWith(".dist-info/METADATA")) {
                    String text = new String(zip.readAllBytes(), StandardCharsets.UTF_8);
                    return text.lines().filter(l -> l.startsWith("Version: ")).findFirst().orElseThrow()
                            .substring("Version: ".length());
                }
            }
        }
        throw new IOException("no METADATA in the wheel");
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

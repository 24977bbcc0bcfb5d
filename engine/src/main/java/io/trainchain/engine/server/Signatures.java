package io.trainchain.engine.server;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Proves a delivery came from someone who knows the secret, before anything of it is parsed. Every comparison is
 * constant-time ({@link MessageDigest#isEqual}) so the answer's timing tells nothing about how much matched.
 */
public final class Signatures {
    private final byte[] secret;

    /** @param secret the shared webhook secret (UTF-8 bytes); kept only here, never printed */
    public Signatures(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("an empty webhook secret proves nothing");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether {@code header} (may be null) proves {@code body} for {@code forge}. */
    public boolean valid(Forge forge, String header, byte[] body) {
        if (header == null || header.isEmpty()) {
            return false;
        }
        return switch (forge) {
            case GITHUB -> header.startsWith("sha256=") && sameHex(header.substring(7), hmac(body));
            case GITEA -> sameHex(header, hmac(body));
            case GITLAB -> MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), secret);
        };
    }

    /** "sha256=" + hex HMAC-SHA256 of the body: what GitHub sends (used by tests and the bench to sign). */
    public String githubSignature(byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(hmac(body));
    }

    private static boolean sameHex(String hex, byte[] expected) {
        byte[] given;
        try {
            given = HexFormat.of().parseHex(hex.toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        return MessageDigest.isEqual(given, expected);
    }

    private byte[] hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no HmacSHA256", e);
        }
    }
}

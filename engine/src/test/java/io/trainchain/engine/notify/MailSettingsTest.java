package io.trainchain.engine.notify;

import io.trainchain.engine.TrainchainException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TRAINCHAIN_SMTP_* variables: defaults, overrides, and bad values as bad input naming the setting. */
class MailSettingsTest {
    @TempDir
    Path tmp;

    private MailSettings env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return MailSettings.fromEnvironment(env, tmp.resolve("default-outbox"));
    }

    private String badInput(Runnable r) {
        TrainchainException e = assertThrows(TrainchainException.class, r::run);
        assertEquals(TrainchainException.Kind.BAD_INPUT, e.kind(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void nothingSetMeansNoServerAndTheDefaultOutbox() {
        MailSettings s = env();
        assertFalse(s.configured());
        assertNull(s.host());
        assertEquals(tmp.resolve("default-outbox"), s.outbox());
        assertEquals(Duration.ofSeconds(20), s.timeout());
        assertTrue(s.from().startsWith("trainchain@"), s.from());
        assertTrue(s.password().isNone());
    }

    @Test
    void aHostAloneMeansStarttlsOn587AndEachModeHasItsPort() {
        MailSettings s = env(MailSettings.HOST, "smtp.example.org");
        assertEquals(MailSettings.Security.STARTTLS, s.security());
        assertEquals(587, s.effectivePort());
        assertEquals(465, env(MailSettings.HOST, "h", MailSettings.SECURITY, "TLS").effectivePort());
        assertEquals(25, env(MailSettings.HOST, "h", MailSettings.SECURITY, "none").effectivePort());
        assertEquals(465, s.withSecurity(MailSettings.Security.TLS).effectivePort(), "an unset port follows the mode");
        assertEquals(2525, env(MailSettings.HOST, "h", MailSettings.PORT, "2525").withSecurity(
                MailSettings.Security.TLS).effectivePort(), "a set port stays");
    }

    @Test
    void everyVariableIsRead() throws Exception {
        Path pw = Files.writeString(tmp.resolve("pw"), "x");
        MailSettings s = env(MailSettings.HOST, "mail.example.org", MailSettings.PORT, "2587",
                MailSettings.SECURITY, "starttls", MailSettings.USER, "ci", MailSettings.PASSWORD_FILE, pw.toString(),
                MailSettings.FROM, "Trainchain <ci@example.org>", MailSettings.TIMEOUT, "7",
                MailSettings.OUTBOX, tmp.resolve("box").toString(), MailSettings.SSL_TRUST, "mail.example.org");
        assertEquals(new MailSettings("mail.example.org", 2587, MailSettings.Security.STARTTLS, "ci", s.password(),
                "Trainchain <ci@example.org>", Duration.ofSeconds(7), tmp.resolve("box"), "mail.example.org"), s);
        assertEquals(pw, s.password().passwordFile());
        assertEquals("mail.example.org:2587 (starttls)", s.server());
        MailSettings o = s.withHost("other").withPort(26).withUser("u2").withFrom("x@example.org")
                .withOutbox(tmp.resolve("o"));
        assertEquals(List.of("other", 26, "u2", "x@example.org", tmp.resolve("o")),
                List.of(o.host(), o.port(), o.user(), o.from(), o.outbox()));
    }

    @Test
    void thePasswordIsNeverInToString() throws Exception {
        String secret = "hunter2-very-secret";
        MailSettings s = env(MailSettings.HOST, "h", MailSettings.USER, "u", MailSettings.PASSWORD, secret);
        assertFalse(s.toString().contains(secret), s.toString());
        assertFalse(s.password().toString().contains(secret));
        assertEquals(secret, s.password().read(), "read only when connecting");
        Path file = Files.writeString(tmp.resolve("pw"), secret + "\r\n");
        assertEquals(secret, PasswordSource.file(file).read(), "one trailing line break dropped");
    }

    @Test
    void badValuesNameTheSettingAndWhatToDo() {
        String m = badInput(() -> env(MailSettings.HOST, "h", MailSettings.PORT, "smtp"));
        assertTrue(m.contains("TRAINCHAIN_SMTP_PORT is 'smtp'") && m.contains("port number"), m);
        m = badInput(() -> env(MailSettings.HOST, "h", MailSettings.PORT, "70000"));
        assertTrue(m.contains("70000") && m.contains("1 to 65535"), m);
        m = badInput(() -> env(MailSettings.SECURITY, "ssl"));
        assertTrue(m.contains("TRAINCHAIN_SMTP_SECURITY is 'ssl'") && m.contains("starttls") && m.contains("tls")
                && m.contains("none"), m);
        m = badInput(() -> env(MailSettings.TIMEOUT, "0"));
        assertTrue(m.contains(MailSettings.TIMEOUT) && m.contains("positive"), m);
        Path missing = tmp.resolve("no-such-file");
        m = badInput(() -> env(MailSettings.USER, "u", MailSettings.PASSWORD_FILE, missing.toString()));
        assertTrue(m.contains(missing.toString()) && m.contains("TRAINCHAIN_SMTP_PASSWORD_FILE")
                && m.contains("does not exist"), m);
        m = badInput(() -> env(MailSettings.HOST, "h", MailSettings.USER, "u"));
        assertTrue(m.contains("no password") && m.contains("TRAINCHAIN_SMTP_PASSWORD")
                && m.contains("never on the command line"), m);
        m = badInput(() -> env(MailSettings.PASSWORD, "a", MailSettings.PASSWORD_FILE, "b"));
        assertTrue(m.contains("both"), m);
        m = badInput(() -> env(MailSettings.FROM, "not an address"));
        assertTrue(m.contains("TRAINCHAIN_SMTP_FROM") && m.contains("'not an address'"), m);
        m = badInput(() -> env(MailSettings.SSL_TRUST, "*"));
        assertTrue(m.contains("any server's certificate"), m);
        m = badInput(() -> new Mail(List.of(), "s", "t", null));
        assertTrue(m.contains("at least one recipient"), m);
        m = badInput(() -> new Mail("owner at example", "s", "t", null));
        assertTrue(m.contains("recipient 'owner at example'"), m);
    }
}

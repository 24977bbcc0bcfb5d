package io.trainchain.engine.notify;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sending through a real SMTP server (GreenMail on loopback, free ports): plain, authenticated, SMTPS, STARTTLS. */
class MailerTest {
    static final String PASSWORD = "s3cret-Pa55-word";
    static final String TEXT = "Best accuracy 0.8731 ≥ 0.80 after 6 trials — café\nparams: lr=0.01\n";
    static final String HTML = "<html><body><h1>Best accuracy 0.8731</h1><table><tr><td>lr</td><td>0.01</td></tr>"
            + "</table></body></html>";

    static {
        // GreenMail's own certificate names no host, so a client that checks the server's identity (ours does) cannot
        // accept it. This one is self-signed for localhost and 127.0.0.1 (keytool -genkeypair -validity 36500
        // -ext SAN=dns:localhost,ip:127.0.0.1); GreenMail reads it once per JVM, when its first SMTPS server starts.
        try {
            System.setProperty("greenmail.tls.keystore.file",
                    Path.of(MailerTest.class.getResource("/notify/smtps-localhost.p12").toURI()).toString());
            System.setProperty("greenmail.tls.keystore.password", "changeit");
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @RegisterExtension
    static GreenMailExtension server = new GreenMailExtension(
            new ServerSetup[]{ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.SMTPS.dynamicPort()})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("owner@example.org", "bob", PASSWORD));

    @TempDir
    Path tmp;

    static final Mail MAIL = new Mail(List.of("owner@example.org"), "fashion-cnn: best accuracy 0.8731", TEXT, HTML);

    private MailSettings smtp() {
        return MailSettings.none(tmp.resolve("outbox")).withHost(server.getSmtp().getBindTo())
                .withSecurity(MailSettings.Security.NONE).withPort(server.getSmtp().getPort())
                .withFrom("trainchain@ci.example.org").withTimeout(Duration.ofSeconds(5));
    }

    private MailSettings withPassword(MailSettings s, String password) {
        return s.withPassword(PasswordSource.environment(MailSettings.PASSWORD, Map.of(MailSettings.PASSWORD, password)))
                .withUser("bob");
    }

    private List<Path> outboxFiles(MailSettings s) throws Exception {
        if (!Files.exists(s.outbox())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(s.outbox())) {
            return files.toList();
        }
    }

    static void assertArrivedIntact(MimeMessage m) throws Exception {
        assertEquals(List.of(new InternetAddress("owner@example.org")), List.of(m.getRecipients(Message.RecipientType.TO)));
        assertEquals("fashion-cnn: best accuracy 0.8731", m.getSubject());
        assertTrue(m.getContentType().startsWith("multipart/alternative"), m.getContentType());
        MimeMultipart parts = (MimeMultipart) m.getContent();
        assertEquals(2, parts.getCount());
        BodyPart text = parts.getBodyPart(0);
        BodyPart html = parts.getBodyPart(1);
        assertTrue(text.isMimeType("text/plain"), text.getContentType());
        assertEquals(TEXT, text.getContent().toString().replace("\r\n", "\n"));
        assertTrue(html.isMimeType("text/html"), html.getContentType());
        assertEquals(HTML, html.getContent().toString().strip());
    }

    @Test
    void plainSmtpDeliversTheTextAndTheHtmlPart() throws Exception {
        MailSettings s = smtp();
        Delivery d = new Mailer(s).deliver(MAIL);
        assertEquals(new Delivery(Delivery.Status.SENT, null, null), d);
        assertTrue(d.sent());
        MimeMessage[] received = server.getReceivedMessages();
        assertEquals(1, received.length);
        assertArrivedIntact(received[0]);
        assertEquals("trainchain@ci.example.org", received[0].getFrom()[0].toString());
        assertEquals("auto-generated", received[0].getHeader("Auto-Submitted", null));
        assertEquals(List.of(), outboxFiles(s), "nothing is queued when the server accepts the message");
    }

    @Test
    void aTextOnlyMailIsOnePlainPart() throws Exception {
        new Mailer(smtp()).deliver(new Mail("owner@example.org", "no html", "just text", null));
        MimeMessage m = server.getReceivedMessages()[0];
        assertTrue(m.isMimeType("text/plain"), m.getContentType());
        assertEquals("just text", m.getContent().toString());
    }

    @Test
    void theRightPasswordLogsIn() throws Exception {
        Delivery d = new Mailer(withPassword(smtp(), PASSWORD)).deliver(MAIL);
        assertEquals(Delivery.Status.SENT, d.status(), d.reason());
        assertEquals(1, server.getReceivedMessages().length);
    }

    @Test
    void aWrongPasswordQueuesTheMessageAndTheReasonNeverShowsThePassword() throws Exception {
        String wrong = "Wr0ng-" + PASSWORD;
        MailSettings s = withPassword(smtp(), wrong);
        Delivery d = new Mailer(s).deliver(MAIL);
        assertEquals(Delivery.Status.QUEUED, d.status());
        assertTrue(d.reason().contains("refused the login of 'bob'"), d.reason());
        assertFalse(d.reason().contains(wrong), d.reason());
        assertFalse(d.toString().contains(wrong));
        assertFalse(s.toString().contains(wrong), s.toString());
        assertTrue(s.toString().contains("environment variable " + MailSettings.PASSWORD), s.toString());
        assertEquals(0, server.getReceivedMessages().length);
        List<Path> files = outboxFiles(s);
        assertEquals(2, files.size(), files.toString());
        for (Path f : files) {
            String content = Files.readString(f);
            assertFalse(content.contains(wrong), f + " contains the password");
            assertFalse(content.contains(PASSWORD), f + " contains the password");
        }
    }

    @Test
    void aPasswordFileIsReadWhenConnecting() throws Exception {
        Path file = Files.writeString(tmp.resolve("smtp-password"), PASSWORD + "\n");
        MailSettings s = MailSettings.fromEnvironment(Map.of(MailSettings.PASSWORD_FILE, file.toString()), tmp)
                .withHost(smtp().host()).withPort(smtp().port()).withSecurity(MailSettings.Security.NONE)
                .withUser("bob");
        assertEquals(Delivery.Status.SENT, new Mailer(s).deliver(MAIL).status());
        assertFalse(s.toString().contains(PASSWORD));
    }

    @Test
    void implicitTlsWithTheTestServersSelfSignedCertificateTrustedForItsHost() throws Exception {
        MailSettings s = smtp().withSecurity(MailSettings.Security.TLS).withPort(server.getSmtps().getPort())
                .withSslTrust(server.getSmtps().getBindTo());
        Delivery d = new Mailer(withPassword(s, PASSWORD)).deliver(MAIL);
        assertEquals(Delivery.Status.SENT, d.status(), d.reason());
        assertArrivedIntact(server.getReceivedMessages()[0]);
    }

    @Test
    void implicitTlsRefusesAnUntrustedCertificateByDefault() throws Exception {
        MailSettings s = smtp().withSecurity(MailSettings.Security.TLS).withPort(server.getSmtps().getPort());
        Delivery d = new Mailer(s).deliver(MAIL);
        assertEquals(Delivery.Status.QUEUED, d.status());
        assertTrue(d.reason().contains("PKIX") || d.reason().toLowerCase().contains("certific"), d.reason());
        assertEquals(0, server.getReceivedMessages().length);
    }

    /**
     * GreenMail 2.1.3's SMTP server does not offer STARTTLS (its EHLO lists only AUTH), so a successful STARTTLS
     * session cannot be tested here; what is tested is that STARTTLS is required: no fallback to a clear session.
     */
    @Test
    void starttlsIsRequiredNeverSilentlySkipped() throws Exception {
        MailSettings s = smtp().withSecurity(MailSettings.Security.STARTTLS);
        Delivery d = new Mailer(withPassword(s, PASSWORD)).deliver(MAIL);
        assertEquals(Delivery.Status.QUEUED, d.status());
        assertTrue(d.reason().contains("STARTTLS"), d.reason());
        assertEquals(0, server.getReceivedMessages().length);
    }

    @Test
    void noHostConfiguredQueuesWithTheReason() throws Exception {
        MailSettings s = MailSettings.fromEnvironment(Map.of(), tmp.resolve("outbox"));
        assertFalse(s.configured());
        Delivery d = new Mailer(s).deliver(MAIL);
        assertEquals(Delivery.Status.QUEUED, d.status());
        assertTrue(d.reason().startsWith("no SMTP server configured (set TRAINCHAIN_SMTP_HOST"), d.reason());
        assertTrue(Files.isRegularFile(d.outboxFile()));
        assertEquals(tmp.resolve("outbox"), d.outboxFile().getParent());
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            MailSettings s = smtp().withHost(silent.getInetAddress().getHostAddress())
                    .withPort(silent.getLocalPort()).withTimeout(Duration.ofSeconds(1));
            long start = System.nanoTime();
            Delivery d = new Mailer(s).deliver(MAIL);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(Delivery.Status.QUEUED, d.status());
            assertTrue(d.reason().toLowerCase().contains("timed out"), d.reason());
            assertTrue(seconds < 10, "took " + seconds + " s");
        }
    }

    @Test
    void anUnwritableOutboxIsReportedNotThrown() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-folder"), "x");
        Delivery d = new Mailer(MailSettings.none(file)).deliver(MAIL);
        assertEquals(Delivery.Status.FAILED, d.status());
        assertNull(d.outboxFile());
        assertTrue(d.reason().contains("no SMTP server configured") && d.reason().contains("could not be written"),
                d.reason());
    }
}

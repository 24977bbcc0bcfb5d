package io.trainchain.engine.notify;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A server that is down: the message waits in the outbox as a standard .eml and goes out once the server is back. */
class OutboxTest {
    @TempDir
    Path tmp;

    private GreenMail server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private MailSettings settings(int port) {
        return MailSettings.none(tmp.resolve("outbox")).withHost("127.0.0.1").withPort(port)
                .withSecurity(MailSettings.Security.NONE).withTimeout(Duration.ofSeconds(5));
    }

    private List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aStoppedServerQueuesTheMessageAndSendAllDeliversItOnceTheServerIsBack() throws Exception {
        server = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        server.start();
        int port = server.getSmtp().getPort();
        server.stop();

        Instant before = Instant.now().minusSeconds(1);
        Mailer mailer = new Mailer(settings(port));
        Delivery d = mailer.deliver(MailerTest.MAIL);
        assertEquals(Delivery.Status.QUEUED, d.status());
        assertTrue(d.reason().startsWith("cannot send through 127.0.0.1:" + port + " (none): "), d.reason());
        assertTrue(d.reason().contains("Connection refused"), d.reason());

        String base = d.outboxFile().getFileName().toString().replace(".eml", "");
        assertEquals(List.of(base + ".eml", base + ".properties"), names(mailer.outbox().dir()),
                "the .eml and its sidecar, no temporary file left");
        try (InputStream in = Files.newInputStream(d.outboxFile())) {
            MimeMessage parsed = new MimeMessage(Session.getInstance(new Properties()), in);
            assertEquals("owner@example.org", parsed.getRecipients(Message.RecipientType.TO)[0].toString());
            assertEquals(MailerTest.MAIL.subject(), parsed.getSubject());
            MailerTest.assertArrivedIntact(parsed);
        }

        List<Outbox.Entry> queued = mailer.outbox().list();
        assertEquals(1, queued.size());
        Outbox.Entry e = queued.get(0);
        assertEquals(d.outboxFile(), e.file());
        assertEquals(List.of("owner@example.org"), e.to());
        assertEquals(MailerTest.MAIL.subject(), e.subject());
        assertEquals(d.reason(), e.reason());
        assertEquals(1, e.attempts());
        assertTrue(!e.queuedAt().isBefore(before) && !e.queuedAt().isAfter(Instant.now()), e.queuedAt().toString());

        // still down: kept, with the try counted
        List<Outbox.Result> again = mailer.outbox().sendAll(mailer);
        assertEquals(1, again.size());
        assertEquals(Delivery.Status.QUEUED, again.get(0).delivery().status());
        assertEquals(2, mailer.outbox().list().get(0).attempts());
        assertEquals(e.queuedAt(), mailer.outbox().list().get(0).queuedAt());

        server = new GreenMail(ServerSetupTest.SMTP.port(port));
        server.start();
        List<Outbox.Result> results = mailer.outbox().sendAll(mailer);
        assertEquals(1, results.size());
        assertEquals(Delivery.Status.SENT, results.get(0).delivery().status(), results.get(0).delivery().reason());
        assertEquals(List.of(), mailer.outbox().list());
        assertEquals(List.of(), names(mailer.outbox().dir()), "the .eml and its sidecar are removed");

        MimeMessage[] received = server.getReceivedMessages();
        assertEquals(1, received.length);
        MailerTest.assertArrivedIntact(received[0]);
    }

    @Test
    void aRetryKeepsTheMessageIdSoReceiversCanTellItIsTheSameMessage() throws Exception {
        Mailer offline = new Mailer(MailSettings.none(tmp.resolve("outbox")));
        Path eml = offline.deliver(MailerTest.MAIL).outboxFile();
        String id;
        try (InputStream in = Files.newInputStream(eml)) {
            id = new MimeMessage(Session.getInstance(new Properties()), in).getMessageID();
        }
        server = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        server.start();
        Mailer online = new Mailer(settings(server.getSmtp().getPort()));
        assertEquals(Delivery.Status.SENT, online.outbox().sendAll(online).get(0).delivery().status());
        assertEquals(id, server.getReceivedMessages()[0].getMessageID());
    }

    @Test
    void listIsEmptyWithoutAFolderAndIgnoresTemporaryAndStrayFiles() throws Exception {
        Outbox outbox = new Outbox(tmp.resolve("missing"));
        assertEquals(List.of(), outbox.list());
        Path dir = Files.createDirectories(tmp.resolve("outbox"));
        Files.writeString(dir.resolve(".20240101T000000000Z-abcdef.eml.tmp"), "half a message");
        Files.writeString(dir.resolve("notes.txt"), "not mail");
        Files.writeString(dir.resolve("20240101T000000000Z-abcdef.properties"), "reason=orphan\n");
        assertEquals(List.of(), new Outbox(dir).list());
    }

    @Test
    void anEmlDroppedInWithoutSidecarIsListedAndSent() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("outbox"));
        Files.writeString(dir.resolve("by-hand.eml"), "From: a@example.org\r\nTo: b@example.org\r\n"
                + "Subject: by hand\r\n\r\nhello\r\n");
        Outbox.Entry e = new Outbox(dir).list().get(0);
        assertEquals(List.of("b@example.org"), e.to());
        assertEquals("by hand", e.subject());
        assertEquals(1, e.attempts());
        server = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        server.start();
        Mailer mailer = new Mailer(settings(server.getSmtp().getPort()).withOutbox(dir));
        assertEquals(Delivery.Status.SENT, mailer.outbox().sendAll(mailer).get(0).delivery().status());
        assertEquals("by hand", server.getReceivedMessages()[0].getSubject());
        assertEquals(List.of(), names(dir));
    }
}

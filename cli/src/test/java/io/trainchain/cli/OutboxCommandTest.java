package io.trainchain.cli;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.trainchain.engine.notify.Delivery;
import io.trainchain.engine.notify.Mail;
import io.trainchain.engine.notify.MailSettings;
import io.trainchain.engine.notify.Mailer;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `trainchain outbox list|send` in-process against GreenMail on a free loopback port. */
class OutboxCommandTest {
    private static final Mail MAIL = new Mail(List.of("owner@example.org"), "fashion-cnn: best accuracy 0.8731",
            "best accuracy 0.8731", "<p>best accuracy <b>0.8731</b></p>");

    @TempDir
    Path tmp;

    private GreenMail server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private Path queueOne(Path outbox) {
        Delivery d = new Mailer(MailSettings.none(outbox)).deliver(MAIL);
        assertEquals(Delivery.Status.QUEUED, d.status());
        return d.outboxFile();
    }

    private static long files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void listShowsTheQueuedMessageAndSendDeliversIt() throws Exception {
        Path outbox = tmp.resolve("outbox");
        Path eml = queueOne(outbox);

        TrainCommandIT.Result list = TrainCommandIT.run("outbox", "list", "--outbox", outbox.toString());
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().startsWith("1 queued e-mail in " + outbox + ":"), list.out());
        assertTrue(list.out().lines().anyMatch(l -> l.contains("owner@example.org")
                && l.endsWith("fashion-cnn: best accuracy 0.8731") && l.matches("^\\d{4}-\\d\\d-\\d\\d .*")), list.out());
        assertTrue(list.out().contains(eml.getFileName() + ": no SMTP server configured (set TRAINCHAIN_SMTP_HOST"),
                list.out());

        server = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        server.start();
        TrainCommandIT.Result send = TrainCommandIT.run("outbox", "send", "--outbox", outbox.toString(),
                "--smtp-host", "127.0.0.1", "--smtp-port", Integer.toString(server.getSmtp().getPort()),
                "--smtp-security", "none");
        assertEquals(0, send.code(), send.out() + send.err());
        assertTrue(send.out().contains("sent   owner@example.org 'fashion-cnn: best accuracy 0.8731'"), send.out());
        assertTrue(send.out().contains("1 sent, 0 still queued"), send.out());
        assertEquals(0, files(outbox));

        MimeMessage[] received = server.getReceivedMessages();
        assertEquals(1, received.length);
        assertEquals("fashion-cnn: best accuracy 0.8731", received[0].getSubject());
        MimeMultipart parts = (MimeMultipart) received[0].getContent();
        assertEquals("best accuracy 0.8731", parts.getBodyPart(0).getContent().toString());
        assertTrue(parts.getBodyPart(1).getContent().toString().contains("<b>0.8731</b>"));

        TrainCommandIT.Result empty = TrainCommandIT.run("outbox", "list", "--outbox", outbox.toString());
        assertEquals("no queued e-mail in " + outbox, empty.out().strip());
        TrainCommandIT.Result nothing = TrainCommandIT.run("outbox", "send", "--outbox", outbox.toString());
        assertEquals(0, nothing.code(), nothing.err());
    }

    @Test
    void withTheServerDownSendExitsThreeAndKeepsTheMessage() throws Exception {
        Path outbox = tmp.resolve("outbox");
        Path eml = queueOne(outbox);
        server = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        server.start();
        int port = server.getSmtp().getPort();
        server.stop();

        TrainCommandIT.Result send = TrainCommandIT.run("outbox", "send", "--outbox", outbox.toString(),
                "--smtp-host", "127.0.0.1", "--smtp-port", Integer.toString(port), "--smtp-security", "none");
        assertEquals(3, send.code(), send.out() + send.err());
        assertTrue(send.out().contains("queued owner@example.org 'fashion-cnn: best accuracy 0.8731': cannot send "
                + "through 127.0.0.1:" + port), send.out());
        assertTrue(send.out().contains("0 sent, 1 still queued"), send.out());
        assertTrue(Files.exists(eml));

        TrainCommandIT.Result list = TrainCommandIT.run("outbox", "list", "--outbox", outbox.toString());
        assertTrue(list.out().contains(eml.getFileName() + ": cannot send through 127.0.0.1:" + port), list.out());
        assertTrue(list.out().lines().anyMatch(l -> l.contains(" 2     owner@example.org")), list.out());

        TrainCommandIT.Result unconfigured = TrainCommandIT.run("outbox", "send", "--outbox", outbox.toString());
        assertEquals(3, unconfigured.code(), unconfigured.out() + unconfigured.err());
        assertTrue(unconfigured.out().contains("no SMTP server configured"), unconfigured.out());
    }

    @Test
    void theDefaultOutboxIsNextToTheRunDatabase() {
        queueOne(tmp.resolve("outbox"));
        TrainCommandIT.Result list = TrainCommandIT.run("outbox", "list", "--store", tmp.resolve("runs.db").toString());
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().startsWith("1 queued e-mail in " + tmp.resolve("outbox")), list.out());
    }

    @Test
    void badSettingsExitTwoAndThereIsNoPasswordOption() {
        String dir = tmp.resolve("outbox").toString();
        TrainCommandIT.Result port = TrainCommandIT.run("outbox", "send", "--outbox", dir, "--smtp-host", "h",
                "--smtp-port", "70000");
        assertEquals(2, port.code(), port.out() + port.err());
        assertTrue(port.err().contains("--smtp-port") && port.err().contains("1 to 65535"), port.err());

        TrainCommandIT.Result mode = TrainCommandIT.run("outbox", "send", "--outbox", dir, "--smtp-security", "ssl");
        assertEquals(2, mode.code());
        assertTrue(mode.err().contains("--smtp-security") && mode.err().contains("STARTTLS"), mode.err());

        TrainCommandIT.Result from = TrainCommandIT.run("outbox", "send", "--outbox", dir, "--smtp-from", "nobody");
        assertEquals(2, from.code());
        assertTrue(from.err().contains("--smtp-from") && from.err().contains("'nobody'"), from.err());

        for (String[] args : List.of(new String[]{"--smtp-password", "s3cret"}, new String[]{"--password=s3cret"})) {
            TrainCommandIT.Result password = TrainCommandIT.run(Stream.concat(
                    Stream.of("outbox", "send", "--outbox", dir), Stream.of(args)).toArray(String[]::new));
            assertEquals(2, password.code());
            assertTrue(password.err().contains("there is no password option")
                    && password.err().contains("TRAINCHAIN_SMTP_PASSWORD_FILE"), password.err());
            assertTrue(!(password.out() + password.err()).contains("s3cret"), "the value is not echoed");
        }
    }
}

package io.trainchain.engine.notify;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/**
 * Sends mail through the configured SMTP server, or queues it in the outbox when that fails. {@link #deliver} never
 * throws: a notification must not change the result of the chain that sends it.
 */
public final class Mailer {
    private static final Logger LOG = LoggerFactory.getLogger(Mailer.class);

    /** The reason a message is queued when no server is configured. */
    public static final String NO_SERVER = "no SMTP server configured (set " + MailSettings.HOST
            + ", or --smtp-host for trainchain outbox send)";

    private final MailSettings settings;
    private final Outbox outbox;
    private final Session session;

    public Mailer(MailSettings settings) {
        this.settings = settings;
        this.outbox = new Outbox(settings.outbox());
        this.session = Session.getInstance(properties(settings));
    }

    public MailSettings settings() {
        return settings;
    }

    public Outbox outbox() {
        return outbox;
    }

    /**
     * Sends {@code mail} now, else queues it in the outbox; the result says which, and why. Logged at debug only:
     * every caller (CLI, server, Jenkins step) reports the {@link Delivery} itself, and a second line said it twice.
     */
    public Delivery deliver(Mail mail) {
        MimeMessage message;
        try {
            message = compose(mail);
        } catch (MessagingException | RuntimeException e) {
            LOG.debug("could not compose the mail '{}' to {}: {}", mail.subject(), mail.to(), e.toString());
            return new Delivery(Delivery.Status.FAILED, null, "could not compose the message: " + e.getMessage());
        }
        String failure = attempt(message);
        if (failure == null) {
            LOG.debug("sent '{}' to {} through {}", mail.subject(), mail.to(), settings.server());
            return new Delivery(Delivery.Status.SENT, null, null);
        }
        try {
            Path file = outbox.add(message, failure);
            LOG.debug("queued '{}' to {} in {}: {}", mail.subject(), mail.to(), file, failure);
            return new Delivery(Delivery.Status.QUEUED, file, failure);
        } catch (IOException | MessagingException | RuntimeException e) {
            String lost = failure + "; and the outbox " + outbox.dir() + " could not be written: " + e.getMessage();
            LOG.debug("lost '{}' to {}: {}", mail.subject(), mail.to(), lost);
            return new Delivery(Delivery.Status.FAILED, null, lost);
        }
    }

    /** The message as it is sent and queued: multipart/alternative, text first, HTML last (the preferred one). */
    MimeMessage compose(Mail mail) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(settings.from(), true));
        m.setRecipients(Message.RecipientType.TO, InternetAddress.parse(String.join(",", mail.to()), true));
        m.setSubject(mail.subject(), "UTF-8");
        m.setSentDate(new Date());
        m.setHeader("Auto-Submitted", "auto-generated"); // RFC 3834: no vacation replies to a robot
        if (mail.html() == null) {
            m.setText(mail.text(), "UTF-8");
        } else {
            MimeBodyPart text = new MimeBodyPart();
            text.setText(mail.text(), "UTF-8");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(mail.html(), "UTF-8", "html");
            m.setContent(new MimeMultipart("alternative", text, html));
        }
        m.saveChanges(); // Message-ID and headers fixed now: a retry from the outbox sends the very same message
        return m;
    }

    Session session() {
        return session;
    }

    /** One try to send {@code message}: null when the server accepted it, else why not (without the password). */
    String attempt(MimeMessage message) {
        if (!settings.configured()) {
            return NO_SERVER;
        }
        String password = null;
        try {
            password = settings.password().read();
        } catch (IOException e) {
            return "cannot read the SMTP password from " + settings.password() + ": " + e.getMessage();
        }
        Transport transport = null;
        try {
            transport = session.getTransport(settings.security() == MailSettings.Security.TLS ? "smtps" : "smtp");
            transport.connect(settings.host(), settings.effectivePort(), settings.user(), password);
            // sendMessage, not Transport.send: that would call saveChanges and give a retry a new Message-ID
            transport.sendMessage(message, message.getAllRecipients());
            return null;
        } catch (AuthenticationFailedException e) {
            return scrub("the SMTP server " + settings.server() + " refused the login of '" + settings.user()
                    + "': " + messages(e) + "; check " + MailSettings.USER + " and the password", password);
        } catch (MessagingException | RuntimeException e) {
            return scrub("cannot send through " + settings.server() + ": " + messages(e), password);
        } finally {
            close(transport);
        }
    }

    private static void close(Transport transport) {
        if (transport != null) {
            try {
                transport.close();
            } catch (MessagingException e) {
                // the message was accepted (or the failure is already reported); QUIT's answer changes nothing
            }
        }
    }

    /** The distinct messages of the cause chain on one line: "Couldn't connect to host...: Connection refused". */
    private static String messages(Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < 5; t = t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
            if (!m.isEmpty() && parts.stream().noneMatch(p -> p.contains(m))) {
                parts.add(m);
            }
        }
        String joined = String.join(": ", parts).replaceAll("\\s+", " ");
        return joined.length() > 500 ? joined.substring(0, 500) + "..." : joined;
    }

    /** A server may echo what it was sent; the password never leaves this class. */
    private static String scrub(String reason, String password) {
        return password == null || password.isEmpty() ? reason : reason.replace(password, "***");
    }

    private static Properties properties(MailSettings s) {
        Properties p = new Properties();
        String proto = s.security() == MailSettings.Security.TLS ? "smtps" : "smtp";
        String prefix = "mail." + proto + ".";
        String ms = Long.toString(s.timeout().toMillis());
        // every network step has a bound: a hung server must not hang the chain
        p.setProperty(prefix + "connectiontimeout", ms);
        p.setProperty(prefix + "timeout", ms);
        p.setProperty(prefix + "writetimeout", ms);
        p.setProperty(prefix + "auth", Boolean.toString(s.user() != null));
        if (s.security() == MailSettings.Security.STARTTLS) {
            p.setProperty(prefix + "starttls.enable", "true");
            p.setProperty(prefix + "starttls.required", "true"); // never fall back to sending in clear
        }
        if (s.security() != MailSettings.Security.NONE) {
            p.setProperty(prefix + "ssl.checkserveridentity", "true");
            if (s.sslTrust() != null) {
                p.setProperty(prefix + "ssl.trust", s.sslTrust());
            }
        }
        return p;
    }
}

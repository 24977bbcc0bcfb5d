package io.trainchain.engine.notify;

import io.trainchain.engine.TrainchainException;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The messages that could not be sent: each is a standard {@code NAME.eml} (any mail client opens it) with a
 * {@code NAME.properties} beside it that says when it was queued, how often it was tried and why it failed. Both are
 * written to a hidden temporary file and renamed, the sidecar first, so a reader never sees half a message. Two
 * {@code outbox send} at the same time may both send a message: nothing locks the folder.
 */
public final class Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String EML = ".eml";
    private static final String INFO = ".properties";

    private final Path dir;

    public Outbox(Path dir) {
        if (dir == null) {
            throw new IllegalArgumentException("dir must not be null");
        }
        this.dir = dir;
    }

    /** A queued message; {@code attempts} counts the tries, the first (when it was queued) included. */
    public record Entry(Path file, List<String> to, String subject, Instant queuedAt, int attempts, String reason) {
    }

    /** What {@link #sendAll} did with one entry: SENT (and removed) or QUEUED (kept, with the new reason). */
    public record Result(Entry entry, Delivery delivery) {
    }

    public Path dir() {
        return dir;
    }

    /** The queued messages, oldest first; an empty list when the folder does not exist. */
    public List<Entry> list() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Outbox::isMessage).toList()) {
                entries.add(entry(f));
            }
        } catch (IOException e) {
            throw TrainchainException.infrastructure("cannot read the outbox " + dir + ": " + e.getMessage()
                    + "; check that the folder is readable", e);
        }
        entries.sort(Comparator.comparing(Entry::queuedAt).thenComparing(e -> e.file().getFileName().toString()));
        return entries;
    }

    /** Tries every queued message once; a delivered one is removed, the others keep their file with a new reason. */
    public List<Result> sendAll(Mailer mailer) {
        List<Result> results = new ArrayList<>();
        for (Entry e : list()) {
            String failure;
            try (InputStream in = Files.newInputStream(e.file())) {
                failure = mailer.attempt(new MimeMessage(mailer.session(), in));
            } catch (IOException | MessagingException ex) {
                failure = "cannot read " + e.file() + ": " + ex.getMessage();
            }
            if (failure == null) {
                try {
                    Files.delete(e.file());
                    Files.deleteIfExists(info(e.file()));
                } catch (IOException ex) {
                    LOG.warn("sent {} but could not remove it from the outbox ({}); delete it, or it is sent again",
                            e.file(), ex.getMessage());
                }
                results.add(new Result(e, new Delivery(Delivery.Status.SENT, null, null)));
            } else {
                try {
                    writeInfo(e.file(), e.queuedAt(), e.attempts() + 1, failure);
                } catch (IOException ex) {
                    LOG.warn("could not update {}: {}", info(e.file()), ex.getMessage());
                }
                results.add(new Result(e, new Delivery(Delivery.Status.QUEUED, e.file(), failure)));
            }
        }
        return results;
    }

    /** Stores {@code message} with the reason it was not sent; returns its .eml file. */
    Path add(MimeMessage message, String reason) throws IOException, MessagingException {
        Files.createDirectories(dir);
        Instant now = Instant.now();
        String name = ID.format(now) + "-" + String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
        Path eml = dir.resolve(name + EML);
        writeInfo(eml, now, 1, reason);
        Path tmp = dir.resolve("." + name + EML + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW)) {
            message.writeTo(out);
        } catch (IOException | MessagingException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(info(eml));
            throw e;
        }
        Files.move(tmp, eml, StandardCopyOption.ATOMIC_MOVE);
        return eml;
    }

    private static boolean isMessage(Path f) {
        String n = f.getFileName().toString();
        return n.endsWith(EML) && !n.startsWith(".") && Files.isRegularFile(f);
    }

    private static Path info(Path eml) {
        String n = eml.getFileName().toString();
        return eml.resolveSibling(n.substring(0, n.length() - EML.length()) + INFO);
    }

    private static Entry entry(Path eml) throws IOException {
        Properties p = new Properties();
        Path info = info(eml);
        if (Files.exists(info)) {
            try (Reader r = Files.newBufferedReader(info, StandardCharsets.UTF_8)) {
                p.load(r);
            }
        }
        Instant queued = Files.getLastModifiedTime(eml).toInstant();
        int attempts = 1;
        try {
            queued = p.getProperty("queued") != null ? Instant.parse(p.getProperty("queued")) : queued;
            attempts = Integer.parseInt(p.getProperty("attempts", "1"));
        } catch (RuntimeException e) {
            LOG.warn("ignoring the damaged {}: {}", info, e.getMessage()); // the .eml is what matters
        }
        List<String> to = List.of();
        String subject;
        try (InputStream in = Files.newInputStream(eml)) {
            MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), in);
            Address[] all = m.getAllRecipients();
            to = all == null ? List.of() : Arrays.stream(all).map(Address::toString).toList();
            subject = m.getSubject() == null ? "" : m.getSubject();
        } catch (MessagingException e) {
            subject = "(unreadable: " + e.getMessage() + ")";
        }
        return new Entry(eml, to, subject, queued, attempts, p.getProperty("reason", "(unknown)"));
    }

    private static void writeInfo(Path eml, Instant queued, int attempts, String reason) throws IOException {
        Properties p = new Properties();
        p.setProperty("queued", queued.toString());
        p.setProperty("attempts", Integer.toString(attempts));
        p.setProperty("last-attempt", Instant.now().toString());
        p.setProperty("reason", reason);
        Path target = info(eml);
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "why " + eml.getFileName() + " is still queued");
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}

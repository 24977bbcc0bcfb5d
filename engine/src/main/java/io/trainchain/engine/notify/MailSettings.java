package io.trainchain.engine.notify;

import io.trainchain.engine.TrainchainException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * How to reach the SMTP server and where to queue what cannot be sent. {@code host == null} means no server is
 * configured: every message goes to the outbox. {@code port == null} means the security mode's usual port.
 * {@code sslTrust} names hosts whose certificate is accepted without a chain to a trusted CA (a self-signed server);
 * null means the JVM's trust store decides. The password is a {@link PasswordSource}, so toString never shows it.
 */
public record MailSettings(String host, Integer port, Security security, String user, PasswordSource password,
                           String from, Duration timeout, Path outbox, String sslTrust) {

    /** How the connection is protected. */
    public enum Security {
        /** Plain SMTP, nothing encrypted: only for a relay on a trusted network. */
        NONE(25),
        /** SMTP, then STARTTLS before anything else is said; a server that does not offer it is an error. */
        STARTTLS(587),
        /** SMTPS: TLS from the first byte. */
        TLS(465);

        private final int defaultPort;

        Security(int defaultPort) {
            this.defaultPort = defaultPort;
        }

        public int defaultPort() {
            return defaultPort;
        }

        /** {@code none}, {@code starttls} or {@code tls} (any case); {@code setting} names where the text came from. */
        public static Security parse(String text, String setting) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw TrainchainException.badInput(setting + " is '" + text + "'; set it to starttls (port 587), "
                        + "tls (SMTPS, port 465) or none (plain SMTP, port 25)");
            }
        }
    }

    public static final String HOST = "TRAINCHAIN_SMTP_HOST";
    public static final String PORT = "TRAINCHAIN_SMTP_PORT";
    public static final String SECURITY = "TRAINCHAIN_SMTP_SECURITY";
    public static final String USER = "TRAINCHAIN_SMTP_USER";
    public static final String PASSWORD = "TRAINCHAIN_SMTP_PASSWORD";
    public static final String PASSWORD_FILE = "TRAINCHAIN_SMTP_PASSWORD_FILE";
    public static final String FROM = "TRAINCHAIN_SMTP_FROM";
    public static final String TIMEOUT = "TRAINCHAIN_SMTP_TIMEOUT_SECONDS";
    public static final String SSL_TRUST = "TRAINCHAIN_SMTP_SSL_TRUST";
    public static final String OUTBOX = "TRAINCHAIN_OUTBOX";

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    public MailSettings {
        host = blankToNull(host);
        user = blankToNull(user);
        sslTrust = blankToNull(sslTrust);
        if (security == null) {
            security = Security.STARTTLS;
        }
        if (password == null) {
            password = PasswordSource.none();
        }
        if (timeout == null) {
            timeout = DEFAULT_TIMEOUT;
        }
        if (outbox == null) {
            throw new IllegalArgumentException("outbox must not be null");
        }
        if (port != null && (port < 1 || port > 65535)) {
            throw TrainchainException.badInput("the SMTP port is " + port + " (" + PORT + " or --smtp-port); "
                    + "set a port from 1 to 65535, or leave it unset for " + security.defaultPort() + " ("
                    + security.name().toLowerCase(Locale.ROOT) + ")");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw TrainchainException.badInput("the SMTP timeout is " + timeout.toSeconds() + " s (" + TIMEOUT
                    + "); set a positive number of seconds, or leave it unset for "
                    + DEFAULT_TIMEOUT.toSeconds());
        }
        if (from == null || from.isBlank()) {
            from = defaultFrom();
        } else {
            checkAddress(from, "the sender address (" + FROM + " or --smtp-from)");
        }
        if (user != null && password.isNone()) {
            throw TrainchainException.badInput("the SMTP user is '" + user + "' but no password is set; put it in "
                    + PASSWORD + " or in a file named by " + PASSWORD_FILE + " (never on the command line)");
        }
        if (password.passwordFile() != null && !Files.isReadable(password.passwordFile())) {
            throw TrainchainException.badInput("the SMTP password file " + password.passwordFile() + " ("
                    + PASSWORD_FILE + ") does not exist or cannot be read; create it or fix the path");
        }
        if (sslTrust != null && sslTrust.contains("*")) {
            throw TrainchainException.badInput(SSL_TRUST + " is '" + sslTrust + "'; a wildcard would accept any "
                    + "server's certificate: name the SMTP host(s) to trust, separated by spaces");
        }
    }

    /** Nothing configured: every message is queued in {@code outbox}. */
    public static MailSettings none(Path outbox) {
        return new MailSettings(null, null, null, null, null, null, null, outbox, null);
    }

    /** Reads the TRAINCHAIN_SMTP_* variables (see the README); unset ones take their defaults. */
    public static MailSettings fromEnvironment(Map<String, String> env, Path defaultOutbox) {
        String host = get(env, HOST);
        String securityText = get(env, SECURITY);
        Security security = securityText == null ? Security.STARTTLS : Security.parse(securityText, SECURITY);
        Integer port = get(env, PORT) == null ? null : parseInt(env, PORT, "a port number such as 587");
        Duration timeout = get(env, TIMEOUT) == null ? null
                : Duration.ofSeconds(parseInt(env, TIMEOUT, "a number of seconds such as 20"));
        PasswordSource password = PasswordSource.none();
        if (get(env, PASSWORD) != null && get(env, PASSWORD_FILE) != null) {
            throw TrainchainException.badInput("both " + PASSWORD + " and " + PASSWORD_FILE
                    + " are set; unset one of them");
        } else if (get(env, PASSWORD) != null) {
            password = PasswordSource.environment(PASSWORD, env);
        } else if (get(env, PASSWORD_FILE) != null) {
            password = PasswordSource.file(Path.of(get(env, PASSWORD_FILE)));
        }
        return new MailSettings(host, port, security, get(env, USER), password, get(env, FROM), timeout,
                outbox(env, defaultOutbox), get(env, SSL_TRUST));
    }

    /** TRAINCHAIN_OUTBOX, else {@code defaultOutbox}: all that listing the outbox needs. */
    public static Path outbox(Map<String, String> env, Path defaultOutbox) {
        String dir = get(env, OUTBOX);
        return dir != null ? Path.of(dir) : defaultOutbox;
    }

    /** The port to connect to: the configured one, else the security mode's usual one. */
    public int effectivePort() {
        return port != null ? port : security.defaultPort();
    }

    public boolean configured() {
        return host != null;
    }

    /** host:port (mode), for messages. */
    public String server() {
        return host + ":" + effectivePort() + " (" + security.name().toLowerCase(Locale.ROOT) + ")";
    }

    public MailSettings withHost(String h) {
        return new MailSettings(h, port, security, user, password, from, timeout, outbox, sslTrust);
    }

    public MailSettings withPort(Integer p) {
        return new MailSettings(host, p, security, user, password, from, timeout, outbox, sslTrust);
    }

    public MailSettings withSecurity(Security s) {
        return new MailSettings(host, port, s, user, password, from, timeout, outbox, sslTrust);
    }

    public MailSettings withUser(String u) {
        return new MailSettings(host, port, security, u, password, from, timeout, outbox, sslTrust);
    }

    public MailSettings withPassword(PasswordSource p) {
        return new MailSettings(host, port, security, user, p, from, timeout, outbox, sslTrust);
    }

    public MailSettings withFrom(String f) {
        return new MailSettings(host, port, security, user, password, f, timeout, outbox, sslTrust);
    }

    public MailSettings withTimeout(Duration t) {
        return new MailSettings(host, port, security, user, password, from, t, outbox, sslTrust);
    }

    public MailSettings withOutbox(Path o) {
        return new MailSettings(host, port, security, user, password, from, timeout, o, sslTrust);
    }

    public MailSettings withSslTrust(String hosts) {
        return new MailSettings(host, port, security, user, password, from, timeout, outbox, hosts);
    }

    static void checkAddress(String address, String what) {
        try {
            new InternetAddress(address, true);
        } catch (AddressException e) {
            throw TrainchainException.badInput(what + " '" + address + "' is not an e-mail address ("
                    + e.getMessage() + "); write it as name@example.org");
        }
    }

    private static String defaultFrom() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        String address = "trainchain@" + host;
        try {
            new InternetAddress(address, true);
            return address;
        } catch (AddressException e) {
            return "trainchain@localhost";
        }
    }

    private static int parseInt(Map<String, String> env, String name, String expected) {
        String v = get(env, name);
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw TrainchainException.badInput(name + " is '" + v + "'; set it to " + expected + ", or unset it "
                    + "for the default");
        }
    }

    private static String get(Map<String, String> env, String name) {
        return blankToNull(env.get(name));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}

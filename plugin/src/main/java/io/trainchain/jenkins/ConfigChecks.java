package io.trainchain.jenkins;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The form validations of the steps and of the global configuration, as pure functions; the descriptors' @POST
 * doCheck methods check the permission and turn a {@link Check} into a FormValidation. Empty optional fields are OK
 * (the engine's default applies) and say which default.
 */
public final class ConfigChecks {

    /** One verdict: OK (with an optional note), WARNING or ERROR, and the sentence shown under the field. */
    public record Check(Kind kind, String message) {
        public enum Kind { OK, WARNING, ERROR }

        static Check ok() {
            return new Check(Kind.OK, null);
        }

        static Check ok(String note) {
            return new Check(Kind.OK, note);
        }

        static Check warning(String m) {
            return new Check(Kind.WARNING, m);
        }

        static Check error(String m) {
            return new Check(Kind.ERROR, m);
        }
    }

    private static final Pattern EMAIL = Pattern.compile("[^@\\s,;]+@[^@\\s,;]+\\.[^@\\s,;]+");
    private static final Pattern MEMORY = Pattern.compile("(?i)\\d+(\\.\\d+)?\\s*[kmgt]?i?b?");

    private ConfigChecks() {
    }

    public static Check required(String value, String what) {
        return blank(value) ? Check.error(what + " is required") : Check.ok();
    }

    /** A gate threshold: a finite number; scores between 0 and 1 are the usual case. */
    public static Check threshold(String value) {
        if (blank(value)) {
            return Check.ok("empty: the global default, else 0.80");
        }
        double d;
        try {
            d = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            return Check.error("'" + value.trim() + "' is not a number; write a threshold such as 0.80");
        }
        if (!Double.isFinite(d)) {
            return Check.error("the threshold must be a finite number such as 0.80");
        }
        if (d < 0 || d > 1) {
            return Check.warning(d + " is outside 0..1: right for a loss (direction at_most), not for accuracy");
        }
        return Check.ok();
    }

    /** A key of evaluation.json: letters, digits, _ and -. */
    public static Check metric(String value) {
        if (blank(value)) {
            return Check.ok("empty: the global default, else accuracy");
        }
        return value.trim().matches("[A-Za-z][A-Za-z0-9_\\-]*") ? Check.ok()
                : Check.error("'" + value.trim() + "' is not a metric name; use a key of evaluation.json such as "
                + "accuracy, macro_f1 or test_loss");
    }

    public static Check direction(String value) {
        if (blank(value)) {
            return Check.ok("empty: at_least");
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        return v.equals("at_least") || v.equals("at_most") ? Check.ok()
                : Check.error("'" + value.trim() + "': use at_least (scores such as accuracy) or at_most (losses)");
    }

    public static Check belowGate(String value) {
        if (blank(value)) {
            return Check.ok("empty: the global default, else UNSTABLE");
        }
        try {
            Outcome.parse(value);
            return Check.ok();
        } catch (IllegalArgumentException e) {
            return Check.error(e.getMessage());
        }
    }

    /** A whole number of at least {@code min}; empty is OK (the default). */
    public static Check atLeast(String value, int min, String what) {
        if (blank(value)) {
            return Check.ok();
        }
        try {
            long n = Long.parseLong(value.trim());
            return n >= min ? Check.ok() : Check.error(what + " must be " + min + " or more, not " + n);
        } catch (NumberFormatException e) {
            return Check.error("'" + value.trim() + "' is not a whole number; " + what + " must be " + min + " or more");
        }
    }

    /** A whole number from {@code min} to {@code max}; empty is OK (the default). */
    public static Check between(String value, int min, int max, String what) {
        Check c = atLeast(value, min, what);
        if (c.kind() != Check.Kind.OK || blank(value)) {
            return c;
        }
        long n = Long.parseLong(value.trim());
        return n <= max ? c : Check.error(what + " must be " + min + " to " + max + ", not " + n);
    }

    /** A positive number such as 2 or 1.5 (CPUs, minutes). */
    public static Check positive(String value, String what) {
        if (blank(value)) {
            return Check.ok();
        }
        try {
            double d = Double.parseDouble(value.trim());
            return d > 0 && Double.isFinite(d) ? Check.ok()
                    : Check.error(what + " must be a positive number such as 2 or 1.5, not " + value.trim());
        } catch (NumberFormatException e) {
            return Check.error("'" + value.trim() + "' is not a number; " + what + " must be positive, e.g. 2");
        }
    }

    /** A container memory limit such as 2g, 512m or 1.5GiB. */
    public static Check memory(String value) {
        if (blank(value)) {
            return Check.ok("empty: trainchain.yaml, else 2g");
        }
        return MEMORY.matcher(value.trim()).matches() ? Check.ok()
                : Check.error("'" + value.trim() + "' is not a memory size; write e.g. 2g, 512m or 4GiB");
    }

    public static Check strategy(String value) {
        if (blank(value)) {
            return Check.ok("empty: trainchain.yaml, else asha");
        }
        return io.trainchain.engine.pipeline.StepRequest.Tune.STRATEGIES.contains(value.trim().toLowerCase(Locale.ROOT))
                ? Check.ok() : Check.error("'" + value.trim() + "': use grid, random or asha");
    }

    /** Search-space entries "name=kind:values", separated by ; or new lines (the engine checks the kinds). */
    public static Check space(String value) {
        if (blank(value)) {
            return Check.ok("empty: the tune: space: of trainchain.yaml");
        }
        for (String entry : Requests.entries(value)) {
            if (!entry.matches("[A-Za-z_][A-Za-z0-9_]*\\s*=\\s*[a-z_]+\\s*:.+")) {
                return Check.error("'" + entry + "' is not a searched param; write name=kind:values, e.g. "
                        + "learning_rate=choice:0.001,0.004 or learning_rate=log_uniform:0.0005,0.01");
            }
        }
        return Check.ok();
    }

    /** One or more addresses separated by commas or spaces. */
    public static Check emails(String value) {
        if (blank(value)) {
            return Check.ok("empty: tune.notify in trainchain.yaml, else the commit's author");
        }
        for (String a : Requests.emails(value)) {
            if (!EMAIL.matcher(a).matches()) {
                return Check.error("'" + a + "' is not an e-mail address; write name@example.org, separated by "
                        + "commas");
            }
        }
        return Check.ok();
    }

    /** A Docker address as DOCKER_HOST takes it: unix:///path, tcp://host:port (or empty for the usual sockets). */
    public static Check dockerHost(String value) {
        if (blank(value)) {
            return Check.ok("empty: DOCKER_HOST on the agent, else /var/run/docker.sock");
        }
        String v = value.trim();
        URI uri;
        try {
            uri = URI.create(v);
        } catch (IllegalArgumentException e) {
            return Check.error("'" + v + "' is not an address; write unix:///var/run/docker.sock or tcp://host:2376");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("unix")) {
            return uri.getPath() == null || uri.getPath().isEmpty()
                    ? Check.error("'" + v + "' names no socket; write unix:///var/run/docker.sock") : Check.ok();
        }
        if (scheme.equals("tcp")) {
            if (uri.getHost() == null || uri.getPort() < 0) {
                return Check.error("'" + v + "' needs a host and a port, e.g. tcp://docker.example.org:2376");
            }
            return uri.getPort() == 2375 ? Check.warning("port 2375 is Docker's unencrypted, unauthenticated port; "
                    + "anyone who reaches it controls the host") : Check.ok();
        }
        return Check.error("'" + v + "': use unix:///path/to/docker.sock or tcp://host:port");
    }

    /** The run database: a file path (absolute, or relative to the workspace), not a folder. */
    public static Check runStore(String value) {
        if (blank(value)) {
            return Check.ok("empty: TRAINCHAIN_STORE on the agent, else ~/.trainchain/runs.db");
        }
        String v = value.trim();
        if (v.endsWith("/") || v.endsWith("\\")) {
            return Check.error("'" + v + "' is a folder; name the database file, e.g. " + v + "runs.db");
        }
        return v.startsWith("/") || v.matches("[A-Za-z]:[\\\\/].*") ? Check.ok()
                : Check.warning("a relative path is taken per workspace: every job gets its own run store");
    }

    public static Check smtpPort(String value) {
        if (blank(value)) {
            return Check.ok("empty: 587 (starttls), 465 (tls) or 25 (none)");
        }
        Check c = atLeast(value, 1, "the SMTP port");
        if (c.kind() != Check.Kind.OK) {
            return c;
        }
        return Long.parseLong(value.trim()) <= 65535 ? c : Check.error("a port is 1 to 65535, not " + value.trim());
    }

    public static Check smtpSecurity(String value) {
        if (blank(value)) {
            return Check.ok("empty: starttls");
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("none")) {
            return Check.warning("plain SMTP sends the login and the mail unencrypted: only on a trusted network");
        }
        return v.equals("starttls") || v.equals("tls") ? Check.ok()
                : Check.error("'" + value.trim() + "': use starttls (port 587), tls (SMTPS, port 465) or none");
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}

package io.trainchain.engine.notify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the SMTP password is, never the password itself: it is read only when a connection is made, so it stays out
 * of settings objects, their toString, logs and command lines. A file is re-read on every connection, which lets a
 * secret mount rotate it.
 */
public final class PasswordSource {
    private static final PasswordSource NONE = new PasswordSource(null, null, null);

    private final String variable;
    private final Map<String, String> env;
    private final Path file;

    private PasswordSource(String variable, Map<String, String> env, Path file) {
        this.variable = variable;
        this.env = env;
        this.file = file;
    }

    /** No password: the server is used without authentication. */
    public static PasswordSource none() {
        return NONE;
    }

    /** The value of environment variable {@code name} in {@code env}, looked up when needed. */
    public static PasswordSource environment(String name, Map<String, String> env) {
        if (name == null || env == null) {
            throw new IllegalArgumentException("name and env must not be null");
        }
        return new PasswordSource(name, env, null);
    }

    /** The content of {@code file} (one trailing line break dropped), read when needed. */
    public static PasswordSource file(Path file) {
        if (file == null) {
            throw new IllegalArgumentException("file must not be null");
        }
        return new PasswordSource(null, null, file);
    }

    public boolean isNone() {
        return variable == null && file == null;
    }

    /** The password file, or null when the password does not come from a file. */
    public Path passwordFile() {
        return file;
    }

    /** The password; null for {@link #none()}. */
    String read() throws IOException {
        if (variable != null) {
            String v = env.get(variable);
            if (v == null || v.isEmpty()) {
                throw new IOException("environment variable " + variable + " is no longer set");
            }
            return v;
        }
        if (file != null) {
            String v = Files.readString(file);
            if (v.endsWith("\n")) {
                v = v.substring(0, v.length() - 1);
            }
            if (v.endsWith("\r")) {
                v = v.substring(0, v.length() - 1);
            }
            if (v.isEmpty()) {
                throw new IOException("the password file " + file + " is empty");
            }
            return v;
        }
        return null;
    }

    /** Says where the password comes from; never what it is. */
    @Override
    public String toString() {
        return variable != null ? "environment variable " + variable : file != null ? "file " + file : "none";
    }
}

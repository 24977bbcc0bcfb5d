package io.trainchain.engine.pipeline;

import io.trainchain.engine.notify.MailSettings;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * The engine's SMTP settings as a caller's configuration gives them; null fields leave the TRAINCHAIN_SMTP_* variable
 * of the agent's environment in place. The password never appears in {@link #toString()}.
 */
public record SmtpSettings(String host, Integer port, String security, String user, String password, String from)
        implements Serializable {

    public static final SmtpSettings NONE = new SmtpSettings(null, null, null, null, null, null);

    /** {@code env} with these settings laid over it, as {@link MailSettings#fromEnvironment} reads them. */
    public Map<String, String> over(Map<String, String> env) {
        Map<String, String> merged = new HashMap<>(env);
        put(merged, MailSettings.HOST, host);
        put(merged, MailSettings.PORT, port == null ? null : port.toString());
        put(merged, MailSettings.SECURITY, security);
        put(merged, MailSettings.USER, user);
        put(merged, MailSettings.FROM, from);
        if (password != null && !password.isEmpty()) {
            merged.put(MailSettings.PASSWORD, password);
            merged.remove(MailSettings.PASSWORD_FILE); // the configured password wins over the agent's file
        }
        return merged;
    }

    private static void put(Map<String, String> env, String key, String value) {
        if (value != null && !value.isBlank()) {
            env.put(key, value.trim());
        }
    }

    @Override
    public String toString() {
        return "SmtpSettings[host=" + host + ", port=" + port + ", security=" + security + ", user=" + user
                + ", password=" + (password == null || password.isEmpty() ? "(none)" : "****") + ", from=" + from + "]";
    }
}

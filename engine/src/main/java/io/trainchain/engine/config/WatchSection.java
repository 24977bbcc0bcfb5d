package io.trainchain.engine.config;

import io.trainchain.engine.TrainchainException;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * trainchain.yaml's {@code watch:} (restarts, backoff, backoff_factor, max_backoff, oom_memory_factor,
 * oom_memory_cap, daemon_deadline, hot_standby) and {@code checkpoint:} (every_epochs, every_minutes).
 */
final class WatchSection {
    static final List<String> WATCH_KEYS = List.of("restarts", "backoff", "backoff_factor", "max_backoff",
            "oom_memory_factor", "oom_memory_cap", "daemon_deadline", "hot_standby");
    static final List<String> CHECKPOINT_KEYS = List.of("every_epochs", "every_minutes");

    private final YamlFields f;

    WatchSection(YamlFields f) {
        this.f = f;
    }

    WatchOptions read(Map<?, ?> root) {
        Integer restarts = null;
        Duration backoff = null;
        Double factor = null;
        Duration maxBackoff = null;
        Double oomFactor = null;
        Long oomCap = null;
        Duration deadline = null;
        Boolean standby = null;
        if (root.containsKey("watch")) {
            Map<?, ?> w = mapping(root.get("watch"), "watch", WATCH_KEYS);
            if (w.containsKey("restarts")) {
                Object v = w.get("restarts");
                if (!(v instanceof Integer i) || i < 0 || i > 100) {
                    throw f.wrongType("watch.restarts", v, "a whole number from 0 (no restart) to 100, e.g. 3");
                }
                restarts = i;
            }
            backoff = duration(w, "backoff");
            if (w.containsKey("backoff_factor")) {
                factor = f.number(w.get("backoff_factor"), "watch.backoff_factor", "a number ≥ 1, e.g. 2");
                if (factor < 1) {
                    throw f.wrongType("watch.backoff_factor", w.get("backoff_factor"), "a number ≥ 1, e.g. 2");
                }
            }
            maxBackoff = duration(w, "max_backoff");
            if (w.containsKey("oom_memory_factor")) {
                oomFactor = f.number(w.get("oom_memory_factor"), "watch.oom_memory_factor",
                        "a number above 1 and at most 16, e.g. 1.5, or 0 to keep the limit");
                if (oomFactor != 0 && !(oomFactor > 1 && oomFactor <= 16)) {
                    throw f.wrongType("watch.oom_memory_factor", w.get("oom_memory_factor"),
                            "a number above 1 and at most 16, e.g. 1.5, or 0 to keep the limit");
                }
            }
            if (w.containsKey("oom_memory_cap")) {
                Object v = w.get("oom_memory_cap");
                if (!(v instanceof String s)) {
                    throw f.wrongType("watch.oom_memory_cap", v, "a size such as \"8g\"");
                }
                oomCap = Limits.parseMemory(s, f.where("watch.oom_memory_cap"));
            }
            if (w.containsKey("hot_standby")) {
                if (!(w.get("hot_standby") instanceof Boolean b)) {
                    throw f.wrongType("watch.hot_standby", w.get("hot_standby"), "true or false");
                }
                standby = b;
            }
            deadline = duration(w, "daemon_deadline");
            if (deadline != null && deadline.isZero()) {
                throw f.wrongType("watch.daemon_deadline", w.get("daemon_deadline"), "a positive duration, e.g. 5m");
            }
        }
        Integer everyEpochs = null;
        Double everyMinutes = null;
        if (root.containsKey("checkpoint")) {
            Map<?, ?> c = mapping(root.get("checkpoint"), "checkpoint", CHECKPOINT_KEYS);
            if (c.containsKey("every_epochs")) {
                everyEpochs = f.positiveInt(c.get("every_epochs"), "checkpoint.every_epochs");
            }
            if (c.containsKey("every_minutes")) {
                everyMinutes = f.number(c.get("every_minutes"), "checkpoint.every_minutes",
                        "a positive number of minutes, e.g. 10 or 0.5");
                if (!(everyMinutes > 0)) {
                    throw f.wrongType("checkpoint.every_minutes", c.get("every_minutes"),
                            "a positive number of minutes, e.g. 10 or 0.5");
                }
            }
        }
        return new WatchOptions(restarts, backoff, factor, maxBackoff, oomFactor, oomCap, deadline, everyEpochs,
                everyMinutes, standby);
    }

    private Map<?, ?> mapping(Object v, String key, List<String> keys) {
        if (!(v instanceof Map<?, ?> m)) {
            throw f.wrongType(key, v, "a mapping of " + String.join("/", keys));
        }
        f.checkKeys(m, keys, key + ".");
        return m;
    }

    private Duration duration(Map<?, ?> w, String key) {
        if (!w.containsKey(key)) {
            return null;
        }
        Object v = w.get(key);
        String text = v instanceof Number n && !(v instanceof java.math.BigInteger) ? String.valueOf(n.doubleValue())
                : v instanceof String s ? s : null;
        if (text == null) {
            throw f.wrongType("watch." + key, v, "a duration such as 100ms, 2s or 5m");
        }
        try {
            return WatchOptions.parseDuration(text, f.where("watch." + key));
        } catch (TrainchainException e) {
            throw e;
        }
    }
}

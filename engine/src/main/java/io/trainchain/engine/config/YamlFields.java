package io.trainchain.engine.config;

import io.trainchain.engine.TrainchainException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of a loaded YAML file's values, each failure a bad-input error naming the file, the line and the
 * dotted key, what was there and what is expected.
 */
final class YamlFields {
    private final Path source;
    private final MappingNode rootNode;

    YamlFields(Path source, MappingNode rootNode) {
        this.source = source;
        this.rootNode = rootNode;
    }

    void checkKeys(Map<?, ?> map, List<String> allowed, String prefix) {
        for (Object key : map.keySet()) {
            if (!(key instanceof String k) || !allowed.contains(k)) {
                String shown = prefix + key;
                throw bad(at(shown) + ": key '" + shown + "' is not known; allowed keys"
                        + (prefix.isEmpty() ? "" : " under '" + prefix.substring(0, prefix.length() - 1) + "'")
                        + ": " + String.join(", ", allowed) + "; fix its spelling or remove it");
            }
        }
    }

    Map<String, Object> stringKeys(Map<?, ?> m, String key) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String k)) {
                throw wrongType(key + " key", e.getKey(), "a string");
            }
            out.put(k, e.getValue());
        }
        return out;
    }

    String string(Object v, String key, String expected) {
        if (v instanceof String s) {
            return s;
        }
        throw wrongType(key, v, expected);
    }

    double number(Object v, String key, String expected) {
        if (v instanceof Number n && !(v instanceof BigInteger)) {
            double d = n.doubleValue();
            if (Double.isFinite(d)) {
                return d;
            }
        }
        throw wrongType(key, v, expected);
    }

    int positiveInt(Object v, String key) {
        if ((v instanceof Integer || v instanceof Long) && ((Number) v).longValue() > 0
                && ((Number) v).longValue() <= Integer.MAX_VALUE) {
            return ((Number) v).intValue();
        }
        throw wrongType(key, v, "a positive whole number, e.g. " + key.replace("limits.", "") + ": 10");
    }

    TrainchainException wrongType(String key, Object v, String expected) {
        return bad(at(key) + ": '" + key + "' is " + describe(v) + " but must be " + expected);
    }

    private static String describe(Object v) {
        if (v == null) {
            return "empty (null)";
        }
        String type = v instanceof String ? "a string" : v instanceof Boolean ? "a boolean"
                : v instanceof Map ? "a mapping" : v instanceof List ? "a list"
                : v instanceof Double ? "a decimal number" : v instanceof Number ? "a whole number"
                : "a " + v.getClass().getSimpleName();
        String shown = v instanceof String ? "\"" + v + "\"" : String.valueOf(v);
        return shown + " (" + type + ")";
    }

    /** "FILE:LINE: key", for messages built elsewhere. */
    String where(String dottedKey) {
        return source + at(dottedKey) + ": " + dottedKey;
    }

    TrainchainException bad(String rest) {
        return TrainchainException.badInput(source + rest);
    }

    /** ":line" of a dotted key in the composed tree, or "" when not found. */
    String at(String dottedKey) {
        Node node = rootNode;
        Node keyNode = null;
        for (String part : dottedKey.split("\\.")) {
            if (!(node instanceof MappingNode m)) {
                break;
            }
            Node next = null;
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(part)) {
                    keyNode = k;
                    next = t.getValueNode();
                    break;
                }
            }
            if (next == null) {
                break;
            }
            node = next;
        }
        return keyNode == null ? "" : ":" + (keyNode.getStartMark().getLine() + 1);
    }
}

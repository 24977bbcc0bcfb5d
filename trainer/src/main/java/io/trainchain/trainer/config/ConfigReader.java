package io.trainchain.trainer.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainchain.trainer.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads params.json into a {@link TrainConfig}: every field optional (defaults from {@link TrainConfig#defaults()}),
 * every given field checked, unknown fields refused (a typo must not silently train with a default). Errors name the
 * file, the field, what was wrong and what to do.
 */
public final class ConfigReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("learning_rate", "lr_decay", "optimizer", "momentum", "batch_size", "epochs",
            "conv_blocks", "dense_units", "dropout", "l2", "batch_norm", "activation", "weight_init", "seed",
            "validation_fraction");
    private static final Set<String> BLOCK_FIELDS = Set.of("filters", "kernel", "stride", "padding", "pooling", "pool");

    private final String source;

    private ConfigReader(String source) {
        this.source = source;
    }

    public static TrainConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": params file not found. Pass an existing JSON file with --params, "
                    + "or leave --params out to train with the defaults.");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read the params file (" + e.getMessage()
                    + "). Check that it is a readable file.", e);
        }
        return parse(text, file.toString());
    }

    public static TrainConfig parse(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new BadInputException(source + ": not valid JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + " (" + e.getOriginalMessage() + "). Fix the syntax.");
        }
        return parse(root, source);
    }

    /** As {@link #parse(String, String)}, of JSON already read (a checkpoint's params: no text round trip). */
    public static TrainConfig parse(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new BadInputException(source + ": expected a JSON object like {\"epochs\": 2}, found "
                    + (root == null ? "nothing" : root.getNodeType().name().toLowerCase(Locale.ROOT)) + ".");
        }
        return new ConfigReader(source).read((ObjectNode) root);
    }

    private TrainConfig read(ObjectNode o) {
        rejectUnknown(o, FIELDS, "");
        TrainConfig d = TrainConfig.defaults();
        double lr = number(o, "learning_rate", d.learningRate());
        require(lr > 0 && lr < 10, "learning_rate", lr, "must be > 0 and < 10 (typical: 1e-4 .. 1e-1)");
        double lrDecay = number(o, "lr_decay", d.lrDecay());
        require(lrDecay > 0 && lrDecay <= 1, "lr_decay", lrDecay, "is the learning rate's factor per epoch: use (0, 1]");
        Optimizer optimizer = choice(o, "optimizer", Optimizer.class, d.optimizer());
        double momentum = number(o, "momentum", d.momentum());
        require(momentum >= 0 && momentum < 1, "momentum", momentum, "must be in [0, 1)");
        int batch = integer(o, "batch_size", d.batchSize());
        require(batch >= 1 && batch <= 65536, "batch_size", batch, "must be between 1 and 65536");
        int epochs = integer(o, "epochs", d.epochs());
        require(epochs >= 1 && epochs <= 10000, "epochs", epochs, "must be between 1 and 10000");
        List<ConvBlock> blocks = o.has("conv_blocks") ? blocks(o.get("conv_blocks")) : d.convBlocks();
        List<Integer> dense = o.has("dense_units") ? dense(o.get("dense_units")) : d.denseUnits();
        double dropout = number(o, "dropout", d.dropout());
        require(dropout >= 0 && dropout < 1, "dropout", dropout, "is the probability of dropping a unit: use [0, 1)");
        double l2 = number(o, "l2", d.l2());
        require(l2 >= 0 && l2 < 1, "l2", l2, "must be in [0, 1) (typical: 1e-5 .. 1e-3)");
        boolean batchNorm = bool(o, "batch_norm", d.batchNorm());
        Activation activation = choice(o, "activation", Activation.class, d.activation());
        WeightInit weightInit = choice(o, "weight_init", WeightInit.class, d.weightInit());
        long seed = o.has("seed") ? longValue(o, "seed") : d.seed();
        double validation = number(o, "validation_fraction", d.validationFraction());
        require(validation >= 0 && validation <= 0.5, "validation_fraction", validation, "must be in [0, 0.5]");
        return new TrainConfig(lr, lrDecay, optimizer, momentum, batch, epochs, blocks, dense, dropout, l2, batchNorm,
                activation, weightInit, seed, validation);
    }

    private List<ConvBlock> blocks(JsonNode node) {
        if (!node.isArray()) {
            throw field("conv_blocks", "must be a list of blocks like [{\"filters\": 20, \"kernel\": 5}]");
        }
        List<ConvBlock> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "conv_blocks[" + i + "]";
            JsonNode b = node.get(i);
            if (!b.isObject()) {
                throw field(at, "must be an object like {\"filters\": 20, \"kernel\": 5, \"pooling\": \"max\"}");
            }
            ObjectNode ob = (ObjectNode) b;
            rejectUnknown(ob, BLOCK_FIELDS, at + ".");
            if (!ob.has("filters") || !ob.has("kernel")) {
                throw field(at, "needs both \"filters\" and \"kernel\"");
            }
            int filters = integer(ob, "filters", 0, at + ".");
            require(filters >= 1 && filters <= 4096, at + ".filters", filters, "must be between 1 and 4096");
            int kernel = integer(ob, "kernel", 0, at + ".");
            require(kernel >= 1 && kernel <= 15, at + ".kernel", kernel, "must be between 1 and 15");
            int stride = integer(ob, "stride", 1, at + ".");
            require(stride >= 1 && stride <= kernel, at + ".stride", stride, "must be between 1 and the kernel size");
            int padding = integer(ob, "padding", 0, at + ".");
            require(padding >= 0 && padding < kernel, at + ".padding", padding, "must be between 0 and kernel - 1");
            Pooling pooling = choice(ob, "pooling", Pooling.class, Pooling.MAX, at + ".");
            int pool = integer(ob, "pool", 2, at + ".");
            require(pool >= 1 && pool <= 8, at + ".pool", pool, "must be between 1 and 8");
            out.add(new ConvBlock(filters, kernel, stride, padding, pooling, pool));
        }
        return out;
    }

    private List<Integer> dense(JsonNode node) {
        if (node.isInt()) {
            node = JSON.createArrayNode().add(node.intValue());
        }
        if (!(node instanceof ArrayNode)) {
            throw field("dense_units", "must be a list of layer sizes like [500] (or [] for none)");
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode n = node.get(i);
            if (!n.isInt() || n.intValue() < 1 || n.intValue() > 65536) {
                throw field("dense_units[" + i + "]", "is " + n + "; each size must be an integer between 1 and 65536");
            }
            out.add(n.intValue());
        }
        return out;
    }

    private void rejectUnknown(ObjectNode o, Set<String> allowed, String prefix) {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw field(prefix + name, "is not a known field. Known fields: "
                        + allowed.stream().sorted().collect(Collectors.joining(", ")));
            }
        }
    }

    private double number(ObjectNode o, String name, double dflt) {
        JsonNode n = o.get(name);
        if (n == null) {
            return dflt;
        }
        if (!n.isNumber()) {
            throw field(name, "is " + n + "; expected a number");
        }
        return n.doubleValue();
    }

    private int integer(ObjectNode o, String name, int dflt) {
        return integer(o, name, dflt, "");
    }

    private int integer(ObjectNode o, String name, int dflt, String prefix) {
        JsonNode n = o.get(name);
        if (n == null) {
            return dflt;
        }
        if (!n.canConvertToInt() || !(n.isIntegralNumber() || n.asDouble() == Math.rint(n.asDouble()))) {
            throw field(prefix + name, "is " + n + "; expected a whole number");
        }
        return n.asInt();
    }

    private long longValue(ObjectNode o, String name) {
        JsonNode n = o.get(name);
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw field(name, "is " + n + "; expected a whole number");
        }
        return n.longValue();
    }

    private boolean bool(ObjectNode o, String name, boolean dflt) {
        JsonNode n = o.get(name);
        if (n == null) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw field(name, "is " + n + "; expected true or false");
        }
        return n.booleanValue();
    }

    private <E extends Enum<E>> E choice(ObjectNode o, String name, Class<E> type, E dflt) {
        return choice(o, name, type, dflt, "");
    }

    private <E extends Enum<E>> E choice(ObjectNode o, String name, Class<E> type, E dflt, String prefix) {
        JsonNode n = o.get(name);
        if (n == null) {
            return dflt;
        }
        Function<E, String> label = e -> e.name().toLowerCase(Locale.ROOT);
        String allowed = Arrays.stream(type.getEnumConstants()).map(label).collect(Collectors.joining(", "));
        if (!n.isTextual()) {
            throw field(prefix + name, "is " + n + "; expected one of: " + allowed);
        }
        for (E e : type.getEnumConstants()) {
            if (label.apply(e).equals(n.textValue().toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        throw field(prefix + name, "has unknown value \"" + n.textValue() + "\". Use one of: " + allowed);
    }

    private void require(boolean ok, String name, Object value, String rule) {
        if (!ok) {
            throw field(name, "is " + value + "; it " + rule);
        }
    }

    private BadInputException field(String name, String problem) {
        return new BadInputException(source + ": field '" + name + "' " + problem + ".");
    }
}

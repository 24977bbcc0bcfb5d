package io.trainchain.trainer.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Locale;

/** Writes a {@link TrainConfig} in the same snake_case form {@link ConfigReader} reads, so it round-trips. */
public final class ConfigJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigJson() {
    }

    public static ObjectNode toJson(TrainConfig c) {
        ObjectNode o = JSON.createObjectNode();
        o.put("learning_rate", c.learningRate());
        o.put("lr_decay", c.lrDecay());
        o.put("optimizer", name(c.optimizer()));
        o.put("momentum", c.momentum());
        o.put("batch_size", c.batchSize());
        o.put("epochs", c.epochs());
        ArrayNode blocks = o.putArray("conv_blocks");
        for (ConvBlock b : c.convBlocks()) {
            blocks.addObject().put("filters", b.filters()).put("kernel", b.kernel()).put("stride", b.stride())
                    .put("padding", b.padding()).put("pooling", name(b.pooling())).put("pool", b.pool());
        }
        ArrayNode dense = o.putArray("dense_units");
        c.denseUnits().forEach(dense::add);
        o.put("dropout", c.dropout());
        o.put("l2", c.l2());
        o.put("batch_norm", c.batchNorm());
        o.put("activation", name(c.activation()));
        o.put("weight_init", name(c.weightInit()));
        o.put("seed", c.seed());
        o.put("validation_fraction", c.validationFraction());
        return o;
    }

    private static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}

package io.trainchain.trainer.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.LayerHelper;

import java.lang.reflect.Field;

/** Gives a DL4J layer another helper: DL4J picks helpers by fixed class names and offers no setter for the field. */
final class LayerHelpers {
    private LayerHelpers() {
    }

    /** Sets the field {@code helper} that {@code declaring} (the layer's DL4J class) holds it in. */
    static void replace(Layer layer, Class<? extends Layer> declaring, LayerHelper helper) {
        try {
            Field field = declaring.getDeclaredField("helper");
            field.setAccessible(true);
            field.set(layer, helper);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("could not give " + layer + " the helper "
                    + helper.getClass().getSimpleName() + " (DL4J changed?)", e);
        }
    }
}

package io.trainchain.trainer.train;

import io.trainchain.trainer.data.ImageSet;
import io.trainchain.trainer.data.PixelScaling;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns image indices into a scaled NCHW feature batch and one-hot labels. The Java-side buffers are reused from
 * batch to batch (one pair per batch size seen), so steady-state training allocates only ND4J's own copies.
 */
final class BatchAssembler {
    private final ImageSet set;
    private final float[][] table;
    private final int classes;
    private float[] features = new float[0];
    private float[] labels = new float[0];

    BatchAssembler(ImageSet set, PixelScaling scaling, int classes) {
        this.set = set;
        this.table = scaling.table();
        this.classes = classes;
    }

    /** Images {@code order[from..to)} as one batch. */
    DataSet batch(int[] order, int from, int to) {
        int n = to - from;
        int per = set.pixelsPerImage();
        int plane = set.height() * set.width();
        if (features.length != n * per) {
            features = new float[n * per];
            labels = new float[n * classes];
        } else {
            java.util.Arrays.fill(labels, 0f);
        }
        byte[] px = set.pixels();
        for (int i = 0; i < n; i++) {
            int img = order[from + i];
            int src = img * per;
            int dst = i * per;
            for (int c = 0; c < set.channels(); c++) {
                float[] t = table[c];
                int off = c * plane;
                for (int k = 0; k < plane; k++) {
                    features[dst + off + k] = t[px[src + off + k] & 0xFF];
                }
            }
            labels[i * classes + set.label(img)] = 1f;
        }
        INDArray f = Nd4j.create(features, new long[]{n, set.channels(), set.height(), set.width()}, 'c');
        INDArray l = Nd4j.create(labels, new long[]{n, classes}, 'c');
        return new DataSet(f, l);
    }
}

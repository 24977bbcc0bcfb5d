package io.trainchain.trainer.data;

/**
 * How a raw pixel byte becomes a network input: {@code (p / 255 - mean[c]) / std[c]}. Grayscale sets use mean 0 and
 * std 1 (plain 0..1 scaling); CIFAR is standardised per channel with statistics of its training images.
 */
public record PixelScaling(double[] mean, double[] std) {

    public static PixelScaling unit(int channels) {
        double[] m = new double[channels];
        double[] s = new double[channels];
        java.util.Arrays.fill(s, 1.0);
        return new PixelScaling(m, s);
    }

    /** Per-channel mean and standard deviation of {@code set}'s pixels on the 0..1 scale. */
    public static PixelScaling standardise(ImageSet set) {
        int c = set.channels();
        int plane = set.height() * set.width();
        double[] sum = new double[c];
        double[] sumSq = new double[c];
        byte[] px = set.pixels();
        for (int i = 0; i < set.size(); i++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (i * c + ch) * plane;
                long s = 0;
                long sq = 0;
                for (int k = 0; k < plane; k++) {
                    int v = px[base + k] & 0xFF;
                    s += v;
                    sq += (long) v * v;
                }
                sum[ch] += s;
                sumSq[ch] += sq;
            }
        }
        double n = (double) set.size() * plane;
        double[] mean = new double[c];
        double[] std = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double m = sum[ch] / n / 255.0;
            double var = sumSq[ch] / n / (255.0 * 255.0) - m * m;
            mean[ch] = m;
            std[ch] = Math.max(Math.sqrt(Math.max(var, 0)), 1e-6);
        }
        return new PixelScaling(mean, std);
    }

    /** Lookup table per channel: 256 floats, so scaling a batch is one array read per pixel. */
    public float[][] table() {
        float[][] t = new float[mean.length][256];
        for (int c = 0; c < mean.length; c++) {
            for (int v = 0; v < 256; v++) {
                t[c][v] = (float) ((v / 255.0 - mean[c]) / std[c]);
            }
        }
        return t;
    }
}

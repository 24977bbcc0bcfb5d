package io.trainchain.trainer.data;

/**
 * Images as raw bytes in NCHW order (one byte a pixel, 0..255) and their labels. Kept as bytes, not floats, so the
 * whole Fashion-MNIST training set is 47 MB instead of 188 MB; batches are scaled as they are assembled.
 */
public record ImageSet(byte[] pixels, byte[] labels, int channels, int height, int width) {

    public ImageSet {
        if ((long) labels.length * channels * height * width != pixels.length) {
            throw new IllegalArgumentException("pixels do not match " + labels.length + " images of " + channels + "×"
                    + height + "×" + width);
        }
    }

    public int size() {
        return labels.length;
    }

    public int pixelsPerImage() {
        return channels * height * width;
    }

    public int label(int i) {
        return labels[i] & 0xFF;
    }

    /** The first {@code n} images (all of them when n ≥ size). */
    public ImageSet first(int n) {
        if (n >= size()) {
            return this;
        }
        byte[] p = new byte[n * pixelsPerImage()];
        System.arraycopy(pixels, 0, p, 0, p.length);
        byte[] l = new byte[n];
        System.arraycopy(labels, 0, l, 0, n);
        return new ImageSet(p, l, channels, height, width);
    }

    /** The images at {@code indices}, in that order. */
    public ImageSet select(int[] indices) {
        int per = pixelsPerImage();
        byte[] p = new byte[indices.length * per];
        byte[] l = new byte[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * per, p, i * per, per);
            l[i] = labels[indices[i]];
        }
        return new ImageSet(p, l, channels, height, width);
    }
}

package io.trainchain.trainer.data;

import io.trainchain.trainer.BadInputException;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST (plain or gzipped): a big-endian magic (0x00000803 for images,
 * 0x00000801 for labels), the dimension sizes, then unsigned bytes.
 */
public final class IdxReader {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {
    }

    /** Images and labels of one split, checked against each other. */
    public static ImageSet read(Path imagesFile, Path labelsFile, java.util.List<FileDigest> digests) {
        DataFile images = DataFile.read(imagesFile);
        DataFile labels = DataFile.read(labelsFile);
        digests.add(images.digest());
        digests.add(labels.digest());
        int[] imageDims = header(images.content(), imagesFile, IMAGES_MAGIC, 3, "images");
        int[] labelDims = header(labels.content(), labelsFile, LABELS_MAGIC, 1, "labels");
        if (imageDims[0] != labelDims[0]) {
            throw new BadInputException(imagesFile + " holds " + imageDims[0] + " images but " + labelsFile + " holds "
                    + labelDims[0] + " labels. Use the images and labels files of the same split.");
        }
        int n = imageDims[0];
        int h = imageDims[1];
        int w = imageDims[2];
        byte[] px = new byte[n * h * w];
        System.arraycopy(images.content(), 16, px, 0, px.length);
        byte[] lb = new byte[n];
        System.arraycopy(labels.content(), 8, lb, 0, n);
        return new ImageSet(px, lb, 1, h, w);
    }

    /** Checks magic, rank and length; returns the dimension sizes. */
    static int[] header(byte[] data, Path file, int magic, int rank, String what) {
        if (data.length < 4 + 4 * rank) {
            throw new BadInputException(file + ": only " + data.length + " bytes, too short for an IDX " + what
                    + " header. The file is truncated: download or reinstall the dataset.");
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        int found = b.getInt();
        if (found != magic) {
            throw new BadInputException(String.format("%s: magic number 0x%08X, expected 0x%08X for IDX %s. "
                    + "This is not an IDX %s file (or the images and labels files were swapped).", file, found, magic,
                    what, what));
        }
        int[] dims = new int[rank];
        long expected = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = b.getInt();
            if (dims[i] <= 0) {
                throw new BadInputException(file + ": dimension " + i + " is " + dims[i] + " in the IDX header.");
            }
            expected *= dims[i];
        }
        long available = data.length - 4L - 4L * rank;
        if (available < expected) {
            throw new BadInputException(file + ": truncated: the header says " + describe(dims) + " (" + expected
                    + " bytes of data) but only " + available + " bytes follow. Download or reinstall the dataset.");
        }
        return dims;
    }

    private static String describe(int[] dims) {
        StringBuilder s = new StringBuilder().append(dims[0]).append(dims.length == 1 ? " items" : " items of ");
        for (int i = 1; i < dims.length; i++) {
            s.append(i > 1 ? "×" : "").append(dims[i]);
        }
        return s.toString();
    }
}

package io.trainchain.trainer.data;

import io.trainchain.trainer.BadInputException;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

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
    public static ImageSet read(Path imagesFile, Path labelsFile, List<FileDigest> digests) {
        return read(imagesFile, labelsFile, digests, 0);
    }

    /**
     * As {@link #read(Path, Path, List)}, the first {@code limit} items only (0 = all): the rest of each file is
     * digested but not inflated.
     */
    public static ImageSet read(Path imagesFile, Path labelsFile, List<FileDigest> digests, int limit) {
        Part images = Part.read(imagesFile, IMAGES_MAGIC, 3, "images", limit);
        Part labels = Part.read(labelsFile, LABELS_MAGIC, 1, "labels", limit);
        digests.add(images.file().digest());
        digests.add(labels.file().digest());
        if (images.dims()[0] != labels.dims()[0]) {
            throw new BadInputException(imagesFile + " holds " + images.dims()[0] + " images but " + labelsFile
                    + " holds " + labels.dims()[0] + " labels. Use the images and labels files of the same split.");
        }
        int n = images.items();
        int h = images.dims()[1];
        int w = images.dims()[2];
        byte[] px = new byte[n * h * w];
        System.arraycopy(images.file().content(), 16, px, 0, px.length);
        byte[] lb = new byte[n];
        System.arraycopy(labels.file().content(), 8, lb, 0, n);
        return new ImageSet(px, lb, 1, h, w);
    }

    /** One IDX file: its dimension sizes (from the header) and the number of items read. */
    private record Part(DataFile file, int[] dims, int items) {
        static Part read(Path path, int magic, int rank, String what, int limit) {
            int headLength = 4 + 4 * rank;
            int[][] dims = new int[1][];
            DataFile file = DataFile.read(path, headLength, head -> {
                dims[0] = header(head, path, magic, rank, what);
                long items = limit > 0 ? Math.min(limit, dims[0][0]) : dims[0][0];
                return new DataFile.Extent(headLength + items * itemBytes(dims[0]), items == dims[0][0]);
            });
            if (dims[0] == null) { // shorter than a header: header() names it
                dims[0] = header(file.content(), path, magic, rank, what);
            }
            int items = limit > 0 ? Math.min(limit, dims[0][0]) : dims[0][0];
            long available = file.content().length - (long) headLength;
            if (available < items * itemBytes(dims[0])) {
                throw new BadInputException(path + ": truncated: the header says " + describe(dims[0]) + " ("
                        + dims[0][0] * itemBytes(dims[0]) + " bytes of data) but only " + available
                        + " bytes follow. Download or reinstall the dataset.");
            }
            return new Part(file, dims[0], items);
        }
    }

    private static long itemBytes(int[] dims) {
        long n = 1;
        for (int i = 1; i < dims.length; i++) {
            n *= dims[i];
        }
        return n;
    }

    /** Checks the header's length, magic and rank; returns the dimension sizes. */
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
        for (int i = 0; i < rank; i++) {
            dims[i] = b.getInt();
            if (dims[i] <= 0) {
                throw new BadInputException(file + ": dimension " + i + " is " + dims[i] + " in the IDX header.");
            }
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

package io.trainchain.trainer.data;

import io.trainchain.trainer.BadInputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds and loads a dataset folder: IDX files (MNIST / Fashion-MNIST, plain or .gz) or CIFAR-10 binary files (also
 * inside a cifar-10-batches-bin subfolder, as the official archive extracts).
 */
public final class DatasetLoader {
    /** Debian's dataset-fashion-mnist package. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /**
     * SHA-256 of Fashion-MNIST's train-images-idx3-ubyte, gzipped (as published and as Debian ships it) and plain:
     * the folder name tells nothing in a container, where the data is always mounted at /data.
     */
    static final Set<String> FASHION_TRAIN_IMAGES_SHA256 = Set.of(
            "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
            "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888");
    static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private DatasetLoader() {
    }

    /**
     * @param limit at most this many training images and this many test images (0 = all), for fast runs
     */
    public static Dataset load(Path dir, int limit) {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException(dir + ": dataset folder not found. Pass --data with a folder of IDX files "
                    + "(e.g. /usr/share/datasets/fashion-mnist, from Debian's dataset-fashion-mnist) or CIFAR-10 "
                    + "binary files.");
        }
        Path cifar = dir.resolve("cifar-10-batches-bin");
        if (Files.isDirectory(cifar)) {
            return cifar(cifar, limit);
        }
        if (CifarReader.looksLikeCifar(dir)) {
            return cifar(dir, limit);
        }
        if (find(dir, "train-images-idx3-ubyte") != null || find(dir, "train-images.idx3-ubyte") != null) {
            return idx(dir, limit);
        }
        throw new BadInputException(dir + ": no dataset found. Expected train-images-idx3-ubyte[.gz], "
                + "train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz] (IDX), or "
                + "data_batch_1..5.bin, test_batch.bin, batches.meta.txt (CIFAR-10 binary).");
    }

    private static Dataset idx(Path dir, int limit) {
        List<FileDigest> digests = new ArrayList<>();
        ImageSet train = IdxReader.read(required(dir, "train-images-idx3-ubyte"), required(dir, "train-labels-idx1-ubyte"),
                digests, limit);
        ImageSet test = IdxReader.read(required(dir, "t10k-images-idx3-ubyte"), required(dir, "t10k-labels-idx1-ubyte"),
                digests, limit);
        boolean fashion = FASHION_TRAIN_IMAGES_SHA256.contains(digests.get(0).sha256())
                || dir.toAbsolutePath().toString().toLowerCase(Locale.ROOT).contains("fashion");
        String name = fashion ? "fashion-mnist" : "mnist";
        List<String> classes = fashion ? FASHION_CLASSES
                : List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        return limited(new Dataset(name, train, test, classes, PixelScaling.unit(1),
                new DatasetIdentity(name, "idx", dir.toAbsolutePath().toString(), digests)), limit);
    }

    private static Dataset cifar(Path dir, int limit) {
        CifarReader.requireAll(dir);
        List<FileDigest> digests = new ArrayList<>();
        List<String> classes = CifarReader.classNames(dir, digests);
        ImageSet train = CifarReader.read(dir, CifarReader.TRAIN_FILES, digests);
        ImageSet test = CifarReader.read(dir, List.of(CifarReader.TEST_FILE), digests);
        Dataset d = limited(new Dataset("cifar-10", train, test, classes, PixelScaling.unit(3),
                new DatasetIdentity("cifar-10", "cifar-binary", dir.toAbsolutePath().toString(), digests)), limit);
        // Standardise per channel with the (possibly limited) training images' own statistics.
        return new Dataset(d.name(), d.train(), d.test(), d.classNames(), PixelScaling.standardise(d.train()),
                d.identity());
    }

    private static Dataset limited(Dataset d, int limit) {
        return limit > 0 ? d.withTrain(d.train().first(limit), d.test().first(limit)) : d;
    }

    /** The file {@code base} as stored: plain, .gz, or with the dot-style name some mirrors use. */
    private static Path find(Path dir, String base) {
        for (String name : List.of(base, base + ".gz", base.replace("-idx", ".idx"), base.replace("-idx", ".idx") + ".gz")) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static Path required(Path dir, String base) {
        Path p = find(dir, base);
        if (p == null) {
            throw new BadInputException(dir.resolve(base + ".gz") + ": data file not found (looked for " + base
                    + " and " + base + ".gz). The IDX dataset needs all four files: train/t10k images and labels.");
        }
        return p;
    }
}

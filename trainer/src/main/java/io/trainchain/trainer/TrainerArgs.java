package io.trainchain.trainer;

import java.nio.file.Path;

/**
 * The trainer's command line:
 * {@code --out DIR [--data DIR|auto] [--params FILE] [--limit N] [--resume] [--download-cifar]}.
 */
public record TrainerArgs(Path data, Path out, Path params, int limit, boolean resume, boolean downloadCifar) {

    static final String USAGE = "usage: trainer --out DIR [--data DIR|auto] [--params params.json] [--limit N] "
            + "[--resume] [--download-cifar]";

    public static TrainerArgs parse(String[] args) {
        Path data = null;
        Path out = null;
        Path params = null;
        int limit = 0;
        boolean resume = false;
        boolean download = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--data" -> {
                    String v = value(args, ++i, a);
                    data = v.equals("auto") ? null : Path.of(v);
                }
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--params" -> params = Path.of(value(args, ++i, a));
                case "--limit" -> {
                    String v = value(args, ++i, a);
                    try {
                        limit = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        limit = -1;
                    }
                    if (limit < 0) {
                        throw new BadInputException("--limit " + v + ": expected a whole number ≥ 0 (0 = all images).");
                    }
                }
                case "--resume" -> resume = true;
                case "--download-cifar" -> download = true;
                default -> throw new BadInputException("unknown argument '" + a + "'. " + USAGE);
            }
        }
        if (out == null) {
            throw new BadInputException("--out DIR is required: the folder for metrics, checkpoints and the model. "
                    + USAGE);
        }
        if (download && data == null) {
            throw new BadInputException("--download-cifar needs --data DIR: the folder to download CIFAR-10 into.");
        }
        return new TrainerArgs(data, out, params, limit, resume, download);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new BadInputException(flag + " needs a value. " + USAGE);
        }
        return args[i];
    }
}

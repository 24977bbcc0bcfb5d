package io.trainchain.trainer;

import io.trainchain.trainer.train.CheckpointPolicy;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The trainer's command line:
 * {@code --out DIR [--data DIR|auto] [--params FILE] [--limit N] [--resume] [--download-cifar]
 * [--checkpoint-every-epochs N] [--checkpoint-every-minutes M] [--standby FILE]}, or
 * {@code --evaluate MODEL --out DIR [--data DIR] [--limit N]}.
 *
 * @param standby  a hot standby: start up, then wait until FILE exists and resume from then (implies --resume)
 * @param evaluate a saved model to evaluate on the test images instead of training (the registry's champion on a
 *                 challenger's test set)
 */
public record TrainerArgs(Path data, Path out, Path params, int limit, boolean resume, boolean downloadCifar,
                          CheckpointPolicy checkpoints, Path standby, Path evaluate) {

    public TrainerArgs(Path data, Path out, Path params, int limit, boolean resume, boolean downloadCifar,
                       CheckpointPolicy checkpoints) {
        this(data, out, params, limit, resume, downloadCifar, checkpoints, null, null);
    }

    static final String USAGE = "usage: trainer --out DIR [--data DIR|auto] [--params params.json] [--limit N] "
            + "[--resume] [--download-cifar] [--checkpoint-every-epochs N] [--checkpoint-every-minutes M] "
            + "[--standby FILE] | trainer --evaluate model.zip --out DIR [--data DIR] [--limit N]";
    /** Plain decimals only: Double.parseDouble would also take "NaN", "1e3", "0x1p3" and "2d". */
    private static final Pattern DECIMAL = Pattern.compile("\\d{1,9}(\\.\\d*)?|\\.\\d+");

    public static TrainerArgs parse(String[] args) {
        Path data = null;
        Path out = null;
        Path params = null;
        int limit = 0;
        boolean resume = false;
        boolean download = false;
        int everyEpochs = 1;
        double everyMinutes = 0;
        Path standby = null;
        Path evaluate = null;
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
                case "--checkpoint-every-epochs" -> {
                    String v = value(args, ++i, a);
                    everyEpochs = v.matches("\\d{1,9}") ? Integer.parseInt(v) : 0;
                    if (everyEpochs < 1) {
                        throw new BadInputException("--checkpoint-every-epochs " + v + ": expected a whole number ≥ 1 "
                                + "(a checkpoint after every N-th epoch; default 1).");
                    }
                }
                case "--checkpoint-every-minutes" -> {
                    String v = value(args, ++i, a);
                    everyMinutes = DECIMAL.matcher(v).matches() ? Double.parseDouble(v) : 0;
                    if (!(everyMinutes > 0)) {
                        throw new BadInputException("--checkpoint-every-minutes " + v + ": expected a decimal number "
                                + "> 0, e.g. 0.5 or 10 (also a checkpoint mid-epoch once that many minutes have passed "
                                + "since the last one; default off).");
                    }
                }
                case "--standby" -> standby = Path.of(value(args, ++i, a));
                case "--evaluate" -> evaluate = Path.of(value(args, ++i, a));
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
        if (download && standby != null) {
            throw new BadInputException("--standby and --download-cifar do not go together: a standby must not "
                    + "write before it is activated; download the data first.");
        }
        if (evaluate != null && (resume || standby != null || download || params != null)) {
            throw new BadInputException("--evaluate only evaluates a saved model: it takes --out, --data and --limit, "
                    + "not --resume, --standby, --download-cifar or --params.");
        }
        return new TrainerArgs(data, out, params, limit, resume || standby != null, download,
                new CheckpointPolicy(everyEpochs, everyMinutes), standby, evaluate);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new BadInputException(flag + " needs a value. " + USAGE);
        }
        return args[i];
    }
}

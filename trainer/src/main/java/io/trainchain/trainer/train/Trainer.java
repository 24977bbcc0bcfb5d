package io.trainchain.trainer.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainchain.trainer.BadInputException;
import io.trainchain.trainer.config.ConfigJson;
import io.trainchain.trainer.config.ConfigReader;
import io.trainchain.trainer.config.TrainConfig;
import io.trainchain.trainer.data.Dataset;
import io.trainchain.trainer.data.DatasetLoader;
import io.trainchain.trainer.data.ImageSet;
import io.trainchain.trainer.model.NetworkFactory;
import io.trainchain.trainer.runtime.OneDnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The training loop, in the plain style of the DL4J examples: load, split, build (or restore), then per epoch fit,
 * validate, write metrics and (per {@link CheckpointPolicy}) a checkpoint, with time-based ones between batches too;
 * at the end save the model and evaluate the test set once.
 *
 * <p>Reproducibility: the validation split and each epoch's data order derive from the seed and the epoch number,
 * dropout's RNG from the seed, epoch and batch, so a run resumed from a checkpoint after any batch repeats exactly
 * what an uninterrupted run does.
 */
public final class Trainer {
    static final int EVAL_BATCH = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Consumer<String> log;

    public Trainer(Consumer<String> log) {
        this.log = log;
    }

    /** Trains and evaluates; returns the evaluation.json content. */
    public ObjectNode run(TrainRequest req) throws IOException {
        return run(req, DatasetLoader.load(req.dataDir(), req.limit()));
    }

    /** As {@link #run(TrainRequest)}, on the data of {@code req.dataDir()} and {@code req.limit()}, already loaded. */
    public ObjectNode run(TrainRequest req, Dataset data) throws IOException {
        TrainConfig cfg = req.config();
        Files.createDirectories(req.outDir());
        Split split = Split.of(data.train().size(), cfg.validationFraction(), cfg.seed());
        ImageSet train = data.train().select(split.train());
        ImageSet validation = data.train().select(split.validation());
        log.accept(String.format("data: %s, %d training, %d validation, %d test images of %d×%d×%d, %d classes",
                data.name(), train.size(), validation.size(), data.test().size(), train.channels(), train.height(),
                train.width(), data.numClasses()));

        OneDnn.enableHelpers();
        Checkpoints checkpoints = new Checkpoints(req.outDir().resolve("checkpoints"), w -> log.accept("warning: " + w));
        int batches = (train.size() + cfg.batchSize() - 1) / cfg.batchSize();
        MultiLayerNetwork net;
        Progress progress = Progress.fresh();
        if (req.standby() != null) {
            StandbySignal.await(req.standby(), log);
        }
        long restoring = System.nanoTime();
        // A checkpoint of these params is restored onto the network a fresh start builds: no parsing of DL4J's JSON.
        Optional<Checkpoints.Loaded> resumed = req.resume() ? checkpoints.loadLatest((state, file) -> {
            requireSameRun(state, file, cfg, train.size(), batches);
            return NetworkFactory.configuration(cfg, train.channels(), train.height(), train.width(),
                    data.numClasses());
        }) : Optional.empty();
        if (resumed.isPresent()) {
            Checkpoints.Loaded c = resumed.get();
            net = c.net();
            progress = Progress.of(c.state());
            log.accept(String.format(Locale.ROOT, "resuming from %s after epoch %d, batch %d (iteration %d); "
                    + "restored in %.2f s", c.file().getFileName(), progress.epoch(), progress.batch(),
                    c.state().iteration(), (System.nanoTime() - restoring) / 1e9));
        } else {
            if (req.resume()) {
                log.accept("no checkpoint to resume from in " + req.outDir().resolve("checkpoints")
                        + "; starting fresh");
            }
            net = NetworkFactory.build(cfg, train.channels(), train.height(), train.width(), data.numClasses());
        }
        log.accept("network: " + net.numParams() + " parameters, helpers " + OneDnn.helpers(net));

        BatchAssembler trainBatches = new BatchAssembler(train, data.scaling(), data.numClasses());
        JsonNode params = ConfigJson.toJson(cfg);
        int startEpoch = progress.epoch();
        boolean firstStep = true;
        CheckpointSchedule schedule = new CheckpointSchedule(req.checkpoints(), checkpoints, log);
        try (MetricsWriter metrics = MetricsWriter.open(req.outDir().resolve("metrics.jsonl"), startEpoch)) {
            while (progress.epoch() < cfg.epochs()) {
                int epoch = progress.epoch();
                progress.clockOn();
                int[] order = permutation(train.size(), new Random(cfg.seed() * 31L + epoch + 1));
                for (int b = progress.batch(); b < batches; b++) {
                    int from = b * cfg.batchSize();
                    int to = Math.min(order.length, from + cfg.batchSize());
                    // Dropout draws from ND4J's RNG: reseeded per batch from (seed, epoch, batch), a resume at any
                    // batch draws what an uninterrupted run draws, with no RNG state saved. Costs ~0.2 µs a call.
                    Nd4j.getRandom().setSeed(batchSeed(cfg.seed(), epoch, b));
                    net.fit(trainBatches.batch(order, from, to));
                    progress.batchDone(to - from, net.score());
                    if (firstStep) {
                        firstStep = false;
                        log.accept(String.format(Locale.ROOT, "first training step done %.2f s after the JVM started",
                                (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime())
                                        / 1000.0));
                    }
                    if (b + 1 < batches && schedule.dueMidEpoch()) {
                        progress.clockOff(); // writing a checkpoint is not training
                        schedule.write(net, progress.state(net.getIterationCount(), cfg.seed(), train.size(), params));
                        progress.clockOn();
                    }
                }
                progress.clockOff();
                net.incrementEpochCount();
                if (epoch == startEpoch) {
                    OneDnn.requireHelpers(net); // helpers are created lazily: check after the first real step
                }
                long validating = System.nanoTime();
                Scored val = validation.size() > 0 ? score(net, validation, data) : null;
                double trainedSeconds = progress.epochNanos() / 1e9;
                EpochMetrics m = new EpochMetrics(epoch + 1, progress.lossSum() / Math.max(1, train.size()),
                        val == null ? Double.NaN : val.loss(), val == null ? Double.NaN : val.metrics().accuracy(),
                        val == null ? Double.NaN : val.metrics().macroF1(),
                        trainedSeconds + (System.nanoTime() - validating) / 1e9, train.size() / trainedSeconds);
                // Metrics before the checkpoint: a kill in between repeats the epoch, and the reopened writer drops
                // its line, so no epoch is ever reported twice.
                metrics.write(m);
                progress.epochDone();
                if (schedule.dueAtEpochEnd(progress.epoch())) {
                    schedule.write(net, progress.state(net.getIterationCount(), cfg.seed(), train.size(), params));
                }
                String validated = val == null ? "no validation split"
                        : String.format("val_loss %.4f val_accuracy %.4f val_macro_f1 %.4f", m.valLoss(),
                        m.valAccuracy(), m.valMacroF1());
                log.accept(String.format("epoch %d/%d: train_loss %.4f %s, %.1f s, %.0f images/s", m.epoch(),
                        cfg.epochs(), m.trainLoss(), validated, m.seconds(), m.imagesPerSecond()));
            }
        }

        Path model = req.outDir().resolve("model.zip");
        AtomicFiles.write(model, tmp -> {
            ModelSerializer.writeModel(net, tmp.toFile(), true);
            SavedModelEvaluation.addScaling(tmp, data.scaling());
        });
        Scored test = score(net, data.test(), data);
        ObjectNode evaluation = Evaluation.toJson(test.metrics(), test.loss(), data, cfg, train.size(),
                validation.size(), cfg.epochs(), progress.trainingNanos() / 1e9);
        AtomicFiles.writeString(req.outDir().resolve("evaluation.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(evaluation));
        log.accept(String.format("test: accuracy %.4f, macro F1 %.4f on %d images; wrote %s and evaluation.json",
                test.metrics().accuracy(), test.metrics().macroF1(), data.test().size(), model.getFileName()));
        return evaluation;
    }

    private static void requireSameRun(CheckpointState s, Path file, TrainConfig cfg, int trainImages, int batches) {
        // Compared as configs, not JSON trees: a number read back may be an int node where a long was written.
        TrainConfig then = ConfigReader.parse(s.params(), file + " (its params)");
        if (!then.withEpochs(cfg.epochs()).equals(cfg)) {
            throw new BadInputException(file + " was made with other params (" + s.params() + "); resume "
                    + "with the same params (only epochs may change) or start fresh without --resume.");
        }
        if (s.trainImages() != trainImages) {
            throw new BadInputException(file + " was made on " + s.trainImages() + " training images, this "
                    + "run has " + trainImages + "; resume with the same data and --limit, or start fresh.");
        }
        if (s.batch() < 0 || s.batch() >= Math.max(1, batches)) {
            throw new BadInputException(file + " is " + s.batch() + " batches into an epoch of " + batches
                    + "; delete it or start fresh without --resume.");
        }
        if (s.batch() > 0 && s.epoch() >= cfg.epochs()) {
            throw new BadInputException(file + " is inside epoch " + (s.epoch() + 1) + ", beyond the " + cfg.epochs()
                    + " epochs asked for; resume with \"epochs\" ≥ " + (s.epoch() + 1) + " or start fresh.");
        }
    }

    /** Scores of a model on a whole image set. */
    public record Scored(ClassificationMetrics metrics, double loss) {
    }

    /** Test-set scores of a saved model (model.zip or a checkpoint) on {@code data}'s test images. */
    public static Scored evaluate(Path model, Dataset data) throws IOException {
        return score(ModelSerializer.restoreMultiLayerNetwork(model.toFile(), false), data.test(), data);
    }

    /** Predictions and mean cross-entropy (no regularisation term) over a whole set, in large inference batches. */
    public static Scored score(MultiLayerNetwork net, ImageSet set, Dataset data) {
        int n = set.size();
        int classes = data.numClasses();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int[] truth = new int[n];
        int[] predicted = new int[n];
        double loss = 0;
        BatchAssembler batches = new BatchAssembler(set, data.scaling(), classes);
        for (int from = 0; from < n; from += EVAL_BATCH) {
            int to = Math.min(n, from + EVAL_BATCH);
            DataSet b = batches.batch(order, from, to);
            INDArray out = net.output(b.getFeatures(), false);
            float[] p = out.dup('c').data().asFloat();
            for (int i = 0; i < to - from; i++) {
                int best = 0;
                for (int k = 1; k < classes; k++) {
                    if (p[i * classes + k] > p[i * classes + best]) {
                        best = k;
                    }
                }
                int label = set.label(from + i);
                truth[from + i] = label;
                predicted[from + i] = best;
                loss -= Math.log(Math.max(p[i * classes + label], 1e-12f));
            }
        }
        return new Scored(ClassificationMetrics.of(truth, predicted, classes), n == 0 ? Double.NaN : loss / n);
    }

    /** ND4J's seed for batch {@code batch} of epoch {@code epoch} (0-based): SplitMix64 over the three. */
    static long batchSeed(long seed, int epoch, int batch) {
        long z = seed * 0x9E3779B97F4A7C15L + (((long) epoch << 32) | (batch & 0xFFFFFFFFL));
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static int[] permutation(int n, Random rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}

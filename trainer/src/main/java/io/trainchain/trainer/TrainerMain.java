package io.trainchain.trainer;

import io.trainchain.trainer.config.ConfigReader;
import io.trainchain.trainer.config.TrainConfig;
import io.trainchain.trainer.data.CifarDownloader;
import io.trainchain.trainer.data.Dataset;
import io.trainchain.trainer.data.DatasetLoader;
import io.trainchain.trainer.runtime.Cpus;
import io.trainchain.trainer.runtime.OneDnn;
import io.trainchain.trainer.runtime.Relauncher;
import io.trainchain.trainer.train.SavedModelEvaluation;
import io.trainchain.trainer.train.TrainRequest;
import io.trainchain.trainer.train.Trainer;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/** Entry point of the trainer: turns every failure into one message and a documented exit code. */
public final class TrainerMain {
    private TrainerMain() {
    }

    public static void main(String[] args) {
        Cpus.available(); // before ND4J pins this thread (see Cpus)
        Optional<Integer> relaunched = Relauncher.relaunchIfNeeded(TrainerMain.class.getName(), args);
        if (relaunched.isPresent()) {
            System.exit(relaunched.get());
        }
        System.exit(run(args));
    }

    static int run(String[] args) {
        try {
            TrainerArgs a = TrainerArgs.parse(args);
            TrainConfig cfg = a.params() == null ? TrainConfig.defaults() : ConfigReader.read(a.params());
            Path data = a.data() == null ? DatasetLoader.DEFAULT_DIR : a.data();
            if (a.downloadCifar()) {
                data = CifarDownloader.official(TrainerMain::say).ensure(data);
            }
            // Read the data on a second thread while ND4J loads its native libraries (~0.5 s on one core). Started
            // before ND4J so that OpenMP, which pins the threads the main thread starts later, leaves it unpinned.
            Path dataDir = data;
            FutureTask<Dataset> loading = new FutureTask<>(() -> DatasetLoader.load(dataDir, a.limit()));
            Thread loader = new Thread(loading, "trainchain-data");
            loader.setDaemon(true);
            loader.start();
            OneDnn.enableHelpers();
            describeRuntime();
            if (a.evaluate() != null) {
                SavedModelEvaluation.run(a.evaluate(), a.out(), loaded(loading), TrainerMain::say);
                return ExitCode.DONE;
            }
            new Trainer(TrainerMain::say).run(
                    new TrainRequest(data, a.out(), cfg, a.limit(), a.resume(), a.checkpoints(), a.standby()), loaded(loading));
            return ExitCode.DONE;
        } catch (BadInputException e) {
            System.err.println("error: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        } catch (Throwable t) {
            if (isOutOfMemory(t)) {
                System.err.println("error: out of memory (" + t.getMessage() + "). Raise the memory limit (JVM heap: "
                        + "-Xmx; ND4J off-heap: -Dorg.bytedeco.javacpp.maxbytes) or lower batch_size.");
                return ExitCode.OUT_OF_MEMORY;
            }
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            System.err.println("error: the trainer failed unexpectedly: " + t);
            t.printStackTrace();
            return ExitCode.INTERNAL;
        }
    }

    /** The loader's result, or the exception it threw (a BadInputException stays one: exit 2). */
    private static Dataset loaded(FutureTask<Dataset> loading) throws InterruptedException {
        try {
            return loading.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("loading the data failed", e.getCause());
        }
    }

    static boolean isOutOfMemory(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }

    /** One line on what runs: CPUs, OpenMP settings, ND4J backend and BLAS, so a slow run is explained at a glance. */
    private static void describeRuntime() {
        var env = Nd4j.getExecutioner().getEnvironmentInformation();
        say(String.format("runtime: %d CPUs (cgroup-aware), OMP_NUM_THREADS=%s, OMP_PROC_BIND=%s, GOMP_SPINCOUNT=%s, backend %s, "
                        + "BLAS %s, "
                        + "oneDNN %s, Java %s",
                Cpus.available(), System.getenv("OMP_NUM_THREADS"), System.getenv("OMP_PROC_BIND"),
                System.getenv("GOMP_SPINCOUNT"),
                env.getOrDefault("backend", Nd4j.getBackend().getClass().getSimpleName()),
                env.getOrDefault("blas.vendor", "?"),
                OneDnn.cpuBackend() ? "helpers on" : "n/a", System.getProperty("java.version")));
    }

    static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}

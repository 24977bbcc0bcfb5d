package io.trainchain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainchain.engine.host.HostTrainRequest;
import io.trainchain.engine.host.HostTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code trainchain train}: runs the built-in DL4J trainer on this machine and prints its evaluation. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the built-in DL4J CNN on this machine (no container) and print the evaluation.")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--data", description = "Dataset folder: IDX (Fashion-MNIST/MNIST) or CIFAR-10 binary. "
            + "Default: /usr/share/datasets/fashion-mnist.")
    Path data;

    @Option(names = "--out", description = "Output folder (metrics.jsonl, checkpoints/, model.zip, evaluation.json). "
            + "Default: ${DEFAULT-VALUE}.", defaultValue = "trainchain-out")
    Path out;

    @Option(names = "--params", description = "Hyperparameters (params.json). Default: the built-in config.")
    Path params;

    @Option(names = "--limit", description = "At most N training and N test images (0 = all).", defaultValue = "0")
    int limit;

    @Option(names = "--resume", description = "Continue from the newest valid checkpoint in --out.")
    boolean resume;

    @Option(names = "--cpus", description = "Training threads. Default: the CPUs this process may use.")
    Integer cpus;

    @Option(names = "--trainer-dist", description = "Folder with trainchain-trainer.jar and lib/.")
    Path trainerDist;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintStream o = System.out;
        int threads = cpus != null ? cpus : Runtime.getRuntime().availableProcessors();
        if (threads < 1) {
            System.err.println("error: --cpus " + threads + ": use 1 or more.");
            return 2;
        }
        HostTrainRequest req = new HostTrainRequest(trainerDist != null ? trainerDist : Locations.trainerDist(),
                Optional.ofNullable(data), out.toAbsolutePath(), Optional.ofNullable(params), limit, resume, threads);
        int code = HostTrainer.run(req, o::println);
        if (code != 0) {
            System.err.println("error: the trainer exited with code " + code + " (2 bad input, 3 out of memory, "
                    + "1 other; see its message above)");
            return code;
        }
        printEvaluation(out.resolve("evaluation.json"), o);
        return 0;
    }

    static void printEvaluation(Path file, PrintStream o) throws IOException {
        JsonNode e = new ObjectMapper().readTree(Files.readString(file));
        o.println();
        o.printf("Evaluation (%s, %d test images): accuracy %.4f, macro F1 %.4f%n", e.at("/dataset/name").asText(),
                e.path("test_images").asInt(), e.path("accuracy").asDouble(), e.path("macro_f1").asDouble());
        o.printf("  %-14s %9s %9s %9s %8s%n", "class", "precision", "recall", "f1", "support");
        for (JsonNode c : e.path("per_class")) {
            o.printf("  %-14s %9.4f %9.4f %9.4f %8d%n", c.path("class").asText(), c.path("precision").asDouble(),
                    c.path("recall").asDouble(), c.path("f1").asDouble(), c.path("support").asLong());
        }
        o.println("Model: " + file.resolveSibling("model.zip"));
    }
}

package io.trainchain.cli;

import io.trainchain.engine.store.AttemptRecord;
import io.trainchain.engine.store.EpochMetrics;
import io.trainchain.engine.store.ModelRecord;
import io.trainchain.engine.store.RunRecord;
import io.trainchain.engine.store.RunStore;
import io.trainchain.engine.store.StepTiming;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code trainchain runs show ID}: everything recorded about one run. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show one recorded run.")
final class RunsShowCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ID", description = "The run id (as listed by 'trainchain runs').")
    String id;

    @Mixin
    StoreOption store = new StoreOption();

    @Override
    public Integer call() {
        return store.withExisting((runs, db) -> {
            Optional<RunRecord> run = runs.getRun(id);
            if (run.isEmpty()) {
                System.err.println("error: no run " + id + " in " + db + "; `trainchain runs` lists the ids");
                return ExitCodes.BAD_INPUT;
            }
            print(run.get(), System.out);
            lineage(runs, run.get(), System.out);
            return 0;
        });
    }

    static void print(RunRecord r, PrintStream o) {
        o.println("run        " + r.id() + "  " + r.status());
        o.println("trigger    " + r.trigger());
        o.println("repository " + r.repository() + (r.git() == null ? "" : "  " + r.git().branch() + " @ "
                + r.git().commitId() + (r.git().dirty() ? " (uncommitted changes)" : "")));
        o.println("started    " + RunsCommand.TIME.format(r.startedAt()) + " UTC"
                + (r.finishedAt() == null ? "" : ", finished " + RunsCommand.TIME.format(r.finishedAt()) + " UTC"));
        o.println("framework  " + (r.framework() == null ? "-" : r.framework()));
        o.println("dataset    " + (r.dataset() == null ? "-" : r.dataset().name()));
        o.println("params     " + (r.paramsJson() == null ? "-" : r.paramsJson()));
        o.println("image      " + (r.imageId() == null ? "-" : r.imageId()));
        if (r.gate() != null) {
            o.printf(Locale.ROOT, "gate       %s %s, threshold %s (%s)%n", r.gate().metric(),
                    r.gate().value() == null ? "n/a" : String.format(Locale.ROOT, "%.4f", r.gate().value()),
                    RunSummary.threshold(r.gate().threshold()), r.gate().status());
        }
        r.metrics().forEach((k, v) -> o.printf(Locale.ROOT, "metric     %s %.4f%n", k, v));
        o.println("message    " + (r.message() == null ? "-" : r.message()));
        for (StepTiming s : r.steps()) {
            o.printf(Locale.ROOT, "step       %-18s %8.2f s  %s%n", s.step(), s.duration().toMillis() / 1000.0,
                    s.outcome() == null ? "" : s.outcome().lines().findFirst().orElse(""));
        }
        for (EpochMetrics e : r.epochs()) {
            o.printf(Locale.ROOT, "epoch      %d  val_accuracy %s  train_loss %s  %s s%n", e.epoch(),
                    e.valAccuracy(), e.trainLoss(), e.seconds());
        }
        r.attempts().forEach(a -> o.println("attempt    " + attempt(a)));
        r.artifacts().forEach(a -> o.println("artifact   " + a));
    }

    /** Where the run sits in the lineage: the search and trial it was, the model versions it registered. */
    static void lineage(RunStore runs, RunRecord r, PrintStream o) {
        runs.environment(r.id()).ifPresent(e -> {
            o.println("image tag  " + e.imageTag() + " (content hash " + e.imageHash() + ")");
            o.println("trainer    " + e.trainer());
            o.println("limits     " + e.limits());
        });
        runs.trialOf(r.id()).ifPresent(t -> o.println("search     " + t.searchId() + ", trial " + t.number()
                + runs.getSearch(t.searchId()).map(s -> " (" + s.strategy() + ", " + s.status()
                + (r.id().equals(s.bestRunId()) ? ", its best trial" : "") + ")").orElse("")));
        for (ModelRecord m : runs.modelsOfRun(r.id())) {
            boolean champion = runs.alias(m.name(), "champion").orElse(-1) == m.version();
            o.println("registered " + m.label() + (champion ? " (champion)" : "") + ", sha256 " + m.sha256()
                    + ", " + m.path());
        }
        if (r.dataset() != null && r.dataset().json() != null) {
            o.println("data       " + r.dataset().json());
        }
    }

    /** e.g. "2: KILLED exit 137, resumed from checkpoint-epoch-0001.zip, lost 3.2 s, 41.0 s, container 1a2b3c4d5e6f". */
    static String attempt(AttemptRecord a) {
        String head = a.attempt() + ": " + a.cause() + (a.exitCode() == null ? "" : " exit " + a.exitCode())
                + (a.oomKilled() ? " OOM-killed" : "");
        List<String> parts = new ArrayList<>(List.of(head));
        if (a.memoryBytes() != null) {
            parts.add(String.format(Locale.ROOT, "memory %.1f MiB", a.memoryBytes() / (1024.0 * 1024.0)));
        }
        if (a.resumedFrom() != null) {
            parts.add("resumed from " + a.resumedFrom());
        }
        if (a.lostSeconds() != null) {
            parts.add(String.format(Locale.ROOT, "lost %.1f s", a.lostSeconds()));
        }
        parts.add(String.format(Locale.ROOT, "%.1f s", a.seconds()));
        if (a.containerId() != null) {
            // Docker's short form: the full 64-hex id makes the line unreadable.
            parts.add("container " + a.containerId().substring(0, Math.min(12, a.containerId().length())));
        }
        String message = a.message() == null ? "" : a.message().lines().findFirst().orElse("");
        return String.join(", ", parts) + (message.isBlank() ? "" : " — " + message);
    }
}

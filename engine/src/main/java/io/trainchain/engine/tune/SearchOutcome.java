package io.trainchain.engine.tune;

import io.trainchain.engine.store.RunStatus;
import io.trainchain.engine.store.SearchRecord.TrialStatus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/** A search's trials at its end: the best one, kept with its files; the others' checkpoints removed. */
final class SearchOutcome {
    /** The best trial's files, copied under the search's folder so cleaning trials never loses them. */
    static final String BEST_DIR = "best";

    private final TuneSettings settings;
    private final List<TrialSummary> trials;

    SearchOutcome(TuneSettings settings, List<TrialSummary> trials) {
        this.settings = settings;
        this.trials = trials;
    }

    /** The completed trial with the best gate metric; the earlier one on a tie. */
    Optional<TrialSummary> best() {
        Comparator<TrialSummary> byValue = Comparator.comparingDouble(TrialSummary::value);
        if (settings.higherIsBetter()) {
            byValue = byValue.reversed();
        }
        return trials.stream().filter(t -> t.status() == TrialStatus.COMPLETED && t.value() != null)
                .min(byValue.thenComparingInt(TrialSummary::number));
    }

    /** Copies the best trial's model, evaluation and params into BEST_DIR; removes the others' checkpoints. */
    void keepBest(Path searchDir, TuneListener out) {
        Optional<TrialSummary> best = best();
        if (best.isPresent()) {
            Path train = best.get().runDir().resolve("train");
            Path target = searchDir.resolve(BEST_DIR);
            try {
                Files.createDirectories(target);
                for (Path f : List.of(train.resolve("evaluation.json"), train.resolve("metrics.jsonl"),
                        best.get().runDir().resolve("params.json"))) {
                    if (Files.isRegularFile(f)) {
                        Files.copy(f, target.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                Path model = best.get().model();
                if (model != null && Files.isRegularFile(model)) {
                    Files.copy(model, target.resolve(model.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
                out.log(TuneListener.STEP, "best: trial " + best.get().number() + ", kept in " + target);
            } catch (IOException e) {
                out.log(TuneListener.STEP, "could not copy the best trial's files into " + target + ": "
                        + e.getMessage() + "; they are still in " + best.get().runDir());
            }
        }
        if (settings.keepCheckpoints()) {
            return;
        }
        for (TrialSummary t : trials) {
            if (best.isPresent() && t.number() == best.get().number()) {
                continue;
            }
            Path checkpoints = t.runDir().resolve("train").resolve("checkpoints");
            if (Files.isDirectory(checkpoints)) {
                try (Stream<Path> files = Files.walk(checkpoints)) {
                    for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(f);
                    }
                } catch (IOException e) {
                    out.log(TuneListener.STEP, "could not remove " + checkpoints + ": " + e.getMessage());
                }
            }
        }
    }

    String message(RunStatus status) {
        Optional<TrialSummary> best = best();
        long completed = trials.stream().filter(t -> t.status() == TrialStatus.COMPLETED).count();
        String head = trials.size() + " trials (" + completed + " completed)";
        if (best.isEmpty()) {
            return head + "; none completed";
        }
        return head + "; best: trial " + best.get().number() + " " + settings.gate().metric() + " "
                + String.format(Locale.ROOT, "%.4f", best.get().value()) + " " + best.get().params()
                + (status == RunStatus.PASSED ? " passes the gate" : " is below the gate");
    }
}

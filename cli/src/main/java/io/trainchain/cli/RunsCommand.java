package io.trainchain.cli;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.store.RunRecord;
import io.trainchain.engine.store.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code trainchain runs}: the recorded runs, newest first. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        subcommands = {RunsShowCommand.class, RunsReportCommand.class, RunsCompareCommand.class},
        description = {"List recorded chain runs, newest first ('runs show ID' for one run's details,",
                "'runs report ID' for a run's or a search's HTML report, 'runs compare ID ID...' to compare runs)."})
final class RunsCommand implements Callable<Integer> {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N runs. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Mixin
    StoreOption store = new StoreOption();

    @Override
    public Integer call() {
        Path db = store.resolve();
        if (!Files.exists(db)) {
            System.out.println("no runs yet (" + db + " does not exist; `trainchain run` creates it)");
            return 0;
        }
        try (RunStore runs = RunStore.open(db)) {
            print(runs.listRuns(limit), System.out);
            return 0;
        } catch (TrainchainException e) {
            System.err.println("error: " + e.getMessage());
            return ExitCodes.of(e.kind());
        }
    }

    static void print(List<RunRecord> runs, PrintStream o) {
        String format = "%-30s %-19s %-24s %-8s %-9s %-15s %-8s %s%n";
        o.printf(Locale.ROOT, format, "ID", "STARTED (UTC)", "REPOSITORY", "COMMIT", "FRAMEWORK", "STATUS", "VALUE",
                "THRESHOLD");
        for (RunRecord r : runs) {
            String commit = r.git() == null || r.git().commitId() == null ? "-"
                    : r.git().commitId().substring(0, Math.min(7, r.git().commitId().length()))
                    + (r.git().dirty() ? "+" : "");
            String value = r.gate() == null || r.gate().value() == null ? "-"
                    : String.format(Locale.ROOT, "%.4f", r.gate().value());
            String threshold = r.gate() == null ? "-"
                    : r.gate().metric() + " " + RunSummary.threshold(r.gate().threshold());
            o.printf(Locale.ROOT, format, r.id(), TIME.format(r.startedAt()), shorten(r.repository(), 24), commit,
                    r.framework() == null ? "-" : r.framework(), r.status(), value, threshold);
        }
    }

    /** Keeps the end of a long path: the repository's name matters more than its parents. */
    static String shorten(String s, int width) {
        return s == null ? "-" : s.length() <= width ? s : "..." + s.substring(s.length() - width + 3);
    }
}

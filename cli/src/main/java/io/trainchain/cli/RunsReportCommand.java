package io.trainchain.cli;

import io.trainchain.engine.report.RunReport;
import io.trainchain.engine.report.SearchReport;
import io.trainchain.engine.store.RunRecord;
import io.trainchain.engine.store.SearchRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code trainchain runs report ID}: a run's or a search's self-contained HTML report. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write the self-contained HTML report of a run or of a search and print its path.",
                "It loads nothing from the network: it opens on an air-gapped machine."})
final class RunsReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ID", description = "A run id ('trainchain runs') or a search id.")
    String id;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write it. Default: report.html in the run's "
            + "(or search's) folder, else report-ID.html in the current folder.")
    Path out;

    @Mixin
    StoreOption store = new StoreOption();

    @Override
    public Integer call() {
        return store.withExisting((runs, db) -> {
            Optional<RunRecord> run = runs.getRun(id);
            Path written;
            if (run.isPresent()) {
                written = RunReport.write(run.get(), null, runs.environment(run.get().id()).orElse(null),
                        target(RunReport.defaultFile(run.get())));
            } else {
                Optional<SearchRecord> search = runs.getSearch(id);
                if (search.isEmpty()) {
                    System.err.println("error: no run or search " + id + " in " + db
                            + "; `trainchain runs` lists the runs, `trainchain tune` prints its search's id");
                    return ExitCodes.BAD_INPUT;
                }
                written = SearchReport.write(search.get(), runs, target(SearchReport.defaultFile(search.get())));
            }
            System.out.println(written.toAbsolutePath());
            return 0;
        });
    }

    /** Two runs without a folder of their own must not overwrite each other's report in the current folder. */
    private Path target(Optional<Path> folderDefault) {
        return out != null ? out : folderDefault.orElse(Path.of("report-" + id + ".html"));
    }
}

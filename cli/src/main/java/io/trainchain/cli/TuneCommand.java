package io.trainchain.cli;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.store.RunStore;
import io.trainchain.engine.tune.SearchResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;

/**
 * {@code trainchain tune [REPO]}: a hyperparameter search directly (the chain's steps once, then trials), with the
 * run's options and the search's; {@code --resume} continues a search whose process was killed.
 */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = {"Search hyperparameters within a hard budget: each trial trains in a locked-down container "
                + "under the watcher and is gated; the best model is kept and its owner e-mailed.",
                "The space and budget come from trainchain.yaml's tune: section and the options below.",
                "Exit codes: 0 the best trial passes the gate, 1 the budget ran out below it, 2 bad input, "
                        + "3 infrastructure."})
final class TuneCommand extends RunCommand {

    @Option(names = "--resume", arity = "0..1", fallbackValue = "", paramLabel = "SEARCH",
            description = "Continue the newest unfinished search of REPO with the same settings (or search SEARCH): "
                    + "finished trials are not run again, a running one resumes from its checkpoint.")
    String resume;

    @Option(names = "--list", description = "List the searches in the run store (newest first) and exit.")
    boolean list;

    @Override
    public Integer call() {
        PrintStream o = System.out;
        PrintStream e = System.err;
        Path storePath = store.resolve();
        if (list) {
            try (RunStore runs = RunStore.open(storePath)) {
                o.print(TuneSummary.list(runs.listSearches(null, false, 50)));
                return ExitCodes.GATE_PASSED;
            } catch (TrainchainException x) {
                return failed(x, o, e, storePath);
            }
        }
        try (ShutdownInterrupt ignored = ShutdownInterrupt.install()) {
            if (Boolean.FALSE.equals(tuneBelowGate)) {
                throw TrainchainException.badInput("--no-tune makes no sense for trainchain tune; use trainchain run");
            }
            try (RunStore runs = RunStore.open(storePath)) {
                SearchResult r = search(request(), runs, null, resume != null,
                        resume == null || resume.isBlank() ? null : resume, new TunePrinter(o));
                o.print(TuneSummary.render(r, runs.path()));
                o.flush();
                return r.passed() ? ExitCodes.GATE_PASSED : ExitCodes.GATE_FAILED;
            }
        } catch (TrainchainException | CancellationException x) {
            return failed(x, o, e, storePath);
        }
    }
}

package io.trainchain.engine.tune;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.report.SearchReport;
import io.trainchain.engine.store.RunStore;

import java.nio.file.Path;

/** The search's HTML report at its end; a report that cannot be written is said, never a failed search. */
final class Reports {
    private Reports() {
    }

    static Path search(RunStore store, String searchId, Path file, TuneListener out) {
        try {
            Path written = SearchReport.write(store.getSearch(searchId).orElseThrow(), store, file);
            out.log(TuneListener.STEP, "report: " + written);
            return written;
        } catch (TrainchainException | java.util.NoSuchElementException e) {
            out.log(TuneListener.STEP, "could not write the search's report " + file + ": " + e.getMessage());
            return null;
        }
    }
}

package io.trainchain.engine.tune;

import io.trainchain.engine.store.RunStatus;

import io.trainchain.engine.chain.Registration;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A search's end.
 *
 * @param status      PASSED when the best trial passes the gate, BELOW_THRESHOLD when none did, FAILED when no
 *                    trial completed
 * @param stopReason  what ended it: a trial passed, a budget spent, the space exhausted, the failure cap
 * @param trials      every trial by number
 * @param best        the best completed trial by the gate metric, if any
 * @param epochsSpent epochs trained by all trials together
 * @param mail        what became of the owner's e-mail (sent, queued in the outbox, or why none was sent)
 * @param report      the search's HTML report, null when it could not be written
 * @param registration the best trial's model in the registry and the champion decision (when it passed), or null
 */
public record SearchResult(String searchId, RunStatus status, String stopReason, TuneSettings settings,
                           List<TrialSummary> trials, Optional<TrialSummary> best, int epochsSpent, double seconds,
                           String mail, Path report, Registration registration) {

    public SearchResult {
        trials = List.copyOf(trials);
    }

    public boolean passed() {
        return status == RunStatus.PASSED;
    }

    /** Completed trials best first, then the others by number. */
    public List<TrialSummary> ranked() {
        int sign = settings.higherIsBetter() ? -1 : 1;
        return trials.stream().sorted((a, b) -> {
            if (a.value() != null && b.value() != null) {
                int c = sign * Double.compare(a.value(), b.value());
                return c != 0 ? c : Integer.compare(a.number(), b.number());
            }
            if (a.value() != null || b.value() != null) {
                return a.value() != null ? -1 : 1;
            }
            return Integer.compare(a.number(), b.number());
        }).toList();
    }
}

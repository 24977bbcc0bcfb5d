package io.trainchain.engine.store;

import java.time.Instant;

/**
 * One decision about an alias (e.g. champion): promoted, kept (the challenger was not better), not comparable (other
 * test sets), forced, or rolled back; with both figures where there were two.
 *
 * @param version         the challenger, or the version the alias now points to after a rollback
 * @param previousVersion the alias's version before, null for the first champion
 */
public record PromotionRecord(String name, String alias, int seq, Action action, int version, Integer previousVersion,
                              Double value, Double previousValue, String reason, Instant decidedAt) {

    public enum Action { PROMOTED, KEPT, NOT_COMPARABLE, FORCED, ROLLED_BACK }

    /** Whether the alias moved. */
    public boolean moved() {
        return action == Action.PROMOTED || action == Action.FORCED || action == Action.ROLLED_BACK;
    }
}

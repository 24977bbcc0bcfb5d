package io.trainchain.engine.store;

import java.util.Objects;

/**
 * What started a run: the root of its lineage.
 *
 * @param kind "manual" (a command or a build started by hand), "webhook" (a push), "schedule"
 * @param id   the webhook's delivery id or the schedule's name; null for manual runs
 */
public record Trigger(String kind, String id) {
    public static final Trigger MANUAL = new Trigger("manual", null);

    public Trigger {
        Objects.requireNonNull(kind, "kind");
    }

    @Override
    public String toString() {
        return id == null ? kind : kind + " " + id;
    }
}

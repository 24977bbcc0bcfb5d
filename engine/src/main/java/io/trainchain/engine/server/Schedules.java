package io.trainchain.engine.server;

import com.cronutils.model.time.ExecutionTime;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.store.QueuedChain;
import io.trainchain.engine.store.RunStore;
import io.trainchain.engine.store.Trigger;

import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Fires the configured cron schedules: each {@link #tick} queues the chain on the branch head for every schedule
 * whose latest due time is after its last fire (missed times while the server was down collapse into one).
 * The last fire is kept in the run store, so a restart neither repeats nor forgets one.
 */
public final class Schedules {
    private final ServerConfig config;
    private final RunStore store;
    private final Checkouts checkouts;
    private final Clock clock;
    private final Runnable queued;
    private final Consumer<String> log;

    public Schedules(ServerConfig config, RunStore store, Checkouts checkouts, Clock clock, Runnable queued,
                     Consumer<String> log) {
        this.config = config;
        this.store = store;
        this.checkouts = checkouts;
        this.clock = clock;
        this.queued = queued;
        this.log = log;
    }

    /** What one schedule did at a tick. */
    public record Fire(String schedule, Instant dueAt, Long queued, String reason) {
    }

    /** Checks every schedule against the clock; returns what fired (queued or skipped, with why). */
    public List<Fire> tick() {
        Instant now = clock.instant();
        List<Fire> fires = new ArrayList<>();
        for (ServerConfig.Repository repo : config.repositories()) {
            for (ServerConfig.Schedule s : repo.schedules()) {
                try {
                    due(s, now).ifPresent(at -> fires.add(fire(repo, s, at)));
                } catch (TrainchainException e) {
                    log.accept("schedule " + s.name() + " could not fire: " + e.getMessage());
                }
            }
        }
        return fires;
    }

    private Optional<Instant> due(ServerConfig.Schedule s, Instant now) {
        Optional<Instant> last = store.lastScheduleFire(s.name());
        if (last.isEmpty()) {
            // first sight of this schedule: it fires from now on, not for every time before the server knew it
            store.recordScheduleFire(s.name(), now, null);
            return Optional.empty();
        }
        ExecutionTime times = ExecutionTime.forCron(ServerConfigParser.CRON.parse(s.cron()));
        return times.lastExecution(ZonedDateTime.ofInstant(now, s.zone())).map(ZonedDateTime::toInstant)
                .filter(t -> t.isAfter(last.get()));
    }

    private Fire fire(ServerConfig.Repository repo, ServerConfig.Schedule s, Instant at) {
        String dataset = s.dataset() == null ? null : DatasetFingerprint.of(s.dataset());
        if (s.onlyWhenDatasetChanged()) {
            Optional<String> before = store.lastScheduleDataset(s.name());
            if (before.isPresent() && before.get().equals(dataset)) {
                store.recordScheduleFire(s.name(), at, dataset);
                log.accept("schedule " + s.name() + " at " + at + ": dataset unchanged, nothing queued");
                return new Fire(s.name(), at, null, "the dataset " + s.dataset() + " is unchanged since the last fire");
            }
        }
        String head = checkouts.head(repo, s.branch());
        QueuedChain.Enqueued q = store.enqueue(new QueuedChain.Request(repo.name(), s.branch(), head,
                new Trigger("schedule", s.name() + "@" + at), "schedule", null), config.supersede());
        store.recordScheduleFire(s.name(), at, dataset);
        queued.run();
        log.accept("schedule " + s.name() + " at " + at + ": queued chain " + q.chain().seq() + " on "
                + s.branch() + " " + head);
        return new Fire(s.name(), at, q.chain().seq(), q.duplicate() ? "queued before" : "queued");
    }
}

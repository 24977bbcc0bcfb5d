package io.trainchain.engine.server;

import io.trainchain.engine.store.QueuedChain;
import io.trainchain.engine.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cron schedules against a clock the test moves, a real bare Git repository as the remote and a real run store:
 * a schedule fires once at its time in its own zone, on the branch head, and with only_when_dataset_changed only
 * when the data changed.
 */
class SchedulesTest {
    @TempDir
    Path tmp;

    static final class TestClock extends Clock {
        Instant now;

        TestClock(Instant start) {
            now = start;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private ServerConfig config(String url, ServerConfig.Schedule schedule) {
        return new ServerConfig("127.0.0.1", 0, 1000, 1, 1, true, tmp, List.of(new ServerConfig.Repository(
                "fashion", url, List.of(), List.of("main"), null, ServerConfig.ChainOptions.NONE, List.of(schedule))));
    }

    @Test
    void aWeeklyScheduleFiresOnceAtItsTimeInItsZoneOnTheBranchHead() throws Exception {
        try (GitRemote remote = new GitRemote(tmp.resolve("git")); RunStore store = RunStore.open(tmp.resolve("r.db"))) {
            String head = remote.push("main", "train.py", "print(1)");
            // Mondays 03:00 in Berlin = 01:00 UTC in summer
            ServerConfig cfg = config(remote.url(), new ServerConfig.Schedule("weekly", "0 3 * * 1",
                    ZoneId.of("Europe/Berlin"), "main", false, null));
            TestClock clock = new TestClock(Instant.parse("2024-06-02T12:00:00Z")); // a Sunday
            List<String> log = new ArrayList<>();
            Schedules s = new Schedules(cfg, store, new Checkouts(tmp.resolve("cache"), k -> null), clock, () -> { },
                    log::add);
            assertEquals(List.of(), s.tick(), "the first tick only notes when the schedule was first seen");
            clock.now = Instant.parse("2024-06-03T00:59:00Z");
            assertEquals(List.of(), s.tick(), "a minute before Monday 03:00 Berlin");
            clock.now = Instant.parse("2024-06-03T01:00:30Z");
            List<Schedules.Fire> fired = s.tick();
            assertEquals(1, fired.size(), log.toString());
            assertEquals(Instant.parse("2024-06-03T01:00:00Z"), fired.get(0).dueAt());
            clock.now = Instant.parse("2024-06-03T01:05:00Z");
            assertEquals(List.of(), s.tick(), "fired once per due time");
            QueuedChain q = store.queued(fired.get(0).queued()).orElseThrow();
            assertEquals(head, q.commitId());
            assertEquals("schedule", q.trigger().kind());
            assertEquals("weekly@2024-06-03T01:00:00Z", q.trigger().id());

            String newer = remote.push("main", "train.py", "print(2)");
            clock.now = Instant.parse("2024-06-24T09:00:00Z"); // three Mondays missed while "down": one fire
            List<Schedules.Fire> late = s.tick();
            assertEquals(1, late.size());
            assertEquals(Instant.parse("2024-06-24T01:00:00Z"), late.get(0).dueAt());
            assertEquals(newer, store.queued(late.get(0).queued()).orElseThrow().commitId());
        }
    }

    @Test
    void withOnlyWhenDatasetChangedItFiresOnlyAfterTheDataChanged() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("train.csv"), "a,b\n1,2\n");
        try (GitRemote remote = new GitRemote(tmp.resolve("git")); RunStore store = RunStore.open(tmp.resolve("r.db"))) {
            remote.push("main", "train.py", "print(1)");
            ServerConfig cfg = config(remote.url(), new ServerConfig.Schedule("daily-data", "0 4 * * *",
                    ZoneOffset.UTC, "main", true, data));
            TestClock clock = new TestClock(Instant.parse("2024-06-01T00:00:00Z"));
            Schedules s = new Schedules(cfg, store, new Checkouts(tmp.resolve("cache"), k -> null), clock, () -> { },
                    l -> { });
            s.tick();
            clock.now = clock.now.plus(Duration.ofHours(5));
            Schedules.Fire first = s.tick().get(0);
            assertTrue(first.queued() != null, "the first fire has nothing to compare with: it runs");
            clock.now = clock.now.plus(Duration.ofDays(1));
            Schedules.Fire same = s.tick().get(0);
            assertNull(same.queued(), same.reason());
            assertTrue(same.reason().contains("unchanged"), same.reason());
            Files.writeString(data.resolve("train.csv"), "a,b\n1,2\n3,4\n");
            clock.now = clock.now.plus(Duration.ofDays(1));
            Schedules.Fire changed = s.tick().get(0);
            assertTrue(changed.queued() != null, changed.reason());
            assertEquals(2, store.queue(10).size());
        }
    }
}

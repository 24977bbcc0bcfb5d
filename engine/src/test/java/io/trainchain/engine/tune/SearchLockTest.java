package io.trainchain.engine.tune;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.store.RunStart;
import io.trainchain.engine.store.RunStatus;
import io.trainchain.engine.store.RunStore;
import io.trainchain.engine.store.SearchRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One process at a time per search: another process (a real second JVM) and this one are refused while it runs. */
class SearchLockTest {
    @TempDir
    Path tmp;

    /**
     * The other process: takes the lock, says so, holds it until its stdin closes; when refused, prints "refused"
     * and the message and exits 3.
     */
    public static void main(String[] args) throws Exception {
        try (RunStore store = RunStore.open(Path.of(args[0]))) {
            SearchLock lock;
            try {
                lock = SearchLock.acquire(store, args[1]);
            } catch (TrainchainException e) {
                System.out.println("refused " + e.getMessage());
                System.out.flush();
                System.exit(3);
                return;
            }
            try (lock) {
                System.out.println("locked");
                System.out.flush();
                System.in.read();
            }
        }
    }

    private static Process otherProcess(Path db, String searchId) throws Exception {
        return new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), SearchLockTest.class.getName(), db.toString(), searchId))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    @Test
    void aSecondProcessIsRefusedNamingTheHolderAndGetsItOnceTheFirstEnds() throws Exception {
        Path db = tmp.resolve("runs.db");
        try (RunStore store = RunStore.open(db)) {
            Process other = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                    System.getProperty("java.class.path"), SearchLockTest.class.getName(), db.toString(), "s1"))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(),
                        StandardCharsets.UTF_8));
                assertEquals("locked", out.readLine());
                TrainchainException e = assertThrows(TrainchainException.class, () -> SearchLock.acquire(store, "s1"));
                assertEquals(TrainchainException.Kind.BAD_INPUT, e.kind());
                assertTrue(e.getMessage().contains("search s1 is running in another process (pid " + other.pid()),
                        e.getMessage());
                try (SearchLock another = SearchLock.acquire(store, "s2")) {
                    // another search is not held up
                }
            } finally {
                other.getOutputStream().close();
                assertEquals(0, other.waitFor());
            }
            try (SearchLock mine = SearchLock.acquire(store, "s1")) {
                TrainchainException twice = assertThrows(TrainchainException.class,
                        () -> SearchLock.acquire(store, "s1"));
                assertTrue(twice.getMessage().contains("pid " + ProcessHandle.current().pid()), twice.getMessage());
            }
            SearchLock.acquire(store, "s1").close(); // released: free again
        }
    }

    /**
     * Refusing a second acquire in this JVM must not drop the first holder's OS lock (closing any channel of the file
     * drops every lock this process holds on it), so another process is still refused afterwards.
     */
    @Test
    void aSecondAcquireInThisJvmIsRefusedAndTheFirstHolderKeepsItsLock() throws Exception {
        Path db = tmp.resolve("runs.db");
        long pid = ProcessHandle.current().pid();
        try (RunStore store = RunStore.open(db); SearchLock mine = SearchLock.acquire(store, "s1")) {
            TrainchainException twice = assertThrows(TrainchainException.class, () -> SearchLock.acquire(store, "s1"));
            assertEquals(TrainchainException.Kind.BAD_INPUT, twice.kind());
            assertTrue(twice.getMessage().contains("search s1 is running") && twice.getMessage().contains("pid " + pid),
                    twice.getMessage());

            Process other = otherProcess(db, "s1");
            other.getOutputStream().close(); // should it get the lock, it lets go at once instead of waiting
            try {
                String line = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                assertTrue(line != null && line.startsWith("refused search s1 is running in another process (pid "
                        + pid), "the other process should be refused while this one holds s1: " + line);
                assertTrue(other.waitFor(60, TimeUnit.SECONDS), "the other process did not end");
                assertEquals(3, other.exitValue());
            } finally {
                other.destroyForcibly();
            }
        }
        try (RunStore store = RunStore.open(db)) {
            SearchLock.acquire(store, "s1").close(); // released: this JVM forgot it too
        }
    }

    /** What findResumable read before the lock may be stale: the search is read again once the lock is held. */
    @Test
    void aResumeReadsTheSearchAgainUnderTheLockAndIsRefusedWhenItEndedMeanwhile() {
        try (RunStore store = RunStore.open(tmp.resolve("runs.db"))) {
            String id = store.startSearch(null, "/repo", "grid", "{}");
            SearchRecord before = store.getSearch(id).orElseThrow();
            String run = store.startRun(new RunStart(Path.of("/repo"), null, "dl4j", null, "{}"));
            store.startTrial(id, 1, run, "{\"lr\":1}", tmp.resolve("trial-001").toString());
            assertEquals(0, before.trials().size());
            assertEquals(1, TuneHyperparameters.reread(store, id).trials().size(), "the trial run meanwhile");

            store.finishSearch(id, RunStatus.BELOW_THRESHOLD, null, "budget spent", "no trial passed");
            TrainchainException e = assertThrows(TrainchainException.class, () -> TuneHyperparameters.reread(store, id));
            assertEquals(TrainchainException.Kind.BAD_INPUT, e.kind());
            assertTrue(e.getMessage().contains("search " + id + " ended in another process")
                    && e.getMessage().contains("budget spent") && e.getMessage().contains("without --resume"),
                    e.getMessage());
        }
    }
}

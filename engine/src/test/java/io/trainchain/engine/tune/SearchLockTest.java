package io.trainchain.engine.tune;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One process at a time per search: another process (a real second JVM) and this one are refused while it runs. */
class SearchLockTest {
    @TempDir
    Path tmp;

    /** The other process: takes the lock, says so, holds it until its stdin closes. */
    public static void main(String[] args) throws Exception {
        try (RunStore store = RunStore.open(Path.of(args[0])); SearchLock lock = SearchLock.acquire(store, args[1])) {
            System.out.println("locked");
            System.out.flush();
            System.in.read();
        }
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
}

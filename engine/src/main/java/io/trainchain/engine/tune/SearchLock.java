package io.trainchain.engine.tune;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.store.RunStore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One process at a time runs a search: two that resumed the same one would train the same trials into the same
 * folders. An OS file lock beside the store ({@code locks/search-<id>.lock}), so it goes with the process: a
 * killed process leaves nothing to clean up.
 *
 * <p>Within one JVM (Jenkins jobs, server workers) a registry answers first, before the file is opened: on Linux,
 * closing any channel of a file drops every lock the process holds on it (see {@link FileLock}), so a refused
 * second try must not open the file at all, or the first holder would silently lose its lock.
 */
final class SearchLock implements AutoCloseable {
    /** The locks this JVM holds, by the lock file's real path; an entry is taken before the file is opened. */
    private static final ConcurrentMap<Path, Claim> HELD = new ConcurrentHashMap<>();

    /** This JVM's hold on one lock file (compared by identity, so a stale close cannot free another's claim). */
    private static final class Claim {
        final String holder;

        Claim(String holder) {
            this.holder = holder;
        }
    }

    private final Path file;
    private final Claim claim;
    private final FileChannel channel;
    private final FileLock lock;

    private SearchLock(Path file, Claim claim, FileChannel channel, FileLock lock) {
        this.file = file;
        this.claim = claim;
        this.channel = channel;
        this.lock = lock;
    }

    static SearchLock acquire(RunStore store, String searchId) {
        Path dir = store.path().toAbsolutePath().getParent().resolve("locks");
        Path file = dir.resolve("search-" + searchId + ".lock");
        Claim claim = null;
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            file = dir.toRealPath().resolve(file.getFileName()); // one key however the store's path was spelt
            claim = new Claim("pid " + ProcessHandle.current().pid() + " since " + Instant.now());
            Claim held = HELD.putIfAbsent(file, claim);
            if (held != null) {
                claim = null; // not ours to remove
                throw TrainchainException.badInput("search " + searchId + " is running already in this process ("
                        + held.holder + "; lock " + file + "): a search runs once at a time; wait for it to end, "
                        + "or stop it and resume then");
            }
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock(); // no OverlappingFileLockException: the registry keeps this JVM out
            if (lock == null) {
                String holder = read(channel); // this JVM holds no lock on the file, so closing it costs nothing
                throw TrainchainException.badInput("search " + searchId + " is running in another process ("
                        + (holder.isEmpty() ? "unknown" : holder) + "; lock " + file + "): a search runs in one "
                        + "process at a time; wait for it to end, or stop it and resume then");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(claim.holder.getBytes(StandardCharsets.UTF_8)), 0);
            SearchLock locked = new SearchLock(file, claim, channel, lock);
            channel = null;
            claim = null;
            return locked;
        } catch (IOException e) {
            throw TrainchainException.infrastructure("cannot lock search " + searchId + " at " + file + ": "
                    + e.getMessage() + "; check that the store's folder is writable", e);
        } finally {
            closeQuietly(channel); // only when refused or failed: the lock is not held then
            if (claim != null) {
                HELD.remove(file, claim);
            }
        }
    }

    /** The holder's "pid N since T", read through the channel itself: no second handle on the file. */
    private static String read(FileChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(256);
        while (buf.hasRemaining() && channel.read(buf, buf.position()) > 0) {
            // until the end of the file or a full buffer
        }
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
    }

    private static void closeQuietly(FileChannel c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (IOException ignored) {
            // the lock goes with the channel
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // released with the channel below
        }
        closeQuietly(channel);
        HELD.remove(file, claim); // after the OS lock is gone: this JVM may then take it again
    }
}

package io.trainchain.engine.tune;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.store.RunStore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One process at a time runs a search: two that resumed the same one would train the same trials into the same
 * folders. An OS file lock beside the store ({@code locks/search-<id>.lock}), so it goes with the process: a
 * killed process leaves nothing to clean up.
 */
final class SearchLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private SearchLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static SearchLock acquire(RunStore store, String searchId) {
        Path file = store.path().toAbsolutePath().getParent().resolve("locks").resolve("search-" + searchId + ".lock");
        FileChannel channel = null;
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this JVM runs it already
            }
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
                channel.close();
                throw TrainchainException.badInput("search " + searchId + " is running in another process ("
                        + (holder.isEmpty() ? "unknown" : holder) + "; lock " + file + "): a search runs in one "
                        + "process at a time; wait for it to end, or stop it and resume then");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + " since " + Instant.now())
                    .getBytes(StandardCharsets.UTF_8)), 0);
            return new SearchLock(channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw TrainchainException.infrastructure("cannot lock search " + searchId + " at " + file + ": "
                    + e.getMessage() + "; check that the store's folder is writable", e);
        }
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
    }
}

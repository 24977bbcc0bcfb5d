package io.trainchain.engine.watch;

import io.trainchain.engine.docker.ContainerRun;

/** Why a training container ended, and whether a new container from its checkpoint may help. */
public enum ExitCause {
    COMPLETED("completed", false),
    /** The kernel's OOM killer at the container's limit (OOMKilled), or the trainer's JVM first (its exit 3). */
    OUT_OF_MEMORY("ran out of memory at its limit", true),
    KILLED("killed by a signal (docker kill, the kernel, an operator)", true),
    CRASHED("crashed with a non-zero exit", true),
    CRASHED_BEFORE_CHECKPOINT("crashed before its first checkpoint (likely a bug in the code or recipe)", true),
    BAD_INPUT("refused its input (exit 2): fix the data or params", false),
    DAEMON_LOST("lost its Docker engine (stopped, restarted or unreachable)", true),
    REMOVED("removed by someone else while it ran", true),
    TIMED_OUT("ran past the training timeout and was killed", false);

    private final String meaning;
    private final boolean restartable;

    ExitCause(String meaning, boolean restartable) {
        this.meaning = meaning;
        this.restartable = restartable;
    }

    public String meaning() {
        return meaning;
    }

    /** Whether another container may succeed (bad input and the timeout never get one). */
    public boolean restartable() {
        return restartable;
    }

    /**
     * @param wroteCheckpoint whether this container wrote a checkpoint before it ended: a crash without one is most
     *                        likely deterministic and gets at most one more try
     */
    public static ExitCause classify(ContainerRun.Exit exit, boolean wroteCheckpoint) {
        switch (exit.end()) {
            case TIMED_OUT:
                return TIMED_OUT;
            case DAEMON_LOST:
                return DAEMON_LOST;
            case REMOVED:
                return REMOVED;
            default:
                break;
        }
        int code = exit.exitCode() == null ? -1 : exit.exitCode();
        // The JVM's heap is a share of the container's memory: it fills before the kernel's limit is hit, and the
        // trainer says so with exit 3. Both are cured by more memory, not by a retry alone.
        if (exit.oomKilled() || code == 3) {
            return OUT_OF_MEMORY;
        }
        if (code == 0) {
            return COMPLETED;
        }
        if (code == 2) {
            return BAD_INPUT;
        }
        if (code > 128 && code <= 128 + 64) { // 128 + signal number: the process did not exit by itself
            return KILLED;
        }
        return wroteCheckpoint ? CRASHED : CRASHED_BEFORE_CHECKPOINT;
    }
}

package io.trainchain.trainer.runtime;

/**
 * CPUs this process may really use: the JVM reads the cgroup CPU quota and cpuset (JDK 17), unlike nproc. Read once,
 * at class load, before ND4J starts: with OMP_PROC_BIND=true OpenMP pins the main thread to one core, and the JVM
 * would then report 1.
 */
public final class Cpus {
    private static final int AT_START = Math.max(1, Runtime.getRuntime().availableProcessors());

    private Cpus() {
    }

    public static int available() {
        return AT_START;
    }
}

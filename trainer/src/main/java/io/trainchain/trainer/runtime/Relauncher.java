package io.trainchain.trainer.runtime;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OpenMP reads OMP_NUM_THREADS and OMP_PROC_BIND once, when the native library loads, and Java cannot set
 * environment variables of its own process. So a trainer started without them restarts itself once, with them set
 * from the CPUs it may use (the container image and the engine set them up front and skip this).
 */
public final class Relauncher {
    static final String MARK = "TRAINCHAIN_RELAUNCHED";
    static final String SPIN_COUNT = "10000";

    private Relauncher() {
    }

    /**
     * The environment OpenMP needs, for {@code cpus} threads. GOMP_SPINCOUNT: after each parallel region libgomp's
     * threads spin ~300k rounds and starve OpenBLAS's own threads (the dense layers) on the same cores; 10,000 made a
     * training step ~20% faster on 2 cores (bench/trainer/StepLoop.java, 59.6 → 46 ms at batch 128).
     */
    public static Map<String, String> ompEnvironment(int cpus) {
        return Map.of("OMP_NUM_THREADS", Integer.toString(cpus), "OMP_PROC_BIND", "true", "GOMP_SPINCOUNT",
                SPIN_COUNT);
    }

    /** Empty when the environment is already right; else the exit code of the relaunched trainer. */
    public static Optional<Integer> relaunchIfNeeded(String mainClass, String[] args) {
        Map<String, String> env = System.getenv();
        if (env.containsKey("OMP_NUM_THREADS") || env.containsKey(MARK)) {
            return Optional.empty();
        }
        Optional<String> java = ProcessHandle.current().info().command();
        if (java.isEmpty()) {
            return Optional.empty();
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(java.get());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().putAll(ompEnvironment(Cpus.available()));
        pb.environment().put(MARK, "1");
        try {
            Process p = pb.start();
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
            return Optional.of(p.waitFor());
        } catch (IOException e) {
            System.err.println("warning: could not restart with OMP_NUM_THREADS set (" + e.getMessage()
                    + "); continuing with OpenMP's defaults");
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(130);
        }
    }
}

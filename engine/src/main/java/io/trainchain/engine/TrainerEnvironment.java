package io.trainchain.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment the trainer's JVM must start with, wherever it runs (host or container): OpenMP reads it once,
 * when ND4J loads, so it cannot be set from inside. GOMP_SPINCOUNT: libgomp's threads otherwise spin ~300k rounds
 * after each parallel region and starve OpenBLAS's threads on the same cores (~20% of a training step on 2 cores).
 * The trainer's own launcher (Relauncher) and the DL4J Dockerfile set the same values.
 */
public final class TrainerEnvironment {
    private TrainerEnvironment() {
    }

    public static Map<String, String> openMp(int threads) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OMP_NUM_THREADS", Integer.toString(threads));
        env.put("OMP_PROC_BIND", "true");
        env.put("GOMP_SPINCOUNT", "10000");
        return env;
    }
}

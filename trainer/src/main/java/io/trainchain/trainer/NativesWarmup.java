package io.trainchain.trainer;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Loads ND4J once, so that JavaCPP extracts its native libraries into the cache dir given by
 * {@code -Dorg.bytedeco.javacpp.cachedir}: run at image build time, because a read-only container with a noexec
 * /tmp cannot extract them at run time.
 */
public final class NativesWarmup {
    private NativesWarmup() {
    }

    public static void main(String[] args) {
        System.out.println("ND4J ready: " + Nd4j.create(new float[]{1, 2, 3}).sumNumber() + " (expected 6.0), backend "
                + Nd4j.getBackend().getClass().getSimpleName());
    }
}

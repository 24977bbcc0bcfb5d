package io.trainchain.trainer.train;

import java.util.Arrays;
import java.util.Random;

/** A seeded split of the training set into training and validation indices (each sorted, so loading order is kept). */
record Split(int[] train, int[] validation) {

    static Split of(int n, double validationFraction, long seed) {
        int[] p = Trainer.permutation(n, new Random(seed));
        int v = (int) Math.round(n * validationFraction);
        int[] val = Arrays.copyOfRange(p, 0, v);
        int[] tr = Arrays.copyOfRange(p, v, n);
        Arrays.sort(val);
        Arrays.sort(tr);
        return new Split(tr, val);
    }
}

package io.trainchain.trainer.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-channel sums of NCHW float activations, out[c] = Σ over batch and pixels of x[n][c][..], as two matrix-vector
 * products: x as an [N·C, H·W] matrix times ones, then ones times the resulting [N, C] matrix. ND4J's reduction over
 * axes (0, 2, 3) takes ~5× as long (2.6 vs 0.5 ms for 128×20×24×24). One instance per layer helper: it keeps its
 * vectors of ones between calls.
 */
final class ChannelSums {
    private INDArray onesPixels;
    private INDArray onesBatch;
    private INDArray rowSums;

    /** Writes the sums into {@code out} (length C, contiguous) and returns it. */
    INDArray sum(INDArray x, INDArray out) {
        long n = x.size(0);
        long channels = x.size(1);
        long pixels = x.length() / (n * channels);
        if (onesPixels == null || onesPixels.length() != pixels || onesBatch.length() != n) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                onesPixels = Nd4j.ones(DataType.FLOAT, pixels, 1);
                onesBatch = Nd4j.ones(DataType.FLOAT, 1, n);
                rowSums = Nd4j.create(DataType.FLOAT, n * channels, 1);
            }
        } else if (rowSums.length() != n * channels) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                rowSums = Nd4j.create(DataType.FLOAT, n * channels, 1);
            }
        }
        INDArray rows = x.reshape('c', new long[]{n * channels, pixels});
        if (pixels == 1) {
            rowSums.assign(rows);
        } else {
            Nd4j.gemm(rows, onesPixels, rowSums, false, false, 1.0, 0.0);
        }
        // The target is a view of out: a reshape of a contiguous vector never copies.
        Nd4j.gemm(onesBatch, rowSums.reshape('c', new long[]{n, channels}), out.reshape('c', new long[]{1, channels}),
                false, false, 1.0, 0.0);
        return out;
    }
}

package io.trainchain.trainer.config;

/**
 * One convolution block: a convolution (kernel × kernel, stride, padding, filters), then optional batch norm (from
 * the network's {@code batch_norm}), the activation, and a pooling layer (pool × pool, stride pool).
 */
public record ConvBlock(int filters, int kernel, int stride, int padding, Pooling pooling, int pool) {
}

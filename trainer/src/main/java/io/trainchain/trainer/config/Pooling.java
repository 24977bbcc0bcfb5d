package io.trainchain.trainer.config;

/** What follows a convolution in a block. */
public enum Pooling {
    MAX, AVG, NONE
}

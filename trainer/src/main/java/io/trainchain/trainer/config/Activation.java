package io.trainchain.trainer.config;

/** Hidden-layer activations the config accepts, named as in params.json. */
public enum Activation {
    RELU, LEAKYRELU, ELU, TANH, SIGMOID, IDENTITY
}

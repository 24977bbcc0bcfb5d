package io.trainchain.trainer.config;

/** Weight initialisations the config accepts; RELU is He initialisation. */
public enum WeightInit {
    XAVIER, XAVIER_UNIFORM, RELU, RELU_UNIFORM, NORMAL, LECUN_NORMAL
}

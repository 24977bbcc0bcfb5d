package io.trainchain.trainer.config;

/** Optimizers the config accepts, named as in params.json. */
public enum Optimizer {
    ADAM, NESTEROVS, SGD, RMSPROP, ADADELTA
}

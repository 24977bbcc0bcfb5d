"""An MLflow-project style script (no MLflow needed): a linear SGD classifier on Fashion-MNIST, one partial_fit
pass an epoch, printing its progress; Trainchain runs it through the MLproject entry point and reads the output."""
import argparse
import gzip
import os

import numpy as np
from sklearn.linear_model import SGDClassifier


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--alpha", type=float, required=True)
    parser.add_argument("--epochs", type=int, required=True)
    parser.add_argument("--train-images", type=int, required=True)
    parser.add_argument("--penalty", required=True)
    parser.add_argument("--data", default="data")
    args = parser.parse_args()
    x = read_idx(os.path.join(args.data, "train-images-idx3-ubyte.gz"))[:args.train_images].reshape(-1, 784) / 255.0
    y = read_idx(os.path.join(args.data, "train-labels-idx1-ubyte.gz"))[:args.train_images]
    tx = read_idx(os.path.join(args.data, "t10k-images-idx3-ubyte.gz")).reshape(-1, 784) / 255.0
    ty = read_idx(os.path.join(args.data, "t10k-labels-idx1-ubyte.gz"))
    model = SGDClassifier(loss="log_loss", alpha=args.alpha, penalty=args.penalty, random_state=0)
    classes = np.arange(10)
    rng = np.random.default_rng(0)
    for epoch in range(args.epochs):
        order = rng.permutation(len(x))
        model.partial_fit(x[order], y[order], classes=classes)
        print("epoch %d train accuracy %.4f" % (epoch + 1, model.score(x, y)), flush=True)
    print("test accuracy: %.4f" % model.score(tx, ty))


if __name__ == "__main__":
    main()

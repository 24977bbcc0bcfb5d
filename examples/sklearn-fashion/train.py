"""A scikit-learn random forest on Fashion-MNIST, written for Trainchain with its helper module (contract mode).

No epochs: one fit, one metrics line, the test evaluation and the model (model.joblib via joblib, which
scikit-learn ships).
"""
import gzip
import os
import time

import joblib
import numpy as np
from sklearn.ensemble import RandomForestClassifier

import trainchain

CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def read_idx(path):
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(data_dir, name):
    for suffix in (".gz", ""):
        p = os.path.join(data_dir, name + suffix)
        if os.path.exists(p):
            return read_idx(p)
    trainchain.bad_input("no %s[.gz] in %s: give a folder of Fashion-MNIST/MNIST IDX files" % (name, data_dir))


def main():
    args = trainchain.args()
    p = trainchain.params({"n_estimators": 100, "max_depth": 0, "train_images": 20000, "seed": 123})
    data = args.data or "/usr/share/datasets/fashion-mnist"
    n = args.limit or p["train_images"]
    x = load(data, "train-images-idx3-ubyte")[:n].reshape(-1, 784) / 255.0
    y = load(data, "train-labels-idx1-ubyte")[:n]
    tx = load(data, "t10k-images-idx3-ubyte")[:args.limit or None].reshape(-1, 784) / 255.0
    ty = load(data, "t10k-labels-idx1-ubyte")[:args.limit or None]
    threads = int(os.environ.get("OMP_NUM_THREADS", "1"))
    print("data: %s, %d training, %d test images; %d threads" % (data, len(x), len(tx), threads), flush=True)
    model = RandomForestClassifier(n_estimators=p["n_estimators"], max_depth=p["max_depth"] or None,
                                   n_jobs=threads, random_state=p["seed"])
    t0 = time.monotonic()
    model.fit(x, y)
    seconds = time.monotonic() - t0
    trainchain.log_epoch(1, train_accuracy=model.score(x, y), seconds=seconds, images_per_second=len(x) / seconds)
    path = os.path.join(trainchain.out_dir(), "model.joblib")
    joblib.dump(model, path)
    trainchain.evaluate(ty.tolist(), model.predict(tx).tolist(), CLASSES, dataset="fashion-mnist", params=p)


if __name__ == "__main__":
    main()

"""Evaluates a saved model of train.py on the test images (trainchain.yaml's 'evaluate' entry).

The registry runs it when the champion was measured on another test set than a new model: it gets the champion's
file as --model, the new run's --data and --limit, and writes evaluation.json like train.py does.
"""
import os

import joblib

import trainchain
from train import CLASSES, load


def main():
    args = trainchain.args()
    if not args.model or not os.path.isfile(args.model):
        trainchain.bad_input("--model %s: no such model file; give the model.joblib train.py wrote" % args.model)
    model = joblib.load(args.model)
    data = args.data or "/usr/share/datasets/fashion-mnist"
    tx = load(data, "t10k-images-idx3-ubyte")[:args.limit or None].reshape(-1, 784) / 255.0
    ty = load(data, "t10k-labels-idx1-ubyte")[:args.limit or None]
    trainchain.evaluate(ty.tolist(), model.predict(tx).tolist(), CLASSES, dataset="fashion-mnist",
                        evaluated_model=os.path.basename(args.model))


if __name__ == "__main__":
    main()

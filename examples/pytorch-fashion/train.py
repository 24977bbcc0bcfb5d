"""A PyTorch CNN on Fashion-MNIST, written for Trainchain with its helper module (contract mode).

The net is the built-in DL4J trainer's default (two 5x5 convolutions with max pooling, 500 dense units), so the two
can be compared. Resumable: a checkpoint after every epoch holds the model, the optimizer and (through the helper)
the RNG states, so a run killed and resumed repeats an uninterrupted one on the same threads.
"""
import gzip
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import trainchain

CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
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


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 50, 5)
        self.fc1 = nn.Linear(50 * 4 * 4, 500)
        self.fc2 = nn.Linear(500, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


def predict(net, x):
    net.eval()
    with torch.no_grad():
        return torch.cat([net(x[i:i + 1000]).argmax(1) for i in range(0, len(x), 1000)])


def main():
    args = trainchain.args()
    p = trainchain.params({"learning_rate": 0.002, "lr_decay": 0.7, "batch_size": 128, "epochs": 2, "seed": 123,
                           "validation_fraction": 0.1})
    torch.manual_seed(p["seed"])
    data = args.data or "/usr/share/datasets/fashion-mnist"
    x = torch.from_numpy(load(data, "train-images-idx3-ubyte").copy()).float().div(255).unsqueeze(1)
    y = torch.from_numpy(load(data, "train-labels-idx1-ubyte").astype(np.int64))
    tx = torch.from_numpy(load(data, "t10k-images-idx3-ubyte").copy()).float().div(255).unsqueeze(1)
    ty = torch.from_numpy(load(data, "t10k-labels-idx1-ubyte").astype(np.int64))
    if args.limit:
        x, y, tx, ty = x[:args.limit], y[:args.limit], tx[:args.limit], ty[:args.limit]
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(p["seed"]))
    n_val = int(len(x) * p["validation_fraction"])
    vx, vy, x, y = x[order[:n_val]], y[order[:n_val]], x[order[n_val:]], y[order[n_val:]]
    print("data: %s, %d training, %d validation, %d test images, torch %s, %d threads"
          % (data, len(x), len(vx), len(tx), torch.__version__, torch.get_num_threads()), flush=True)

    net = Net()
    opt = torch.optim.Adam(net.parameters(), lr=p["learning_rate"])
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=p["lr_decay"])
    start = 0
    if args.resume:
        state = trainchain.load_checkpoint()
        if state:
            net.load_state_dict(state["model"])
            opt.load_state_dict(state["optimizer"])
            sched.load_state_dict(state["scheduler"])
            start = state["epoch"]
    first = True
    for epoch in range(start, p["epochs"]):
        net.train()
        t0 = time.monotonic()
        perm = torch.randperm(len(x), generator=torch.Generator().manual_seed(p["seed"] * 31 + epoch + 1))
        loss_sum = 0.0
        for i in range(0, len(x), p["batch_size"]):
            idx = perm[i:i + p["batch_size"]]
            opt.zero_grad()
            loss = F.cross_entropy(net(x[idx]), y[idx])
            loss.backward()
            opt.step()
            loss_sum += loss.item() * len(idx)
            if first:
                print("first training step done", flush=True)
                first = False
        trained = time.monotonic() - t0
        sched.step()
        pred = predict(net, vx) if len(vx) else None
        acc = (pred == vy).float().mean().item() if pred is not None else None
        trainchain.log_epoch(epoch + 1, train_loss=loss_sum / len(x), val_accuracy=acc,
                             seconds=time.monotonic() - t0, images_per_second=len(x) / trained)
        trainchain.save_checkpoint({"model": net.state_dict(), "optimizer": opt.state_dict(),
                                    "scheduler": sched.state_dict()}, epoch + 1)
    trainchain.save_model(net.state_dict(), "model.pt")
    trainchain.evaluate(ty.tolist(), predict(net, tx).tolist(), CLASSES, dataset="fashion-mnist", params=p)


if __name__ == "__main__":
    main()

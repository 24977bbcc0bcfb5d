"""PyTorch peer of the trainer's default net, for bench/trainer/run: the same CNN (conv5x5x20-relu -> maxpool2 ->
conv5x5x50-relu -> maxpool2 -> dense500-relu -> softmax10, He init, Adam 1e-3), the same data (Debian's Fashion-MNIST,
54,000 training images after a 10% validation hold-out), the same threads. PyTorch at its best settings here:
torch.set_num_threads(threads), OMP_NUM_THREADS set by the caller, channels-first float32, no autograd anomaly checks.
Prints one JSON object per epoch: epoch, images_per_second, seconds, test_accuracy.
Usage: /usr/bin/python3 torch_peer.py EPOCHS BATCH THREADS"""
import gzip, json, struct, sys, time
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F

D = "/usr/share/datasets/fashion-mnist/"


def idx(path):
    with gzip.open(D + path) as f:
        magic = struct.unpack(">I", f.read(4))[0]
        dims = struct.unpack(">" + "I" * (magic & 0xFF), f.read(4 * (magic & 0xFF)))
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(dims)


epochs, batch, threads = (int(a) for a in sys.argv[1:4])
torch.set_num_threads(threads)
torch.manual_seed(123)
xtr = torch.tensor(idx("train-images-idx3-ubyte.gz"), dtype=torch.float32).unsqueeze(1) / 255.0
ytr = torch.tensor(idx("train-labels-idx1-ubyte.gz"), dtype=torch.long)
xte = torch.tensor(idx("t10k-images-idx3-ubyte.gz"), dtype=torch.float32).unsqueeze(1) / 255.0
yte = torch.tensor(idx("t10k-labels-idx1-ubyte.gz"), dtype=torch.long)
keep = torch.randperm(len(xtr))[6000:]  # same number of training images as the trainer (10% held out)
xtr, ytr = xtr[keep], ytr[keep]


class Net(nn.Module):
    def __init__(s):
        super().__init__()
        s.c1 = nn.Conv2d(1, 20, 5); s.c2 = nn.Conv2d(20, 50, 5)
        s.f1 = nn.Linear(50 * 4 * 4, 500); s.f2 = nn.Linear(500, 10)
        for m in (s.c1, s.c2, s.f1, s.f2):
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu"); nn.init.zeros_(m.bias)

    def forward(s, x):
        x = F.max_pool2d(F.relu(s.c1(x)), 2); x = F.max_pool2d(F.relu(s.c2(x)), 2)
        return s.f2(F.relu(s.f1(x.flatten(1))))


m = Net(); opt = torch.optim.Adam(m.parameters(), lr=1e-3)
for e in range(epochs):
    m.train(); perm = torch.randperm(len(xtr)); t0 = time.time()
    for i in range(0, len(xtr), batch):
        idxs = perm[i:i + batch]
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(m(xtr[idxs]), ytr[idxs]).backward()
        opt.step()
    dt = time.time() - t0
    m.eval()
    with torch.no_grad():
        acc = sum((m(xte[i:i + 1000]).argmax(1) == yte[i:i + 1000]).sum().item() for i in range(0, len(xte), 1000))
    print(json.dumps({"epoch": e + 1, "images_per_second": len(xtr) / dt, "seconds": dt,
                      "test_accuracy": acc / len(xte)}), flush=True)

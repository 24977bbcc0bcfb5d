"""bench/trainer: every figure of the trainer, ours beside PyTorch's, measured in one run on this machine.
Run through bench/trainer/run (it builds what is missing). Figures (default net, Fashion-MNIST, THREADS threads):
images/s at batch 128 and 64 for ours and PyTorch's, their ratio, GFLOP/s, seconds per epoch, test accuracy after
epochs 1 and 2, peak RSS, JVM start to first training step; in the training container: images/s ÷ host, docker run
to first training step, peak container memory; and training seconds to 0.90 / 0.92 test accuracy for the recipe in
bench/trainer/recipe-fast.json."""
import glob, json, os, re, shutil, subprocess, sys, threading, time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DIST = os.path.join(ROOT, "trainer", "target", "dist")
CP = f"{DIST}/trainchain-trainer.jar:{DIST}/lib/*"
DATA = "/usr/share/datasets/fashion-mnist"
THREADS = int(sys.argv[1]) if len(sys.argv) > 1 else 2
WORK = sys.argv[2]
# Training FLOPs per image of the default net: forward MACs (conv1 24·24·20·25, conv2 8·8·50·500, dense 800·500,
# output 500·10) × 2 FLOP × 3 (forward, backward-data, backward-weights).
FLOP_PER_IMAGE = (24 * 24 * 20 * 25 + 8 * 8 * 50 * 500 + 800 * 500 + 500 * 10) * 2 * 3
# The same OpenMP settings for ours and PyTorch (both use libgomp; the short spin helped both: 3,203 -> 4,006
# images/s for ../shared/bench/torch_lenet_fashion.py, 1 epoch).
ENV = dict(os.environ, OMP_NUM_THREADS=str(THREADS), OMP_PROC_BIND="true", GOMP_SPINCOUNT="10000")


def lines(path):
    return [json.loads(l) for l in open(path) if l.strip()]


def test_accuracy(model):
    out = subprocess.run(["java", "-cp", CP, os.path.join(ROOT, "bench/trainer/EvalCheckpoint.java"), model],
                         capture_output=True, text=True, env=ENV, check=True).stdout
    return float(out.strip().splitlines()[-1])


def train_host(name, params):
    """The packaged trainer on this machine; keeps every checkpoint (hard links) and samples peak RSS."""
    out = os.path.join(WORK, name)
    os.makedirs(os.path.join(out, "keep"))
    with open(os.path.join(out, "params.json"), "w") as f:
        json.dump(params, f)
    with open(os.path.join(out, "log"), "w") as log:
        p = subprocess.Popen(["java", "-jar", f"{DIST}/trainchain-trainer.jar", "--out", out, "--params",
                              os.path.join(out, "params.json")], stdout=log, stderr=subprocess.STDOUT, env=ENV)
        hwm = 0
        while p.poll() is None:
            try:
                hwm = max(hwm, int(re.search(r"VmHWM:\s+(\d+)", open(f"/proc/{p.pid}/status").read()).group(1)))
            except (OSError, AttributeError):
                pass
            for c in glob.glob(os.path.join(out, "checkpoints", "checkpoint-epoch-*.zip")):
                dst = os.path.join(out, "keep", os.path.basename(c))
                if not os.path.exists(dst):
                    try:
                        os.link(c, dst)
                    except OSError:
                        pass
            time.sleep(0.1)
    if p.returncode != 0:
        sys.exit(f"{name}: trainer exited {p.returncode}:\n" + open(os.path.join(out, "log")).read())
    log = open(os.path.join(out, "log")).read()
    m = lines(os.path.join(out, "metrics.jsonl"))
    return dict(out=out, metrics=m, rss_mib=hwm / 1024,
                first=float(re.search(r"first training step done ([0-9.]+) s", log).group(1)),
                checkpoints=sorted(glob.glob(os.path.join(out, "keep", "*.zip"))),
                final_acc=json.load(open(os.path.join(out, "evaluation.json")))["accuracy"])


def torch(batch):
    out = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "bench/trainer/torch_peer.py"), "2", str(batch),
                          str(THREADS)], capture_output=True, text=True, check=True,
                         env=ENV).stdout
    return [json.loads(l) for l in out.splitlines() if l.startswith("{")]


def training_image():
    """The chain's DL4J image for this build: a tiny chain run builds it (or finds it cached)."""
    subprocess.run([os.path.join(ROOT, "bin/trainchain"), "run", os.path.join(ROOT, "examples/fashion-cnn"),
                    "--limit", "500", "--epochs", "1", "--store", os.path.join(WORK, "runs.db"), "--out",
                    os.path.join(WORK, "chain")], capture_output=True, text=True)
    tags = subprocess.run(["docker", "images", "trainchain/train-dl4j", "--format", "{{.CreatedAt}}\t{{.Repository}}:{{.Tag}}"],
                          capture_output=True, text=True, check=True).stdout.splitlines()
    return sorted(tags)[-1].split("\t")[1]


print(f"bench/trainer: {os.cpu_count()} CPUs, {THREADS} threads; default net, Fashion-MNIST (54,000 training images)")
ours, peer = {}, {}
for b in (128, 64):
    ours[b] = train_host(f"ours-{b}", {"batch_size": b, "epochs": 2})
    ours[b]["acc1"] = test_accuracy(ours[b]["checkpoints"][0])
    peer[b] = torch(b)

image = training_image()
params = os.path.join(WORK, "ours-128", "params.json")
cont_out = os.path.join(WORK, "container")
c = json.loads(subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "bench/trainer/container_run.py"), image, DATA,
                               cont_out, params, str(THREADS), "2g"], capture_output=True, text=True,
                              check=True).stdout)
cm = lines(os.path.join(cont_out, "metrics.jsonl"))

recipe = json.load(open(os.path.join(ROOT, "bench/trainer/recipe-fast.json")))
fast = train_host("recipe-fast", recipe)
elapsed, to = 0.0, {}
for m, ckpt in zip(fast["metrics"], fast["checkpoints"]):
    elapsed += 54000 / m["images_per_second"] if recipe.get("validation_fraction", 0.1) else 60000 / m["images_per_second"]
    acc = test_accuracy(ckpt)
    m["test_accuracy"] = acc
    for target in (0.90, 0.92):
        if acc >= target and target not in to:
            to[target] = (elapsed, m["epoch"])


def row(name, f):
    print(f"  {name:34}{f(128):>16}{f(64):>16}")


print(f"  {'':34}{'batch 128':>16}{'batch 64':>16}")
row("ours images/s (epoch 2)", lambda b: f"{ours[b]['metrics'][1]['images_per_second']:.0f}")
row("PyTorch images/s (epoch 2)", lambda b: f"{peer[b][1]['images_per_second']:.0f}")
row("ratio ours / PyTorch", lambda b: f"{ours[b]['metrics'][1]['images_per_second'] / peer[b][1]['images_per_second']:.2f}x")
row("ours GFLOP/s", lambda b: f"{ours[b]['metrics'][1]['images_per_second'] * FLOP_PER_IMAGE / 1e9:.1f}")
row("ours s/epoch (1, 2)", lambda b: "%.1f, %.1f" % tuple(m["seconds"] for m in ours[b]["metrics"]))
row("PyTorch s/epoch (1, 2)", lambda b: "%.1f, %.1f" % tuple(m["seconds"] for m in peer[b]))
row("ours test accuracy (1, 2)", lambda b: "%.4f, %.4f" % (ours[b]["acc1"], ours[b]["final_acc"]))
row("PyTorch test accuracy (1, 2)", lambda b: "%.4f, %.4f" % tuple(m["test_accuracy"] for m in peer[b]))
row("ours peak RSS (MiB)", lambda b: f"{ours[b]['rss_mib']:.0f}")
row("ours JVM start to 1st step (s)", lambda b: f"{ours[b]['first']:.2f}")
host_ips = ours[128]["metrics"][1]["images_per_second"]
print(f"  container ({image}, batch 128, {THREADS} CPUs, 2g):")
print(f"    images/s (epoch 2) {cm[1]['images_per_second']:.0f}, ÷ host {cm[1]['images_per_second'] / host_ips:.2f}")
print(f"    docker run to first training step {c['first_step_seconds']:.2f} s; peak memory "
      f"{c['peak_memory_bytes'] / 2**30:.2f} GiB (cgroup, page cache included)")
print(f"  time to accuracy, recipe-fast.json {json.dumps(recipe)}:")
print("    test accuracy by epoch: " + ", ".join(f"{m['test_accuracy']:.4f}" for m in fast["metrics"]))
for target in (0.90, 0.92):
    if target in to:
        print(f"    {target:.2f} after epoch {to[target][1]}: {to[target][0]:.1f} s of training")
    else:
        print(f"    {target:.2f}: not reached in {len(fast['metrics'])} epochs")

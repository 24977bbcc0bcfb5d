#!/usr/bin/python3
"""bench/tune's peer: Optuna (Debian's python3-optuna 3.1) driving the same trainer on the same space.

TPESampler(seed) suggests each of the space's params with suggest_categorical (a list value such as conv_blocks is
one JSON string per choice); the pruner is SuccessiveHalvingPruner(min_resource=1, reduction_factor=3,
min_early_stopping_rate=0) (--pruner sha: rungs at 1, 3, 9... epochs, a trial goes on while among the best
max(1, n // 3) values at its rung, as our ASHA) or HyperbandPruner(min_resource=1, max_resource=EPOCHS,
reduction_factor=3) (--pruner hyperband). Optuna's defaults otherwise (TPE may suggest a configuration it tried
before; it is trained again, as for any Optuna user).

Each trial writes params.json (the base params, the trial's params, epochs) and runs the built-in trainer in the
same training image as trainchain's trials (--image, the image id from our run store), with `docker run` and the
same container as the engine's TrainInContainer: no network, read-only root, /tmp tmpfs (noexec), memory with no
swap on top, the CPU and pids limits, no capabilities, no-new-privileges, uid 1000, OMP_NUM_THREADS = the CPUs,
OMP_PROC_BIND=true, GOMP_SPINCOUNT=10000, data and params read-only, the output folder writable, and the same
trainer arguments (--data /data --out /out --params /params/params.json --limit N). So both searches pay the same
container start, JVM and ND4J load per trial; only the driver differs (the docker CLI here, docker-java there).

The driver tails <trial>/train/metrics.jsonl while the container runs (every 0.2 s), reports each epoch's
val_accuracy to the trial (trial.report(value, epoch)), asks should_prune() below the last epoch, and kills the
container (docker kill) when pruned. Epochs spent = metrics.jsonl lines of all trials. No trial starts once
spent + 1 > budget (ASHA's smallest trial is one epoch); a trial running when the budget is spent is killed and told
as pruned, unless it just finished its last epoch (our search does the same). A trial's value is its val_accuracy
at its last epoch; the best is the best of the trials that ran all EPOCHS epochs (Optuna's best_value), the
definition bench/tune/run uses for ours.

Prints one line per trial on stderr, and one JSON line on stdout at the end: best_val_accuracy (null when no trial
completed), best_test_accuracy (evaluation.json of that trial), best_params, epochs, seconds (the study's wall time
from its first trial's start to its last trial's end), trials, distinct, completed, pruned, failed, budget.
"""
import argparse
import json
import os
import subprocess
import sys
import time

import optuna
from optuna.trial import TrialState


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--image", required=True, help="the training image (id or tag)")
    p.add_argument("--space", required=True, help="JSON file: {param: [choices...]}")
    p.add_argument("--base-params", help="JSON file: the params every trial starts from")
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--limit", type=int)
    p.add_argument("--epochs", type=int, required=True, help="epochs of a trial that runs to the end")
    p.add_argument("--budget", type=int, required=True, help="epochs of all trials together")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--pruner", choices=["sha", "hyperband"], default="sha")
    p.add_argument("--out", required=True, help="a folder for the trials")
    p.add_argument("--memory", type=int, default=2 << 30, help="bytes (the engine's default: 2 GiB)")
    p.add_argument("--cpus", type=float, default=2.0)
    p.add_argument("--pids", type=int, default=512)
    p.add_argument("--tmpfs", type=int, default=256 << 20, help="bytes of /tmp")
    return p.parse_args()


class Budget:
    def __init__(self, epochs):
        self.max = epochs
        self.spent = 0


def container_cmd(a, name, train_dir, params_file):
    threads = max(1, int(-(-a.cpus // 1)))  # the CPU quota rounded up, as Limits.threads()
    cmd = ["docker", "run", "--rm", "--name", name,
           "--network", "none", "--read-only",
           "--tmpfs", "/tmp:rw,noexec,nosuid,nodev,size=%d" % a.tmpfs,
           "--memory", str(a.memory), "--memory-swap", str(a.memory),
           "--cpus", repr(a.cpus), "--pids-limit", str(a.pids),
           "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
           "--user", "1000:1000", "--label", "io.trainchain.step=train",
           "-e", "OMP_NUM_THREADS=%d" % threads, "-e", "OMP_PROC_BIND=true", "-e", "GOMP_SPINCOUNT=10000",
           "-v", "%s:/data:ro" % os.path.abspath(a.data),
           "-v", "%s:/out:rw" % os.path.abspath(train_dir),
           "-v", "%s:/params/params.json:ro" % os.path.abspath(params_file),
           a.image, "--data", "/data", "--out", "/out", "--params", "/params/params.json"]
    if a.limit:
        cmd += ["--limit", str(a.limit)]
    return cmd


def writable_for_container(path):
    if os.geteuid() == 0:
        os.chown(path, 1000, 1000)
    elif os.geteuid() != 1000:
        os.chmod(path, 0o777)


def kill(name, proc):
    subprocess.run(["docker", "kill", name], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def run_trial(a, trial, params, budget):
    """Trains one trial; returns (state, value, epochs, values by epoch, why)."""
    d = os.path.join(a.out, "trial-%03d" % (trial.number + 1))
    train = os.path.join(d, "train")
    os.makedirs(train)
    writable_for_container(train)
    params_file = os.path.join(d, "params.json")
    with open(params_file, "w") as f:
        json.dump(params, f)
    name = "trainchain-optuna-%d-%d" % (os.getpid(), trial.number + 1)
    metrics = os.path.join(train, "metrics.jsonl")
    with open(os.path.join(d, "train.log"), "w") as log:
        proc = subprocess.Popen(container_cmd(a, name, train, params_file), stdout=log, stderr=subprocess.STDOUT)
    values = {}
    offset = 0
    pending = ""
    try:
        while True:
            exited = proc.poll() is not None
            if os.path.exists(metrics):
                with open(metrics) as f:
                    f.seek(offset)
                    chunk = f.read()
                    offset = f.tell()
                pending += chunk
                *lines, pending = pending.split("\n")
                for line in lines:
                    if not line.strip():
                        continue
                    m = json.loads(line)
                    e = int(m.get("epoch", 0))
                    if e <= 0 or e in values:
                        continue
                    v = m.get("val_accuracy")
                    values[e] = v
                    budget.spent += 1
                    if v is not None:
                        trial.report(float(v), e)
                    if e >= a.epochs:
                        continue  # its last epoch: the trial ends by itself
                    if v is not None and trial.should_prune():
                        kill(name, proc)
                        return TrialState.PRUNED, v, len(values), values, "pruned at epoch %d" % e
                    if budget.spent >= budget.max:
                        kill(name, proc)
                        return TrialState.PRUNED, v, len(values), values, "stopped: epochs budget spent"
            if exited:
                break
            time.sleep(0.2)
    except BaseException:
        kill(name, proc)
        raise
    rc = proc.returncode
    if rc == 0 and len(values) == a.epochs and values.get(a.epochs) is not None:
        return TrialState.COMPLETE, values[a.epochs], len(values), values, "completed"
    return TrialState.FAIL, None, len(values), values, "trainer exit %s after %d epochs (see %s/train.log)" % (
        rc, len(values), d)


def main():
    a = parse_args()
    with open(a.space) as f:
        space = json.load(f)
    base = {}
    if a.base_params:
        with open(a.base_params) as f:
            base = json.load(f)
    # Optuna's categorical choices must be None, bool, int, float or str: a list or mapping goes as its JSON.
    encoded = {k: [json.dumps(v, separators=(",", ":")) if isinstance(v, (list, dict)) else v for v in vs]
               for k, vs in space.items()}
    os.makedirs(a.out, exist_ok=True)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    if a.pruner == "sha":
        pruner = optuna.pruners.SuccessiveHalvingPruner(min_resource=1, reduction_factor=3,
                                                        min_early_stopping_rate=0)
    else:
        pruner = optuna.pruners.HyperbandPruner(min_resource=1, max_resource=a.epochs, reduction_factor=3)
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=a.seed),
                                pruner=pruner)
    budget = Budget(a.budget)
    counts = {"completed": 0, "pruned": 0, "failed": 0}
    seen = set()
    tests = {}
    started = time.monotonic()
    while budget.spent + 1 <= budget.max:
        trial = study.ask()
        chosen = {k: trial.suggest_categorical(k, encoded[k]) for k in space}
        decoded = {k: json.loads(v) if isinstance(v, str) and v[:1] in "[{" else v for k, v in chosen.items()}
        seen.add(json.dumps(decoded, sort_keys=True))
        params = dict(base)
        params.update(decoded)
        params["epochs"] = a.epochs
        state, value, epochs, values, why = run_trial(a, trial, params, budget)
        if state == TrialState.COMPLETE:
            study.tell(trial, value)
            counts["completed"] += 1
            ev = os.path.join(a.out, "trial-%03d" % (trial.number + 1), "train", "evaluation.json")
            try:
                with open(ev) as f:
                    tests[trial.number] = json.load(f).get("accuracy")
            except (OSError, ValueError):
                tests[trial.number] = None
        elif state == TrialState.PRUNED:
            study.tell(trial, state=TrialState.PRUNED)
            counts["pruned"] += 1
        else:
            study.tell(trial, state=TrialState.FAIL)
            counts["failed"] += 1
        last = values.get(epochs) if epochs else None
        print("* optuna trial %d %s after %d epochs%s: %s; budget %d/%d epochs" % (
            trial.number + 1, why, epochs, "" if last is None else ", val_accuracy %.4f" % last, decoded,
            budget.spent, budget.max), file=sys.stderr, flush=True)
        if counts["failed"] >= 3:
            print("optuna driver: 3 trials failed; stopping", file=sys.stderr)
            break
    seconds = time.monotonic() - started
    best = None
    try:
        best = study.best_trial
    except ValueError:
        pass  # no trial completed
    print(json.dumps({
        "best_val_accuracy": None if best is None else best.value,
        "best_test_accuracy": None if best is None else tests.get(best.number),
        "best_params": None if best is None else {k: json.loads(v) if isinstance(v, str) and v[:1] in "[{" else v
                                                  for k, v in best.params.items()},
        "epochs": budget.spent, "seconds": round(seconds, 1), "trials": len(study.trials), "distinct": len(seen),
        "budget": budget.max, "pruner": a.pruner, **counts}))


if __name__ == "__main__":
    main()

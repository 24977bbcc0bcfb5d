"""Trainchain's helper for training scripts: the output contract of the README in a few calls.

    import trainchain
    args = trainchain.args()                 # --data, --out, --params, --resume, --limit (--model: evaluate)
    p = trainchain.params({"lr": 0.01, "epochs": 2})
    start = 0
    state = trainchain.load_checkpoint() if args.resume else None
    if state: model.load_state_dict(state["model"]); start = state["epoch"]
    for epoch in range(start, p["epochs"]):
        ...
        trainchain.log_epoch(epoch + 1, train_loss=..., val_accuracy=...)
        trainchain.save_checkpoint({"model": model.state_dict(), ...}, epoch + 1)
    trainchain.evaluate(y_true, y_pred, class_names)   # writes evaluation.json
    trainchain.save_model(model)                        # out/model.pt (torch), else out/model.pkl

Pure Python: torch and numpy are used when the script has them. Every file is written to a temp file in the same
folder and renamed, so a kill never leaves a half-written one. Checkpoints are zip files with a CRC per entry
(the watcher checks them before a restart) and hold the Python, NumPy and torch RNG states, so a resume after an
epoch repeats an uninterrupted run on the same threads.
"""

import argparse
import io
import json
import math
import os
import pickle
import random
import re
import sys
import time
import zipfile

__all__ = ["args", "params", "out_dir", "data_dir", "log_epoch", "save_checkpoint", "load_checkpoint",
           "evaluate", "save_model", "bad_input", "BAD_INPUT"]

BAD_INPUT = 2
KEEP = 2
_NAME = re.compile(r"checkpoint-epoch-(\d{1,9})(?:-batch-(\d{1,9}))?\.zip$")
_args = None


def args(argv=None):
    """The engine's arguments; anything else on the command line is left in ``args().extra``."""
    global _args
    if _args is None or argv is not None:
        p = argparse.ArgumentParser(add_help=False)
        p.add_argument("--data", default=None)
        p.add_argument("--out", default=os.environ.get("TRAINCHAIN_OUT", "out"))
        p.add_argument("--params", default=None)
        p.add_argument("--resume", action="store_true")
        p.add_argument("--limit", type=int, default=0)
        p.add_argument("--model", default=None)  # the evaluate script's saved model (trainchain.yaml 'evaluate')
        ns, extra = p.parse_known_args(sys.argv[1:] if argv is None else argv)
        ns.extra = extra
        _args = ns
    return _args


def out_dir():
    d = args().out
    os.makedirs(d, exist_ok=True)
    return d


def data_dir():
    return args().data


def bad_input(message):
    """Ends the script as bad input (exit 2): the engine reports the message and never restarts it."""
    print("error: " + message, file=sys.stderr, flush=True)
    sys.exit(BAD_INPUT)


def _not_json(word):
    raise ValueError("%s is not a JSON number" % word)  # Python's json takes NaN and Infinity; a param cannot be


def params(defaults=None):
    """``defaults`` updated with the params file (--params); a key the defaults do not have is refused."""
    merged = dict(defaults or {})
    path = args().params
    if path:
        try:
            with open(path, encoding="utf-8") as f:
                given = json.load(f, parse_constant=_not_json)
        except (OSError, ValueError) as e:
            bad_input("cannot read the params file %s: %s" % (path, e))
        if not isinstance(given, dict):
            bad_input("the params file %s must hold a JSON object, not %s" % (path, type(given).__name__))
        if defaults:
            unknown = sorted(set(given) - set(defaults))
            if unknown:
                bad_input("the params file %s has unknown keys %s; known: %s"
                          % (path, ", ".join(unknown), ", ".join(sorted(defaults))))
        for k, v in given.items():
            d = merged.get(k)
            if d is not None and isinstance(d, (int, float)) and not isinstance(d, bool):
                if isinstance(v, bool) or not isinstance(v, (int, float)):
                    bad_input("params %s: '%s' is %r but must be a number like %r" % (path, k, v, d))
                if isinstance(d, int) and not isinstance(v, int) and not float(v).is_integer():
                    bad_input("params %s: '%s' is %r but must be a whole number" % (path, k, v))
                v = type(d)(v)
            elif isinstance(d, (bool, str)) and type(v) is not type(d):  # "false" for a bool would be truthy
                bad_input("params %s: '%s' is %r but must be %s like %r"
                          % (path, k, v, "true or false" if isinstance(d, bool) else "a string", d))
            merged[k] = v
    return merged


def _atomic(path, write):
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    tmp = os.path.join(folder, ".%s.tmp-%d" % (os.path.basename(path), os.getpid()))
    try:
        with open(tmp, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def _finite(v):
    if v is None:
        return None
    v = float(v)
    return v if math.isfinite(v) else None


def log_epoch(epoch, train_loss=None, val_loss=None, val_accuracy=None, val_macro_f1=None, seconds=None,
              images_per_second=None, **more):
    """One line of metrics.jsonl for epoch ``epoch`` (1-based). Lines of this epoch or later (from before a resume)
    are dropped first, so no epoch is ever reported twice."""
    path = os.path.join(out_dir(), "metrics.jsonl")
    kept = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                try:
                    if json.loads(line).get("epoch", 0) < epoch:
                        kept.append(line.rstrip("\n"))
                except ValueError:
                    pass  # a torn line: gone
    rec = {"epoch": int(epoch), "train_loss": _finite(train_loss), "val_loss": _finite(val_loss),
           "val_accuracy": _finite(val_accuracy), "val_macro_f1": _finite(val_macro_f1),
           "seconds": _finite(seconds), "images_per_second": _finite(images_per_second)}
    # hasattr __float__: NumPy and torch scalars (np.float32 is no float and crashed json.dumps); str has none.
    rec.update({k: (_finite(v) if isinstance(v, (int, float)) or hasattr(v, "__float__") else v)
                for k, v in more.items()})
    kept.append(json.dumps(rec))
    _atomic(path, lambda f: f.write(("\n".join(kept) + "\n").encode("utf-8")))
    print("epoch %d: %s" % (epoch, ", ".join("%s %s" % (k, _fmt(v)) for k, v in rec.items()
                                             if k != "epoch" and v is not None)), flush=True)


def _fmt(v):
    return "%.4f" % v if isinstance(v, float) else str(v)


def _torch():
    return sys.modules.get("torch")


def _rng_states():
    s = {"python": random.getstate()}
    np = sys.modules.get("numpy")
    if np is not None:
        s["numpy"] = np.random.get_state()
    t = _torch()
    if t is not None:
        s["torch"] = t.get_rng_state()
    return s


def _set_rng_states(s):
    if "python" in s:
        random.setstate(s["python"])
    np = sys.modules.get("numpy")
    if np is not None and "numpy" in s:
        np.random.set_state(s["numpy"])
    t = _torch()
    if t is not None and "torch" in s:
        t.set_rng_state(s["torch"])


def _checkpoint_dir():
    return os.path.join(out_dir(), "checkpoints")


def _checkpoints():
    d = _checkpoint_dir()
    found = []
    if os.path.isdir(d):
        for n in os.listdir(d):
            m = _NAME.match(n)
            if m:
                found.append(((int(m.group(1)), int(m.group(2) or 0)), os.path.join(d, n)))
    return [p for _, p in sorted(found)]


def save_checkpoint(state, epoch, batch=0):
    """``state`` (a dict: model and optimizer state dicts, anything picklable) after ``epoch`` epochs and ``batch``
    batches of the next; the RNG states go with it. Keeps the newest two. Returns the file's path."""
    name = "checkpoint-epoch-%04d.zip" % epoch if batch == 0 else "checkpoint-epoch-%04d-batch-%05d.zip" % (
        epoch, batch)
    path = os.path.join(_checkpoint_dir(), name)
    payload = {"state": state, "rng": _rng_states()}
    body = io.BytesIO()
    t = _torch()
    if t is not None:
        t.save(payload, body)
        entry = "state.pt"
    else:
        pickle.dump(payload, body, protocol=pickle.HIGHEST_PROTOCOL)
        entry = "state.pkl"
    meta = json.dumps({"epoch": int(epoch), "batch": int(batch), "written": time.time()}).encode("utf-8")
    t0 = time.monotonic()

    def write(f):
        with zipfile.ZipFile(f, "w", zipfile.ZIP_STORED) as z:
            z.writestr("trainchain-state.json", meta)
            z.writestr(entry, body.getvalue())
    _atomic(path, write)
    for old in _checkpoints()[:-KEEP]:
        os.remove(old)
    print("checkpoint %s written (epoch %d, batch %d) in %.2f s" % (name, epoch, batch, time.monotonic() - t0),
          flush=True)
    return path


def load_checkpoint():
    """The newest checkpoint that reads back whole, as ``dict(state, epoch=..., batch=...)`` with the RNG states
    restored; None when there is none. A damaged one is skipped with a warning naming it."""
    files = _checkpoints()
    for i in range(len(files) - 1, -1, -1):
        path = files[i]
        try:
            with zipfile.ZipFile(path) as z:
                bad = z.testzip()
                if bad is not None:
                    raise ValueError("entry %s fails its CRC check" % bad)
                meta = json.loads(z.read("trainchain-state.json"))
                names = z.namelist()
                if "state.pt" in names:
                    t = _torch()
                    if t is None:
                        import torch as t
                    payload = t.load(io.BytesIO(z.read("state.pt")))
                else:
                    payload = pickle.loads(z.read("state.pkl"))
        except Exception as e:  # noqa: BLE001 - any damage means: try the previous one
            print("warning: checkpoint %s is unreadable (%s); %s" % (
                os.path.basename(path), e, "falling back to " + os.path.basename(files[i - 1]) if i > 0
                else "no older checkpoint"), flush=True)
            continue
        _set_rng_states(payload.get("rng", {}))
        state = payload["state"]
        result = dict(state) if isinstance(state, dict) else {"state": state}
        result["epoch"] = meta["epoch"]
        result["batch"] = meta["batch"]
        print("resuming from %s after epoch %d, batch %d" % (os.path.basename(path), meta["epoch"], meta["batch"]),
              flush=True)
        return result
    return None


def evaluate(y_true, y_pred, class_names=None, **extra):
    """Accuracy, macro F1, per-class precision/recall/F1/support and the confusion matrix (rows: true class) of
    the test predictions; written to evaluation.json (with ``extra``) and returned."""
    y_true = [int(v) for v in y_true]
    y_pred = [int(v) for v in y_pred]
    if len(y_true) != len(y_pred) or not y_true:
        raise ValueError("evaluate: %d true labels and %d predictions" % (len(y_true), len(y_pred)))
    if min(min(y_true), min(y_pred)) < 0:  # cm[-1] would count it into the last class
        raise ValueError("evaluate: labels are class indices 0..k-1, not %d" % min(min(y_true), min(y_pred)))
    k = max(max(y_true), max(y_pred)) + 1
    if class_names is not None:
        class_names = [str(c) for c in class_names]
        k = max(k, len(class_names))
    cm = [[0] * k for _ in range(k)]
    for t, p in zip(y_true, y_pred):
        cm[t][p] += 1
    per_class = []
    f1s = []
    for c in range(k):
        tp = cm[c][c]
        predicted = sum(cm[r][c] for r in range(k))
        support = sum(cm[c])
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        f1s.append(f1)
        per_class.append({"class": class_names[c] if class_names and c < len(class_names) else str(c),
                          "precision": precision, "recall": recall, "f1": f1, "support": support})
    result = {"accuracy": sum(cm[c][c] for c in range(k)) / len(y_true), "macro_f1": sum(f1s) / k,
              "per_class": per_class, "confusion_matrix": cm,
              "class_names": class_names or [str(c) for c in range(k)], "test_images": len(y_true)}
    result.update(extra)
    text = json.dumps(result, indent=2)
    _atomic(os.path.join(out_dir(), "evaluation.json"), lambda f: f.write(text.encode("utf-8")))
    print("test: accuracy %.4f, macro F1 %.4f on %d examples; wrote evaluation.json"
          % (result["accuracy"], result["macro_f1"], len(y_true)), flush=True)
    return result


def save_model(model, name=None):
    """The model as the run's artifact: torch.save for a torch object (model.pt), else pickle (model.pkl)."""
    t = _torch()
    is_torch = t is not None and (isinstance(model, t.nn.Module) or isinstance(model, dict))
    name = name or ("model.pt" if is_torch else "model.pkl")
    path = os.path.join(out_dir(), name)
    if is_torch:
        _atomic(path, lambda f: t.save(model, f))
    else:
        _atomic(path, lambda f: pickle.dump(model, f, protocol=pickle.HIGHEST_PROTOCOL))
    return path

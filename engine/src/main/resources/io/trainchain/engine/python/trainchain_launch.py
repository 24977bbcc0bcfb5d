"""Starts the user's Python script in a Trainchain training container (the engine's entrypoint, never a shell).

    python3 trainchain_launch.py --workdir /work/code [--data-path data/] [--template] [--resume-args JSON]
                                 [--checkpoint-dir DIR]
                                 -- PROGRAM [ARG...] [--resume]

1. Checks the repository's requirements.txt / pyproject.toml against what the image has: a missing or too old
   package is bad input (exit 2) naming the file, the line and the package, before the script runs.
2. Copies the code (/opt/trainchain/code, read-only in the image) into the writable working directory, so a
   script may write next to itself (model.pt, accuracy.txt); files it wrote in an earlier container stay.
3. Makes the dataset appear where the script looks for it (--data-path, relative to the working directory): each
   file of /data linked there, and gzip files also unpacked (torchvision reads MNIST's IDX files unpacked).
4. In template mode a trailing --resume (the watcher's) is replaced by the declared resume arguments (unless the
   declared checkpoint folder is still empty), or dropped with a note that the script restarts from scratch.
5. Replaces itself with the script (exec), so signals and the exit code are the script's own.
"""

import gzip
import json
import os
import re
import shutil
import sys

CODE = "/opt/trainchain/code"
DATA = "/data"
BAD_INPUT = 2


def fail(message):
    print("error: " + message, file=sys.stderr, flush=True)
    sys.exit(BAD_INPUT)


def say(message):
    print("trainchain: " + message, flush=True)


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def version_tuple(v):
    parts = []
    for p in re.split(r"[.+-]", v):
        m = re.match(r"\d+", p)
        if not m:
            break
        parts.append(int(m.group()))
    return tuple(parts)


def satisfies(installed, op, wanted):
    a, b = version_tuple(installed), version_tuple(wanted)
    n = max(len(a), len(b))
    a, b = a + (0,) * (n - len(a)), b + (0,) * (n - len(b))
    if op in ("==", "==="):
        if wanted.endswith(".*"):
            w = version_tuple(wanted[:-2])
            return a[:len(w)] == w
        return a == b
    if op == "!=":
        return not satisfies(installed, "==", wanted)  # also for a prefix: !=1.2.* excludes 1.2.1
    if op == ">=":
        return a >= b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    if op == "<":
        return a < b
    if op == "~=":
        w = version_tuple(wanted)
        return a >= b and a[:len(w) - 1] == w[:len(w) - 1]
    return True


def parse_requirement(text):
    """(name, [(op, version)...], marker) of a PEP 508 line, or None when it is not one."""
    body, _, marker = text.partition(";")
    m = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$", body)
    if not m:
        return None
    rest = m.group(3).strip()
    if rest.startswith("@"):
        return m.group(1), [], marker  # a URL: only the name can be checked
    rest = rest.strip("()").strip()
    specs = re.findall(r"(===|==|!=|>=|<=|~=|>|<)\s*([^,\s]+)", rest)
    if rest and not specs:
        return None
    return m.group(1), specs, marker


def requirements(code):
    """(file, line number, text) of each requirement the repository declares."""
    found = []
    if os.path.isfile(os.path.join(code, "requirements.txt")):
        requirement_lines(code, "requirements.txt", found, [])
    path = os.path.join(code, "pyproject.toml")
    if os.path.isfile(path):
        try:
            import tomllib
            with open(path, "rb") as f:
                deps = tomllib.load(f).get("project", {}).get("dependencies", [])
        except Exception as e:  # noqa: BLE001
            fail("pyproject.toml cannot be read (%s); fix its syntax" % e)
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        for d in deps:
            # The quoted entry first: "torch" is also in name = "torch-demo" above the dependencies.
            quoted = ('"%s"' % d, "'%s'" % d)
            n = next((i + 1 for i, l in enumerate(lines) if any(q in l for q in quoted)), 0) or next(
                (i + 1 for i, l in enumerate(lines) if d in l), 0)
            found.append(("pyproject.toml", n, d))
    return found


INCLUDE = re.compile(r"^(?:-r|--requirement)(?:\s+|=)(\S+)$")


def requirement_lines(code, name, found, chain):
    """Adds the package lines of ``name`` (relative to ``code``) to ``found``, following ``-r FILE`` includes
    (relative to the including file, inside the repository); other option lines (-e, -c, --index-url) are pip's."""
    with open(os.path.join(code, name), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            text = line.split("#", 1)[0].strip()
            include = INCLUDE.match(text)
            if include:
                target = os.path.normpath(os.path.join(os.path.dirname(name), include.group(1)))
                where = "%s:%d: '%s'" % (name, n, text)
                if target.startswith("..") or os.path.isabs(target):
                    fail("%s includes a file outside the repository; keep requirement files inside it" % where)
                if target in chain + [name]:
                    fail("%s includes itself (%s)" % (where, " -> ".join(chain + [name, target])))
                if not os.path.isfile(os.path.join(code, target)):
                    fail("%s: %s is not in the repository; add it or remove the line" % (where, target))
                requirement_lines(code, target, found, chain + [name])
            elif text and not text.startswith("-"):
                found.append((name, n, text))


def check_requirements(code):
    from importlib import metadata
    missing = []
    for file, n, text in requirements(code):
        parsed = parse_requirement(text)
        if parsed is None:
            missing.append("%s:%d: '%s' is not a requirement this check understands (a name, then version "
                           "specifiers such as >=1.2)" % (file, n, text))
            continue
        name, specs, marker = parsed
        if marker and not marker_applies(marker):
            continue
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            missing.append("%s:%d: package '%s' is not in the training image" % (file, n, name))
            continue
        for op, wanted in specs:
            if not satisfies(installed, op, wanted):
                missing.append("%s:%d: '%s' wants %s%s, the image has %s %s"
                               % (file, n, name, op, wanted, name, installed))
    if missing:
        fail("the training image lacks what the repository requires:\n  " + "\n  ".join(missing)
             + "\nNo package index can be reached from the container. Let the image build install them "
               "(install: true, or install: {index_url: URL} or {find_links: wheels} in trainchain.yaml), or build "
               "an image that has them: a recipe of your own (dockerfiles/<name>/Dockerfile, then framework: <name> "
               "in trainchain.yaml) or a base image with them (--base-image); or relax the requirement if the "
               "image's version will do.")


def marker_applies(marker):
    """PEP 508's whole marker (sys_platform, platform_machine, python_version, and/or...) through `packaging` (pip's
    copy: our images have pip); where neither is there, only a python_version clause is judged."""
    try:
        from packaging.markers import InvalidMarker, Marker
    except ImportError:
        try:
            from pip._vendor.packaging.markers import InvalidMarker, Marker
        except ImportError:
            Marker = None
    if Marker is not None:
        try:
            return Marker(marker.strip()).evaluate()
        except InvalidMarker:
            return True  # checked as if it applied: the report then names the line
    m = re.search(r"python_version\s*([<>=!]=?)\s*['\"]([\d.]+)['\"]", marker)
    if not m:
        return True
    return satisfies("%d.%d" % sys.version_info[:2], m.group(1), m.group(2))


def copy_code(workdir):
    os.makedirs(workdir, exist_ok=True)
    for root, dirs, files in os.walk(CODE):
        rel = os.path.relpath(root, CODE)
        target = workdir if rel == "." else os.path.join(workdir, rel)
        os.makedirs(target, exist_ok=True)
        for name in files:
            shutil.copyfile(os.path.join(root, name), os.path.join(target, name))


def place_data(workdir, data_path):
    target = os.path.normpath(os.path.join(workdir, data_path))
    os.makedirs(target, exist_ok=True)
    for name in sorted(os.listdir(DATA)):
        src = os.path.join(DATA, name)
        link = os.path.join(target, name)
        if not os.path.lexists(link):
            os.symlink(src, link)
        if name.endswith(".gz") and os.path.isfile(src):
            plain = link[:-3]
            if not os.path.exists(plain):
                tmp = plain + ".tmp"
                with gzip.open(src, "rb") as i, open(tmp, "wb") as o:
                    shutil.copyfileobj(i, o, 1 << 20)
                os.replace(tmp, plain)
    say("data from %s at %s" % (DATA, target))


def main(argv):
    if "--" not in argv:
        fail("trainchain_launch.py: no '--' before the program to run")
    split = argv.index("--")
    opts, program = argv[:split], argv[split + 1:]
    if not program:
        fail("trainchain_launch.py: no program after '--'")
    workdir, data_path, template, resume_args, checkpoint_dir = "/work/code", None, False, None, None
    i = 0
    while i < len(opts):
        o = opts[i]
        if o == "--workdir":
            workdir, i = opts[i + 1], i + 2
        elif o == "--data-path":
            data_path, i = opts[i + 1], i + 2
        elif o == "--template":
            template, i = True, i + 1
        elif o == "--checkpoint-dir":
            checkpoint_dir, i = opts[i + 1], i + 2
        elif o == "--resume-args":
            resume_args, i = json.loads(opts[i + 1]), i + 2
        else:
            fail("trainchain_launch.py: unknown option " + o)
    check_requirements(CODE)
    copy_code(workdir)
    if data_path:
        place_data(workdir, data_path)
    if template and program[-1] == "--resume":
        program = program[:-1]
        ckpt = os.path.join(workdir, checkpoint_dir) if checkpoint_dir else None
        if resume_args and ckpt and not (os.path.isdir(ckpt) and os.listdir(ckpt)):
            say("no checkpoint in %s yet: restarting the script from scratch" % checkpoint_dir)
        elif resume_args:
            program += resume_args
            say("resuming with " + " ".join(resume_args))
        else:
            say("the script declares no way to resume (resume_args in trainchain.yaml): restarting it from scratch")
    os.chdir(workdir)
    say("exec " + " ".join(program))  # the script's own time starts here (bench/python)
    sys.stdout.flush()
    os.execvp(program[0], program)


if __name__ == "__main__":
    main(sys.argv[1:])

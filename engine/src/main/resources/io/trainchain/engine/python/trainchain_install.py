"""The Python recipes' install layer, run as root while the image is built (trainchain.yaml ``install:``).

    python3 trainchain_install.py /opt/trainchain/install

The folder holds install.json (empty without ``install:``: nothing to do), the repository's requirements.txt /
pyproject.toml and its wheels. The requirements are the ones the launcher checks before a script runs (the same
parser), pip-installed into a virtual environment over the image's own packages (--system-site-packages: a
requirement the image already meets is left alone; Debian's system Python refuses pip, PEP 668). The recipe puts
the environment first on PATH. Only the build has a network; the training container never does.
"""

import json
import os
import re
import subprocess
import sys
from urllib.parse import urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import trainchain_launch as launch  # noqa: E402  (the launcher's requirement parser, beside this file)

VENV = "/opt/trainchain/venv"
BAD_INPUT = 2
# pip's words when an index is out of reach, and when none of what it reached has the requirement
UNREACHABLE = ("NewConnectionError", "Name or service not known", "Temporary failure in name resolution",
               "Connection refused", "ConnectTimeoutError", "ReadTimeoutError", "SSLError", "ProxyError")
UNMET = re.compile(r"No matching distribution found for (.+)$")


def say(message):
    print("trainchain install: " + message, flush=True)


def main(argv):
    if len(argv) != 1:
        print("usage: trainchain_install.py FOLDER", file=sys.stderr)
        return 2
    folder = argv[0]
    with open(os.path.join(folder, "install.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    if not manifest.get("files"):
        return 0  # no install: in trainchain.yaml
    wanted = [text for _, _, text in launch.requirements(folder)]
    for name in manifest["files"]:
        skipped = options(os.path.join(folder, name)) if name == "requirements.txt" else []
        for n, line in skipped:
            say("%s:%d: '%s' is not followed (package lines and -r includes are installed and checked); "
                "list those packages instead" % (name, n, line))
    if not wanted:
        say("%s list no package: nothing to install" % " and ".join(manifest["files"]))
        return 0
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", "--system-site-packages", VENV], check=True)
    command = [VENV + "/bin/python3", "-m", "pip", "install", "--no-input", "--disable-pip-version-check",
               "--no-cache-dir", "--progress-bar", "off", "--no-warn-script-location"]
    source = []
    if manifest.get("no_index"):
        command.append("--no-index")
    elif manifest.get("index_url"):
        url = manifest["index_url"]
        command += ["--index-url", url]
        if urlsplit(url).scheme == "http":
            # pip ignores a plain-http index unless its host is trusted; the user chose http in trainchain.yaml.
            command += ["--trusted-host", urlsplit(url).netloc]
            say("warning: %s is plain http: packages come without TLS" % url)
        source.append(url)
    else:
        source.append("pip's default index")
    if manifest.get("find_links"):
        command += ["--find-links", os.path.join(folder, "wheels")]
        source.append("the repository's %s/" % manifest["find_links"])
    say("pip-installing %d requirement(s) of %s from %s: %s"
        % (len(wanted), " and ".join(manifest["files"]), " and ".join(source), ", ".join(wanted)))
    unreachable, unmet = run_pip(command + wanted)
    if unmet and not unreachable:
        print("error: the requirements of %s cannot be met from %s: %s. Fix the requirement, or add the package "
              "to the index or to install.find_links, or build an image that has it (a recipe or base image of "
              "your own)" % (" and ".join(manifest["files"]), " and ".join(source), unmet),
              file=sys.stderr, flush=True)
        return BAD_INPUT
    if unreachable or unmet is not None:
        print("error: pip could not install the requirements of %s from %s%s (its output above says why); check "
              "that the build's network reaches the index (install.index_url in trainchain.yaml)"
              % (" and ".join(manifest["files"]), " and ".join(source),
                 ": the index could not be reached" if unreachable else ""), file=sys.stderr, flush=True)
        return 1
    return 0


def run_pip(command):
    """Runs pip, its output passed on line by line. (index unreachable?, the unmet requirement or "" or None if
    pip succeeded): a requirement no index or wheel meets is bad input, an index out of reach is not."""
    unreachable, unmet = False, None
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as p:
        for line in p.stdout:
            sys.stdout.write(line)
            if any(s in line for s in UNREACHABLE):
                unreachable = True
            m = UNMET.search(line)
            if m:
                unmet = m.group(1)
    if p.returncode == 0:
        return False, None
    return unreachable, unmet or ""


def options(path):
    """(line number, text) of the option lines (-e, -c, --index-url...) pip would follow but the check does not."""
    found = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            text = line.split("#", 1)[0].strip()
            if text.startswith("-") and not launch.INCLUDE.match(text):
                found.append((n, text))
    return found


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

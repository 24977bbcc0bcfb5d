"""Runs the training image the way the engine does (no network, read-only root, non-root, memory/CPU/pids limits) and
measures it from outside: seconds from `docker run` to the first training step, and the container's peak memory
(cgroup v1 memory.max_usage_in_bytes or v2 memory.peak, sampled while it runs; page cache included).
Usage: container_run.py IMAGE DATA_DIR OUT_DIR PARAMS_JSON CPUS MEMORY
Prints one JSON object: first_step_seconds, peak_memory_bytes, exit_code."""
import json, os, subprocess, sys, threading, time

image, data, out, params, cpus, memory = sys.argv[1:7]
os.makedirs(out, exist_ok=True)
os.chmod(out, 0o777)
t0 = time.time()
cid = subprocess.run(["docker", "run", "-d", "--network", "none", "--read-only", "--tmpfs",
                      "/tmp:rw,noexec,nosuid,size=268435456", "--user", "1000:1000", "--memory", memory,
                      "--memory-swap", memory, "--cpus", cpus, "--pids-limit", "512", "--cap-drop", "ALL",
                      "--security-opt", "no-new-privileges", "-e", f"OMP_NUM_THREADS={cpus}",
                      "-v", f"{data}:/data:ro", "-v", f"{out}:/out", "-v", f"{params}:/params/params.json:ro",
                      image, "--data", "/data", "--out", "/out", "--params", "/params/params.json"],
                     check=True, capture_output=True, text=True).stdout.strip()
peak = 0
done = threading.Event()


def sample():
    global peak
    paths = [f"/sys/fs/cgroup/memory/docker/{cid}/memory.max_usage_in_bytes",
             f"/sys/fs/cgroup/system.slice/docker-{cid}.scope/memory.peak"]
    while not done.is_set():
        for p in paths:
            try:
                peak = max(peak, int(open(p).read()))
            except OSError:
                pass
        time.sleep(0.1)


threading.Thread(target=sample, daemon=True).start()
first = None
logs = subprocess.Popen(["docker", "logs", "-f", cid], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
with open(os.path.join(out, "container.log"), "w") as log:
    for line in logs.stdout:
        log.write(line)
        if first is None and line.startswith("first training step"):
            first = time.time() - t0
code = int(subprocess.run(["docker", "wait", cid], capture_output=True, text=True).stdout.strip() or -1)
done.set()
subprocess.run(["docker", "rm", "-f", cid], capture_output=True)
print(json.dumps({"first_step_seconds": first, "peak_memory_bytes": peak, "exit_code": code}))

#!/bin/sh
# Stand-in for the trainer: takes the same arguments (--data --out --params ...) plus --mode.
mode=probe; out=/out; params=
while [ $# -gt 0 ]; do
  case "$1" in
    --mode) mode=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --params) params=$2; shift 2 ;;
    *) shift ;;
  esac
done
echo "probe started mode=$mode"
case "$mode" in
  probe)
    echo "net=$(ls /sys/class/net | tr '\n' ',' | sed 's/,$//')"
    echo "uid=$(id -u)"
    echo "gid=$(id -g)"
    if touch /probe-write 2>/dev/null; then echo "root_writable=yes"; else echo "root_writable=no"; fi
    if echo x > /tmp/probe 2>/dev/null; then echo "tmp_writable=yes"; else echo "tmp_writable=no"; fi
    if touch /data/probe-write 2>/dev/null; then echo "data_writable=yes"; else echo "data_writable=no"; fi
    echo "data_content=$(cat /data/input.txt)"
    echo "params_content=$(cat "$params")"
    for f in /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/memory.max; do
      [ -r "$f" ] && echo "memory_limit=$(cat "$f")" && break
    done
    for f in /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes /sys/fs/cgroup/memory.swap.max; do
      [ -r "$f" ] && echo "memsw_limit=$(cat "$f")" && break
    done
    for f in /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/pids.max; do
      [ -r "$f" ] && echo "pids_limit=$(cat "$f")" && break
    done
    for f in /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu.max; do
      [ -r "$f" ] && echo "cpu_quota=$(cat "$f")" && break
    done
    echo "cap_eff=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status)"
    echo "no_new_privs=$(sed -n 's/^NoNewPrivs:[[:space:]]*//p' /proc/self/status)"
    echo "omp_threads=$OMP_NUM_THREADS"
    echo "omp_bind=$OMP_PROC_BIND"
    echo "tmp_mount=$(grep ' /tmp ' /proc/mounts)"
    echo "secret_seen=${SECRET_TOKEN:+yes}"
    # Epochs appear one by one, as the trainer writes them.
    echo '{"epoch":1,"train_loss":0.9,"val_accuracy":0.71}' >> "$out/metrics.jsonl"
    sleep 0.6
    printf '{"epoch":2,"train_loss":0.5,' >> "$out/metrics.jsonl"
    sleep 0.5
    echo '"val_accuracy":0.82}' >> "$out/metrics.jsonl"
    sleep 0.5
    echo done > "$out/result.txt"
    echo "probe finished"
    ;;
  crash)
    echo "about to fail" >&2
    exit 3
    ;;
  exit1)
    # A recipe whose entrypoint fails at once (a bug, not memory): the watcher retries it once at most.
    echo "about to fail at start" >&2
    exit 1
    ;;
  oom)
    # tail keeps a newline-less input in memory: far above the limit, so the OOM killer fires.
    head -c 1073741824 /dev/zero | tail > /dev/null
    status=$?
    echo "tail exited with $status"
    exit $status
    ;;
  sleep)
    echo "sleeping"
    sleep 600
    ;;
  *)
    echo "unknown mode $mode" >&2
    exit 2
    ;;
esac

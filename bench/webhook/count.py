"""bench/webhook's check of the run store: the acknowledged delivery ids (wrk's acked-*.txt) against the queue.

Usage: count.py DB ACKED_DIR TAG [wait_seconds]
Waits until no chain of the tag is QUEUED or RUNNING (the no-op workers drain the queue), then prints
acked, stored, lost (acknowledged but not in the store), duplicated (a delivery stored twice, or a chain executed
twice without an interruption), rerun_after_kill (chains a killed server re-ran) and still_pending.
"""
import glob
import sqlite3
import sys
import time

db, acked_dir, tag = sys.argv[1], sys.argv[2], sys.argv[3]
wait = float(sys.argv[4]) if len(sys.argv) > 4 else 60
acked = set()
for f in glob.glob(acked_dir + "/acked-*.txt"):
    with open(f) as fh:
        acked.update("github:" + line.strip() for line in fh if line.strip())
like = "github:" + tag + "-%"
c = sqlite3.connect(db, timeout=30)
deadline = time.time() + wait
while True:
    pending = c.execute("SELECT COUNT(*) FROM queue WHERE trigger_id LIKE ? AND state IN ('QUEUED', 'RUNNING')",
                        (like,)).fetchone()[0]
    if pending == 0 or time.time() > deadline:
        break
    time.sleep(0.5)
rows = c.execute("SELECT trigger_id, executions, interruptions, state FROM queue WHERE trigger_id LIKE ?",
                 (like,)).fetchall()
stored = [r[0] for r in rows]
lost = len(acked - set(stored))
duplicated = (len(stored) - len(set(stored))) + sum(1 for r in rows if r[1] > 1 + r[2])
rerun = sum(1 for r in rows if r[2] > 0)
not_done = sum(1 for r in rows if r[3] != 'DONE')
print(f"acked={len(acked)} stored={len(stored)} lost={lost} duplicated={duplicated} "
      f"rerun_after_kill={rerun} still_pending={pending} not_done={not_done}")

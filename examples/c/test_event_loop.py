"""Runs letts-event-loop (100 runs driven by one poll(2) loop on one thread)
and checks its output: one completion line per run, each a success with
its progress event and a distinct mission id, in the order they finished;
then the summary: all succeeded, the wall time, and more than one run
followed at the same time (the runs really were in flight together)."""
import re
import subprocess
import sys

example, mission_dir = sys.argv[1], sys.argv[2]
runs = 100
run = subprocess.run([example, mission_dir, str(runs), "1"], capture_output=True, text=True, timeout=280)
out = run.stdout
if run.returncode != 0:
    sys.exit(f"expected letts-event-loop to exit 0, got {run.returncode}\nstdout:\n{out}\nstderr:\n{run.stderr}")

done = re.findall(r"^done +(\d+)/(\d+)  mission (\S+)  (\S+)  progress events (\d+)  after (\d+) ms$", out, re.M)
if len(done) != runs:
    sys.exit(f"expected {runs} completion lines, got {len(done)}\nstdout:\n{out}")
if [int(d[0]) for d in done] != list(range(1, runs + 1)) or any(int(d[1]) != runs for d in done):
    sys.exit(f"expected completions numbered 1..{runs} of {runs}\nstdout:\n{out}")
ids = {d[2] for d in done}
if len(ids) != runs or not all(re.fullmatch(r"[0-9a-f-]{36}", i) for i in ids):
    sys.exit(f"expected {runs} distinct mission ids, got {len(ids)}")
bad = [d for d in done if d[3] != "success" or d[4] != "1"]
if bad:
    sys.exit(f"expected every run to succeed after 1 progress event, got {bad[:5]}")
times = [int(d[5]) for d in done]
if times != sorted(times):
    sys.exit(f"expected completions printed as they happen (times ascending), got {times}")

summary = re.search(r"^all (\d+) runs done: (\d+) succeeded, (\d+) failed; wall time (\d+) ms; "
                    r"at most (\d+) followed at once; (\d+) poll rounds$", out, re.M)
if not summary:
    sys.exit(f"expected the summary line\nstdout:\n{out}")
total, ok, failed, wall, peak, rounds = map(int, summary.groups())
if (total, ok, failed) != (runs, runs, 0):
    sys.exit(f"expected {runs} of {runs} succeeded, got {summary.group(0)}")
if peak < 10:
    sys.exit(f"expected several runs followed at once, got {peak}")
print(f"letts-event-loop: {runs} runs succeeded, wall time {wall} ms, "
      f"at most {peak} followed at once, {rounds} poll rounds")

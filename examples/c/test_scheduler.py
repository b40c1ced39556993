"""Runs letts-scheduler for 3 ticks and checks its output: 3 distinct ticks
one second apart, both schedulers dispatching the same tick got the same
mission id (the tick's derived id), different ticks different ids, and the
two schedulers both took part."""
import re
import subprocess
import sys

example, mission_dir = sys.argv[1], sys.argv[2]
run = subprocess.run([example, mission_dir, "3"], capture_output=True, text=True, timeout=60)
out = run.stdout
if run.returncode != 0:
    sys.exit(f"expected letts-scheduler to exit 0, got {run.returncode}\nstdout:\n{out}\nstderr:\n{run.stderr}")
lines = re.findall(r"^scheduler ([AB]) tick (\d+) mission ([0-9a-f-]{36}) \(hello-every-second\)$", out, re.M)
by_tick = {}
for who, tick, mid in lines:
    by_tick.setdefault(int(tick), []).append((who, mid))
ticks = sorted(by_tick)
if len(ticks) != 3 or any(b - a != 1000 for a, b in zip(ticks, ticks[1:])) or ticks[0] % 1000:
    sys.exit(f"expected 3 ticks on whole seconds, 1 s apart, got {ticks}\nstdout:\n{out}")
ids = {t: {mid for _, mid in by_tick[t]} for t in ticks}
if any(len(s) != 1 for s in ids.values()) or len({next(iter(s)) for s in ids.values()}) != 3:
    sys.exit(f"expected one id per tick and distinct ids across ticks, got {ids}")
both = [t for t in ticks if {w for w, _ in by_tick[t]} == {"A", "B"}]
if len(both) < 2:
    sys.exit(f"expected both schedulers to dispatch at least 2 of the ticks, got {by_tick}")
if "3 ticks dispatched by 2 schedulers" not in out:
    sys.exit(f"expected the summary line\nstdout:\n{out}")
print(f"letts-scheduler: ticks {ticks}, one mission id each")

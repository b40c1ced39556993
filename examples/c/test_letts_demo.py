"""Runs letts-demo (the README's main job) and checks what it shows: every
progress event of the mission in order, then a successful result whose
return echoes the requested number of steps."""
import re
import subprocess
import sys

demo, mission_dir = sys.argv[1], sys.argv[2]
steps = 4
run = subprocess.run([demo, mission_dir, str(steps)], capture_output=True, text=True, timeout=50)
out = run.stdout
if run.returncode != 0:
    sys.exit(f"expected letts-demo to exit 0, got {run.returncode}\nstdout:\n{out}\nstderr:\n{run.stderr}")

progress = re.findall(r"^  progress\s+(\d+)%\s+(.*)$", out, re.M)
want = [(str(round(100 * i / steps)), f"step {i}") for i in range(1, steps + 1)]
if progress != want:
    sys.exit(f"expected progress lines {want}, got {progress}\nstdout:\n{out}")
for needle in ("letts-devserver listening on http://127.0.0.1:", "  outcome   success",
               f'  return    {{"steps":{steps}}}'):
    if needle not in out:
        sys.exit(f"expected {needle!r} in the demo's output\nstdout:\n{out}")
if out.index("progress") > out.index("outcome"):
    sys.exit("expected the progress lines before the result")
print(f"letts-demo: {len(progress)} progress events, then success")

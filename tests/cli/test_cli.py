#!/usr/bin/env python3
"""The `letts` command-line client against a letts-devserver child.

Every check runs the built binary as a user would and asserts what it
prints (stdout field by field, stderr lines) and its exit code. Waiting is
done on events (a line on a pipe, a state seen by polling with a deadline),
never by sleeping.
"""
import json
import os
import pty
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time

LETTS = os.environ["LETTS_BIN"]
DS = os.environ["DS_BINARY"]
MISSIONS = os.environ["MISSION_DIR"]
FAILURES = []
TMP = tempfile.mkdtemp(prefix="letts-cli-test-")
CFG = os.path.join(TMP, "letts.yaml")


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what, file=sys.stderr)


def letts(*args, stdin=None, timeout=60, config=CFG):
    argv = [LETTS] + (["--config", config] if config else []) + list(args)
    # No stdin given: /dev/null, so a command that reads piped stdin (exec) sees EOF.
    p = subprocess.run(argv, input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL,
                       capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def letts_json(*args):
    rc, out, err = letts("-o", "json", *args)
    check(rc == 0, f"{args}: exit {rc}, stderr {err!r}")
    return json.loads(out) if rc == 0 else None


def until(pred, what, seconds=30):
    """Polls `pred` until true or the deadline passes (a deadline, not a sleep)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        v = pred()
        if v:
            return v
        select.select([], [], [], 0.05)
    check(False, "timed out waiting for " + what)
    return None


def mission_dir():
    """The example missions as the devserver should see them: a wrapper
    each (the devserver refuses a symlink that leads out of its mission
    directory). crash's wrapper also lets ASan, in a sanitizer build, leave
    its deliberate SIGSEGV alone (dugdale gives missions a scratch
    environment, so the wrapper says it; a plain build ignores it)."""
    d = os.path.join(TMP, "missions")
    os.mkdir(d)
    for name in os.listdir(MISSIONS):
        src = os.path.join(MISSIONS, name)
        if not (os.path.isfile(src) and os.access(src, os.X_OK)):
            continue
        env = "export ASAN_OPTIONS=handle_segv=0:handle_abort=0\n" if name == "crash" else ""
        with open(os.path.join(d, name), "w") as f:
            f.write(f"#!/bin/sh\n{env}exec '{src}' \"$@\"\n")
        os.chmod(os.path.join(d, name), 0o755)
    return d


def start_devserver():
    proc = subprocess.Popen([DS, "--mission-dir", mission_dir()], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    lines, deadline = [], time.monotonic() + 30
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if "concurrency:" in line:
            break
    text = "".join(lines)
    yaml = text[text.index("dugdales:"):]
    with open(CFG, "w") as f:
        f.write(yaml)
    os.chmod(CFG, 0o600)
    return proc, yaml


def write_config(name, text):
    path = os.path.join(TMP, name)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o600)
    return path


def mission_count():
    return len(letts_json("ctl", "missions", "list"))


def test_version_and_help():
    rc, out, err = letts("version")
    check(rc == 0 and out.startswith("letts ") and "libletts" in out, f"version text: {out!r}")
    doc = letts_json("version")
    check(doc and doc["version"] == doc["libletts"], f"version json: {doc}")
    rc, out, _ = letts("--help", config=None)
    check(rc == 0 and "Commands:" in out and "ctl missions list" in out, "letts --help lists commands")
    rc, out, _ = letts("run", "--help", config=None)
    check(rc == 0 and "--kill-on-interrupt" in out and "--wait-timeout" in out and "--config PATH" in out,
          "letts run --help shows run's and the global flags")
    rc, out, _ = letts("ctl", config=None)
    check(rc == 0 and "ctl lanes pause" in out and "dispatch" not in out, "letts ctl lists only ctl commands")


def test_bash_completion():
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "cli", "letts.bash")
    env = dict(os.environ, PATH=os.path.dirname(LETTS) + ":" + os.environ["PATH"])

    def complete(*words):
        line = " ".join(f"'{w}'" for w in words)
        p = subprocess.run(["bash", "-c", f'source "$0"; COMP_WORDS=(letts {line}); COMP_CWORD={len(words)}; '
                            '_letts; echo "${COMPREPLY[*]}"', script], capture_output=True, text=True, env=env)
        return p.stdout.split()

    check(complete("ctl", "missions", "") == ["delete", "kill", "list", "output", "restart", "show"],
          f"completion of ctl missions: {complete('ctl', 'missions', '')}")
    check(complete("ctl", "exec", "") == ["delete", "kill", "list", "output", "restart", "show"],
          f"completion of ctl exec: {complete('ctl', 'exec', '')}")
    check(complete("r") == ["run"], "completion of r")
    check(complete("run", "--kill") == ["--kill-on-interrupt"], "completion of run --kill")


def test_bad_input():
    before = mission_count()
    cases = [
        (("run", "--mission", "hello", "--bogus"), 2, "run: unknown flag: --bogus"),
        (("run", "--mission", "hello", "--input", "{not json"), 2, "--input: malformed JSON input"),
        (("run", "--mission", "hello", "--input", "[1]"), 2, "--input: input must be a JSON object"),
        (("run", "--mission", "hello", "--input-file", "/nonexistent/in.json"), 2,
         "--input-file: cannot read /nonexistent/in.json: No such file or directory"),
        (("run", "--mission", "hello", "--file", "doc=/nonexistent/x"), 2,
         "--file doc: cannot read /nonexistent/x: No such file or directory"),
        (("run", "--mission", "hello", "--file", "noequals"), 2, "--file: want role=path, got \"noequals\""),
        (("run", "--mission", "hello", "--timeout", "soon"), 2, "--timeout: invalid duration \"soon\""),
        (("run", "--mission", "hello", "--wait-timeout", "x"), 2, "--wait-timeout: invalid duration \"x\""),
        (("run", "--input", "{}"), 2, "--mission is required"),
        (("run", "--mission", "hello", "--host", "nope"), 3, "unknown dugdale \"nope\" (not in letts.yaml)"),
        (("dispatch", "--mission", "hello", "--host", "nope"), 3, "unknown dugdale \"nope\" (not in letts.yaml)"),
        (("dispatch", "--mission", "hello", "--input", "{"), 2, "--input: malformed JSON input"),
        (("dispatch", "--mission", "hello", "--host", "a,b"), 2, "--host: one dugdale only (use `letts run` to fan out)"),
        (("-o", "xml", "version"), 2, "unknown output format \"xml\" (want text, json, yaml or ndjson)"),
        (("frobnicate",), 2, "unknown command \"frobnicate\" for \"letts\""),
        (("ctl", "missions", "frob"), 2, "unknown command \"frob\" for \"letts ctl missions\""),
        (("ctl", "missions", "show"), 2, "ctl missions show: expected one mission ID, got 0 argument(s)"),
        (("ctl", "missions", "kill", "--host", "nope", "x"), 3, "unknown dugdale \"nope\" (not in letts.yaml)"),
        (("ctl", "missions", "list", "--limit", "many"), 2, "--limit: want a positive number, got \"many\""),
        (("ctl", "lanes", "pause"), 2, "ctl lanes pause: expected one LANE, got 0 argument(s)"),
        (("ctl", "lanes", "list", "--host", "nope"), 3, "unknown dugdale \"nope\" (not in letts.yaml)"),
        (("ctl", "dugdales", "info", "--bogus"), 2, "ctl dugdales info: unknown flag: --bogus"),
        (("events",), 2, "events: expected one mission ID, got 0 argument(s)"),
        (("events", "x", "--from", "-3"), 2, "--from: want a sequence number, got \"-3\""),
        (("logs", "x", "--stream", "both"), 2, "--stream: want stdout, stderr or combined, got \"both\""),
        (("apply",), 2, "apply: -f FILE is required"),
        (("apply", "-f", "/nonexistent/a.json"), 2, "-f: cannot read /nonexistent/a.json: No such file or directory"),
        (("version", "extra"), 2, "version: expected no arguments, got 1 argument(s)"),
    ]
    for args, code, message in cases:
        rc, out, err = letts(*args)
        check(rc == code, f"{args}: exit {rc}, want {code} ({err!r})")
        check(err == "letts: " + message + "\n", f"{args}: stderr {err!r}, want {message!r}")
        check(out == "", f"{args}: nothing on stdout, got {out!r}")
    bad = write_config("bad.json", "{\"lanes\": ")
    rc, _, err = letts("apply", "-f", bad)
    check(rc == 2 and err == f"letts: -f {bad}: malformed JSON document\n", f"apply malformed: {rc} {err!r}")
    check(mission_count() == before, "bad input dispatched nothing")


def test_config_network_auth_codes():
    rc, _, err = letts("ctl", "lanes", "list", config="/nonexistent/letts.yaml")
    check(rc == 3 and err.startswith("letts: config: ") and "/nonexistent/letts.yaml" in err,
          f"missing config: {rc} {err!r}")
    loose = write_config("loose.yaml", open(CFG).read())
    os.chmod(loose, 0o644)
    rc, _, err = letts("ctl", "lanes", "list", config=loose)
    check(rc == 3 and err.startswith("letts: config: "), f"0644 config: {rc} {err!r}")
    rc, out, err = letts("--insecure-config-permissions", "-o", "json", "ctl", "lanes", "list", config=loose)
    check(rc == 0 and json.loads(out)[0]["name"] == "default", f"--insecure-config-permissions: {rc} {err!r}")
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    text = open(CFG).read()
    url = [l.split("url:")[1].strip() for l in text.splitlines() if "url:" in l][0]
    down = write_config("down.yaml", text.replace(url, f"http://127.0.0.1:{port}"))
    rc, _, err = letts("ctl", "lanes", "list", config=down)
    # The library's message, naming where it could not connect (not just
    # the status name: the error must survive check()).
    check(rc == 4 and err.startswith("letts: ") and f"port {port}" in err and err.count("\n") == 1,
          f"unreachable dugdale: {rc} {err!r}")
    rc, _, err = letts("ctl", "missions", "show", "01890a5d-ac96-774b-bcce-b302099a8057", config=down)
    check(rc == 4 and err.startswith("letts: "), f"looking a mission up on an unreachable dugdale: {rc} {err!r}")
    import re
    wrong = write_config("wrong.yaml", re.sub(r'token: "[^"]*"', 'token: "wrong-token"', text))
    rc, _, err = letts("run", "--mission", "hello", config=wrong)
    check(rc == 5 and err.startswith("letts: "), f"wrong token: {rc} {err!r}")


def test_run_outputs():
    rc, out, err = letts("run", "--mission", "progress", "--input", '{"steps": 4}')
    check(rc == 0 and out == '{\n  "steps": 4\n}\n', f"run text stdout: {rc} {out!r}")
    check(err == "progress  25% step 1\nprogress  50% step 2\nprogress  75% step 3\nprogress 100% step 4\n",
          f"run progress lines without a terminal: {err!r}")
    rc, out, err = letts("run", "--mission", "progress", "--input", '{"steps": 2}', "--no-progress")
    check(rc == 0 and err == "" and json.loads(out) == {"steps": 2}, f"--no-progress: {err!r}")
    rc, out, err = letts("-q", "run", "--mission", "progress", "--input", '{"steps": 2}')
    check(rc == 0 and err == "", f"-q: {err!r}")
    rc, out, err = letts("-o", "json", "run", "--mission", "hello", "--input", '{"name": "ada"}')
    doc = json.loads(out)
    check(rc == 0 and err == "", f"run -o json: {rc} {err!r}")
    check(doc["outcome"] == "success" and doc["return"] == {"name": "ada"} and doc["exit_code"] == 0,
          f"run -o json result: {doc}")
    check(doc["host"] == "devserver" and len(doc["mission_id"]) == 36 and doc["signal"] == "" and
          doc["fail_reason"] == "" and doc["fail_message"] == "" and isinstance(doc["duration_ms"], int),
          f"run -o json fields: {doc}")
    check(doc["logs"] == {"stdout": "", "stderr": ""}, f"run -o json logs without --logs: {doc['logs']}")
    rc, out, err = letts("-o", "ndjson", "run", "--mission", "progress", "--input", '{"steps": 2}')
    evs = [json.loads(l) for l in out.splitlines()]
    check(rc == 0 and err == "" and [e["event"] for e in evs] == ["queued", "running", "progress", "progress", "done"],
          f"run -o ndjson streams the events: {out!r} {err!r}")
    check(evs and evs[-1]["return"] == {"steps": 2} and evs[2]["value"] == 0.5 and evs[2]["message"] == "step 1",
          f"run -o ndjson event fields: {evs}")
    rc, out, err = letts("-o", "ndjson", "run", "--mission", "fail")
    check(rc == 1 and json.loads(out.splitlines()[-1])["outcome"] == "failed" and err == "letts: mission failed: boom\n",
          f"run -o ndjson failed: {rc} {err!r}")
    mid = "01890a5d-ac96-774b-bcce-b302099a8057"
    doc = letts_json("run", "--mission", "hello", "--mission-id", mid, "--timeout", "30s")
    check(doc and doc["mission_id"] == mid, "--mission-id is the mission's id")
    shown = letts_json("ctl", "missions", "show", mid)
    check(shown and shown["timeout_ms"] == 30000, f"--timeout reached the dispatch: {shown}")
    with open(os.path.join(TMP, "in.json"), "w") as f:
        f.write('{"from": "file"}')
    doc = letts_json("run", "--mission", "hello", "--input-file", os.path.join(TMP, "in.json"))
    check(doc and doc["return"] == {"from": "file"}, "--input-file")
    rc, out, _ = letts("-o", "json", "run", "--mission", "hello", "--input-file", "-", stdin='{"from": "stdin"}')
    check(rc == 0 and json.loads(out)["return"] == {"from": "stdin"}, "--input-file -")
    outs = os.path.join(TMP, "outs")
    os.mkdir(outs)
    rc, out, err = letts("-o", "json", "run", "--mission", "output_file", "--input", '{"key": "k", "text": "yo"}',
                         "--outputs-dir", outs)
    check(rc == 0 and os.listdir(outs) == ["k"] and open(os.path.join(outs, "k")).read() == "yo",
          f"--outputs-dir: {rc} {err!r} {os.listdir(outs)}")
    dest = os.path.join(TMP, "result.txt")
    rc, out, err = letts("-o", "json", "run", "--mission", "output_file", "--input",
                         '{"key": "result", "text": "hi\\n", "repeat": 3}', "--output-file", "result=" + dest)
    check(rc == 0 and open(dest).read() == "hi\nhi\nhi\n", f"--output-file: {rc} {err!r}")


def test_run_outcomes():
    rc, out, err = letts("run", "--mission", "fail")
    check(rc == 1 and out == "" and err == "letts: mission failed: boom\n", f"failed mission: {rc} {err!r}")
    rc, out, err = letts("-o", "json", "run", "--mission", "fail")
    doc = json.loads(out) if out else {}
    check(rc == 1 and doc.get("outcome") == "failed" and doc.get("fail_message") == "boom",
          f"failed mission -o json: {doc}")
    rc, out, err = letts("run", "--mission", "crash", "--logs")
    check(rc == 1 and out == "" and err == '[stderr] crash: crashing with "segv"\n'
          "letts: mission failed: segfault: process terminated by signal SEGV without a final event\n",
          f"--logs prefixes the mission's output on stderr: {rc} {err!r}")
    rc, out, err = letts("-o", "json", "run", "--mission", "crash", "--logs")
    check(json.loads(out)["logs"] == {"stdout": "", "stderr": 'crash: crashing with "segv"\n'}, f"--logs json: {out!r}")
    rc, out, err = letts("-v", "run", "--mission", "hello", "--no-progress")
    check(rc == 0 and err == "letts: running hello on devserver, lane default\n", f"-v: {err!r}")
    rc, out, err = letts("run", "--mission", "interruptible", "--input", '{"seconds": 30}', "--timeout", "1s",
                         "--no-progress")
    check(rc == 125 and err.startswith("letts: mission did not exit normally: timeout"),
          f"mission timeout is abnormal (125): {rc} {err!r}")
    rc, out, err = letts("run", "--mission", "interruptible", "--input", '{"seconds": 30}',
                         "--wait-timeout", "1s", "--no-progress")
    lines = err.splitlines()
    check(rc == 124 and out == "" and len(lines) == 2 and lines[0].startswith("letts: client wait timeout; mission ")
          and lines[0].endswith(" keeps running"), f"wait timeout: {rc} {err!r}")
    if rc == 124 and lines:
        mid = lines[0].split("mission ")[1].split(" ")[0]
        check(lines[1] == f"letts: follow it with: letts events {mid} --host devserver --follow", f"{lines[1]!r}")
        check(letts_json("ctl", "missions", "show", mid)["status"] in ("queued", "running"),
              "a wait timeout leaves the mission running")
        killed = letts_json("ctl", "missions", "kill", mid)
        check(killed == {"mission_id": mid, "host": "devserver", "signal": "TERM"}, f"kill -o json: {killed}")


def running_mission():
    missions = letts_json("ctl", "missions", "list", "--status", "running") or []
    return [m for m in missions if m.get("mission") == "interruptible" or m.get("mission_name") == "interruptible"]


def interrupt_run(extra):
    before = {m["mission_id"] for m in running_mission()}
    p = subprocess.Popen([LETTS, "--config", CFG, "run", "--mission", "interruptible", "--input",
                          '{"seconds": 60}', "--no-progress"] + extra,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    mine = until(lambda: [m for m in running_mission() if m["mission_id"] not in before], "a running mission")
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=30)
    return p.returncode, out, err, (mine[0]["mission_id"] if mine else "")


def test_sigint():
    rc, out, err, mid = interrupt_run([])
    check(rc == 130 and out == "", f"Ctrl-C exits 130: {rc} {err!r}")
    check(err == f"letts: interrupted; mission {mid} keeps running\n"
                 f"letts: follow it with: letts events {mid} --host devserver --follow\n", f"Ctrl-C stderr {err!r}")
    check(letts_json("ctl", "missions", "show", mid)["status"] == "running", "the mission keeps running")
    rc, _, err = letts("ctl", "missions", "kill", mid)
    check(rc == 0 and err == "", f"kill after Ctrl-C: {rc} {err!r}")
    rc, out, err, mid = interrupt_run(["--kill-on-interrupt"])
    check(rc == 130 and err == f"letts: interrupted; mission {mid} was killed (--kill-on-interrupt)\n",
          f"--kill-on-interrupt: {rc} {err!r}")
    done = until(lambda: (lambda m: m if m["status"] == "done" else None)(letts_json("ctl", "missions", "show", mid)),
                 "the killed mission to end")
    check(done and done["outcome"] == "killed", f"--kill-on-interrupt killed it: {done}")


def test_progress_bar_on_terminal():
    master, slave = pty.openpty()
    p = subprocess.Popen([LETTS, "--config", CFG, "run", "--mission", "progress", "--input", '{"steps": 3}'],
                         stdout=subprocess.PIPE, stderr=slave, text=False)
    os.close(slave)
    seen = b""
    while True:
        r, _, _ = select.select([master], [], [], 30)
        if not r:
            break
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    out = p.stdout.read()
    p.wait(timeout=30)
    os.close(master)
    check(p.returncode == 0 and json.loads(out) == {"steps": 3}, f"run on a terminal: stdout {out!r}")
    text = seen.decode()
    frames = text.split("\r\x1b[K")
    check(len(frames) == 5 and frames[0] == "" and frames[4] == "", f"3 frames redrawn in place, then cleared: {text!r}")
    check(frames[1].startswith("[##########--------------------]  33% 00:0") and frames[1].endswith("  step 1"),
          f"first frame: {frames[1]!r}")
    check(frames[3].startswith("[##############################] 100% 00:0") and frames[3].endswith("  step 3"),
          f"last frame: {frames[3]!r}")
    check("\n" not in text.replace("\r\n", ""), "no plain progress lines on a terminal")


def test_progress_bar_ticks_between_events():
    """With no progress event for a while, the bar is still redrawn about
    once a second: same percentage and message, the elapsed field moving.
    The mission (a script in its own mission dir) reports 50% and then
    waits for a file the test creates only after seeing the elapsed time
    change, so nothing here waits by sleeping."""
    mdir = os.path.join(TMP, "stall-missions")
    os.mkdir(mdir)
    flag = os.path.join(TMP, "stall-flag")
    script = os.path.join(mdir, "stall")
    with open(script, "w") as f:
        f.write("#!/bin/sh\nprintf '%s\\n' '{\"event\":\"progress\",\"value\":0.5,\"message\":\"half\"}' >&3\n"
                f"while [ ! -e {flag} ]; do sleep 0.05; done\n"
                "printf '%s\\n' '{\"event\":\"success\",\"return\":{\"ok\":true}}' >&3\n")
    os.chmod(script, 0o755)
    ds = subprocess.Popen([DS, "--mission-dir", mdir], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        lines = []
        for line in ds.stdout:
            lines.append(line)
            if "concurrency:" in line:
                break
        text = "".join(lines)
        cfg = write_config("stall.yaml", text[text.index("dugdales:"):])
        master, slave = pty.openpty()
        p = subprocess.Popen([LETTS, "--config", cfg, "run", "--mission", "stall"], stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=slave)
        os.close(slave)
        seen, elapsed, deadline = b"", set(), time.monotonic() + 15
        while len(elapsed) < 2 and time.monotonic() < deadline:
            r, _, _ = select.select([master], [], [], max(0.0, deadline - time.monotonic()))
            if not r:
                break
            seen += os.read(master, 4096)
            for frame in seen.decode(errors="replace").split("\r\x1b[K"):
                if frame.startswith("[###############---------------]  50% ") and frame.endswith("  half"):
                    elapsed.add(frame.split()[2])
        open(flag, "w").close()
        out = p.stdout.read()
        p.wait(timeout=30)
        os.close(master)
        check(len(elapsed) >= 2, f"the bar is redrawn with a new elapsed time between events: {seen!r}")
        check(p.returncode == 0 and json.loads(out) == {"ok": True}, f"the stalled run ends: {p.returncode} {out!r}")
    finally:
        ds.send_signal(signal.SIGTERM)
        ds.wait(timeout=20)


def test_dispatch_events_logs():
    rc, out, err = letts("dispatch", "--mission", "progress", "--input", '{"steps": 2}')
    mid = out.strip()
    check(rc == 0 and len(mid) == 36 and err == "", f"dispatch prints the id: {out!r} {err!r}")
    doc = letts_json("dispatch", "--mission", "hello")
    check(doc and list(doc) == ["mission_id"] and len(doc["mission_id"]) == 36, f"dispatch -o json: {doc}")
    rc, out, err = letts("events", mid, "--follow")
    lines = out.splitlines()
    check(rc == 0 and lines[-1].split("  ")[1:] == ["done", "outcome=success"],
          f"events --follow text ends with done: {out!r}")
    check([l.split("  ", 2)[1:] for l in lines if "progress" in l] == [["progress", "0.5 step 1"], ["progress", "1 step 2"]],
          f"events progress lines: {lines}")
    rc, out, err = letts("-o", "ndjson", "events", mid)
    evs = [json.loads(l) for l in out.splitlines()]
    check(rc == 0 and evs[-1]["event"] == "done" and evs[-1]["outcome"] == "success", f"events ndjson: {evs}")
    check([e["seq"] for e in evs] == sorted(e["seq"] for e in evs), "events in seq order")
    rc, out, _ = letts("-o", "ndjson", "events", mid, "--from", str(evs[-2]["seq"]))
    check([json.loads(l)["seq"] for l in out.splitlines()] == [evs[-1]["seq"]], "--from skips earlier events")
    crashed = letts_json("-q", "dispatch", "--mission", "crash")["mission_id"]
    rc, out, err = letts("logs", crashed, "--stream", "stderr", "--follow")
    check(rc == 0 and out == 'crash: crashing with "segv"\n' and err == "", f"logs --stream stderr: {rc} {out!r} {err!r}")
    rc, out, err = letts("ctl", "missions", "output", crashed, "--stream", "stderr")
    check(rc == 0 and out == 'crash: crashing with "segv"\n', f"ctl missions output: {rc} {out!r} {err!r}")
    rc, out, err = letts("logs", crashed)
    check(rc == 0 and out == "", f"logs (stdout, empty): {out!r}")
    rc, out, err = letts("events", "01890a5d-ac96-774b-bcce-000000000000")
    check(rc == 1 and err == "letts: mission 01890a5d-ac96-774b-bcce-000000000000 not found on any dugdale\n",
          f"events of an unknown mission: {rc} {err!r}")


def test_ctl_missions():
    mid = letts_json("run", "--mission", "hello", "--input", '{"k": 1}')["mission_id"]
    rc, out, err = letts("ctl", "missions", "list")
    lines = out.splitlines()
    check(rc == 0 and lines[0].split() == ["MISSION", "ID", "HOST", "LANE", "MISSION", "STATUS", "OUTCOME", "DURATION"],
          f"list header: {lines[:1]}")
    row = [l for l in lines if l.startswith(mid)]
    check(len(row) == 1 and row[0].split()[1:6] == ["devserver", "default", "hello", "done", "success"],
          f"list row: {row}")
    listed = letts_json("ctl", "missions", "list", "--limit", "1")
    check(len(listed) == 1 and listed[0]["mission_id"] == mid, f"list --limit 1 is the newest: {listed}")
    shown = letts_json("ctl", "missions", "show", mid)
    check(shown["mission_id"] == mid and shown["status"] == "done" and shown["outcome"] == "success" and
          shown["lane"] == "default" and shown["return"] == {"k": 1}, f"show -o json: {shown}")
    rc, out, _ = letts("ctl", "missions", "show", mid)
    check(rc == 0 and f"Mission ID  {mid}" in out and "Status      done" in out, f"show text: {out!r}")
    new = letts_json("ctl", "missions", "restart", mid)
    check(new["mission_id"] == mid and new["host"] == "devserver" and len(new["new_mission_id"]) == 36 and
          new["new_mission_id"] != mid, f"restart: {new}")
    gone = letts_json("ctl", "missions", "delete", mid)
    check(gone == {"mission_id": mid, "host": "devserver", "deleted": True}, f"delete: {gone}")
    rc, _, err = letts("ctl", "missions", "show", mid)
    check(rc == 1 and "not found" in err, f"show after delete: {rc} {err!r}")


def test_ctl_missions_selector():
    ids = [letts_json("run", "--mission", "hello", "--input", '{"bulk": %d}' % i)["mission_id"] for i in range(2)]
    mission_name = "hello"
    dry = letts_json("ctl", "missions", "delete", "--selector", f"mission={mission_name},status=done", "--dry-run")
    selected = [r["id"] for r in dry["results"]] if dry and "results" in dry else []
    check(set(ids) <= set(selected), f"--dry-run selects the done hello missions: {dry}")
    check(letts_json("ctl", "missions", "show", ids[0])["status"] == "done", "--dry-run changed nothing")
    rc, out, err = letts("ctl", "missions", "delete", "--selector", "mission=hello")
    check(rc == 2 and err == "letts: ctl missions delete --selector: add --dry-run to see the selection, "
                              "or --yes to act on it\n", f"bulk without --yes: {rc} {err!r}")
    rc, out, err = letts("ctl", "missions", "delete", "--selector", "colour=red", "--yes")
    check(rc == 2 and err == 'letts: --selector: unknown selector key "colour"\n', f"bad selector key: {err!r}")
    rc, out, err = letts("ctl", "missions", "delete", "--selector", "since=yesterday", "--dry-run")
    check(rc == 2 and err.startswith("letts: --selector: since: "), f"bad since: {err!r}")
    rc, out, err = letts("ctl", "missions", "restart", ids[0], "--selector", "mission=hello", "--yes")
    check(rc == 2 and err == "letts: ctl missions restart: give a mission ID or --selector, not both\n", f"{err!r}")
    done = letts_json("ctl", "missions", "delete", "--selector", "mission_prefix=hel,since=-1h", "--yes")
    gone = {r["id"] for r in done["results"] if r["ok"]}
    check(set(ids) <= gone, f"bulk delete --yes deleted them: {done}")
    rc, _, _ = letts("ctl", "missions", "show", ids[1])
    check(rc == 1, "a bulk-deleted mission is gone")


def test_ctl_lanes_dugdales_apply():
    lanes = letts_json("ctl", "lanes", "list")
    check(lanes and lanes[0]["name"] == "default" and lanes[0]["concurrency"] == 4 and lanes[0]["paused"] is False,
          f"lanes list: {lanes}")
    rc, out, _ = letts("ctl", "lanes", "list")
    check(out.splitlines()[0].split() == ["LANE", "CONCURRENCY", "PAUSED", "RUNNING", "QUEUED"] and
          out.splitlines()[1].split()[:3] == ["default", "4", "false"], f"lanes text: {out!r}")
    doc = letts_json("ctl", "lanes", "pause", "default")
    check(doc == {"host": "devserver", "lane": "default", "paused": True}, f"pause: {doc}")
    check(letts_json("ctl", "lanes", "list")[0]["paused"] is True, "the lane is paused")
    rc, out, _ = letts("ctl", "lanes", "continue", "default")
    check(rc == 0 and out == "lane default continued on devserver\n", f"continue text: {out!r}")
    doc = letts_json("ctl", "lanes", "continue", "default", "--host", "devserver")
    check(doc == {"host": "devserver", "lane": "default", "paused": False}, f"continue json: {doc}")
    check(letts_json("ctl", "lanes", "list")[0]["paused"] is False, "the lane continues")
    check(letts_json("ctl", "dugdales", "list") == [{"id": "devserver"}], "dugdales list")
    rc, out, _ = letts("ctl", "dugdales", "list")
    check(out == "devserver\n", f"dugdales list text: {out!r}")
    info = letts_json("ctl", "dugdales", "info")
    check(isinstance(info, dict) and info, f"dugdales info: {info}")
    state = letts_json("ctl", "dugdales", "config")
    check(state["state"]["lanes"] == {"default": {"concurrency": 4}} and "applied_at" in state,
          f"dugdales config: {state}")
    desired = write_config("apply.json", json.dumps(state["state"]))
    dry = letts_json("apply", "-f", desired, "--dry-run")
    check(dry["dry_run"] is True and dry["host"] == "devserver" and dry["current"] == state and
          dry["desired"] == state["state"],
          f"apply --dry-run: {dry}")


def test_ctl_staging():
    src = write_config("staged.txt", "staged bytes\n")
    rc, out, err = letts("ctl", "staging", "upload", src, "--host", "devserver")
    fields = out.rstrip("\n").split("\t")
    check(rc == 0 and len(fields) == 3 and len(fields[0]) == 36 and fields[2] == "13",
          f"staging upload text: {out!r}")
    import hashlib
    check(fields[1] == hashlib.sha256(b"staged bytes\n").hexdigest(), "upload prints the sha256")
    sid = fields[0]
    rc, out, err = letts("ctl", "staging", "download", sid, "--host", "devserver")
    check(rc == 0 and out == "staged bytes\n", f"staging download to stdout: {out!r} {err!r}")
    dest = os.path.join(TMP, "downloaded.txt")
    rc, out, err = letts("ctl", "staging", "download", sid, "--host", "devserver", "--output", dest)
    check(rc == 0 and out == "" and open(dest).read() == "staged bytes\n", f"download --output: {err!r}")
    doc = letts_json("ctl", "staging", "upload", src, "--host", "devserver")
    check(doc["size"] == 13 and doc["sha256"] == fields[1] and len(doc["staging_id"]) == 36, f"upload json {doc}")
    gone = letts_json("ctl", "staging", "delete", sid, "--host", "devserver")
    check(gone == {"staging_id": sid, "host": "devserver", "deleted": True}, f"staging delete: {gone}")
    rc, out, err = letts("ctl", "staging", "download", sid, "--host", "devserver")
    check(rc == 1 and out == "" and err.startswith(f"letts: staging {sid}: "), f"download deleted: {rc} {err!r}")
    for cmd in ("upload", "download", "delete"):
        rc, _, err = letts("ctl", "staging", cmd, "x")
        check(rc == 2 and err == f"letts: --host is required for ctl staging {cmd}\n", f"{cmd} without --host: {err!r}")
    rc, _, err = letts("ctl", "staging", "upload", "/nonexistent/f", "--host", "devserver")
    check(rc != 0 and err.startswith("letts: /nonexistent/f: "), f"upload of a missing file: {rc} {err!r}")
    mid = letts_json("run", "--mission", "output_file", "--input", '{"text": "abc"}')["mission_id"]
    listed = letts_json("ctl", "staging", "list", "--host", "devserver", "--mission-id", mid)
    rows = listed["staging"]
    check(len(rows) == 1 and rows[0]["ref_kind"] == "output" and rows[0]["role"] == "result" and
          rows[0]["size"] == 3 and rows[0]["state"] == "complete", f"staging list: {listed}")
    rc, out, _ = letts("ctl", "staging", "list", "--host", "devserver", "--mission-id", mid)
    lines = out.splitlines()
    check(lines[0].split() == ["STAGING", "ID", "SIZE", "STATE", "REF", "KIND"] and
          lines[1].split() == [rows[0]["staging_id"], "3", "complete", "output"], f"staging list text: {out!r}")


def test_fanout():
    text = open(CFG).read()
    block = text[text.index("  - id: devserver"):]
    two = write_config("two.yaml", text + block.replace("id: devserver", "id: second"))
    rc, out, err = letts("-o", "json", "run", "--mission", "hello", "--host", "devserver,second",
                         "--input", '{"n": 2}', config=two)
    doc = json.loads(out) if out else {}
    hosts = [r["host"] for r in doc.get("results", [])]
    check(rc == 0 and hosts == ["devserver", "second"], f"fan-out json: {rc} {err!r} {doc}")
    check(all(r["ok"] and r["outcome"] == "success" and r["return"] == {"n": 2} for r in doc.get("results", [])),
          f"fan-out results: {doc}")
    rc, out, err = letts("run", "--mission", "fail", "--host", "devserver,second", config=two)
    check(rc == 1 and out.count("outcome: failed") == 2 and "== second ==" in out, f"fan-out failed: {rc} {out!r}")
    aliased = write_config("alias.yaml", text + "aliases:\n  main: devserver\n")
    rc, out, err = letts("-o", "json", "run", "--mission", "hello", "--host", "main", config=aliased)
    check(rc == 0 and json.loads(out)["host"] == "devserver", f"--host ALIAS with the lane filled in: {rc} {err!r}")
    rc, out, err = letts("run", "--mission", "hello", config=two)
    check(rc == 2 and err == "letts: one of --route, --host or --match is required (letts.yaml lists 2 dugdales)\n",
          f"two dugdales and no target is refused: {rc} {err!r}")


def start_exec_devserver():
    """A second devserver from a dugdale.yaml with exec enabled (and no lanes
    until `letts apply` gives it one)."""
    data = os.path.join(TMP, "exec-data")
    os.mkdir(data)
    dyaml = write_config("dugdale-exec.yaml",
                         f"listen: 127.0.0.1:0\ndata_dir: {data}\nauth:\n  tokens: [dispatch-token]\n"
                         "admin:\n  tokens: [admin-token]\nexec:\n  enabled: true\n  tokens: [exec-token]\n")
    proc = subprocess.Popen([DS, "--config", dyaml], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines = []
    while True:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if "exec_token:" in line:
            break
    text = "".join(lines)
    # The devserver's own letts.yaml carries the exec token when exec is on.
    check('exec_token: "exec-token"' in text, f"devserver letts.yaml names the exec token: {text!r}")
    cfg = write_config("exec.yaml", text[text.index("dugdales:"):])
    return proc, cfg


def check_ctl_exec(cfg):
    """`ctl exec`: upstream's exec control group over the admin routes."""
    rc, out, err = letts("exec", "--host", "devserver", "--lane", "default", "--detach", "--",
                         "/bin/echo", "listed", config=cfg)
    eid = out.strip()
    rc, out, err = letts("-o", "json", "ctl", "exec", "show", eid, "--host", "devserver", config=cfg)
    doc = json.loads(out) if rc == 0 else {}
    check(rc == 0 and doc.get("mission_id") == eid and doc.get("kind") == "exec" and doc.get("lane") == "default",
          f"ctl exec show -o json: {rc} {err!r} {out!r}")
    until(lambda: json.loads(letts("-o", "json", "ctl", "exec", "show", eid, config=cfg)[1] or "{}").get("status") == "done",
          "the exec to end")
    rc, out, err = letts("-o", "json", "ctl", "exec", "show", eid, config=cfg)
    doc = json.loads(out) if rc == 0 else {}
    check(rc == 0 and doc.get("outcome") == "success" and doc.get("exit_code") == 0,
          f"ctl exec show without --host finds it: {rc} {err!r} {out!r}")
    # combined is the daemon's NDJSON records, written as they come (upstream copies them too).
    rc, out, err = letts("ctl", "exec", "output", eid, config=cfg)
    recs = [json.loads(line) for line in out.splitlines()] if rc == 0 else []
    check(rc == 0 and len(recs) == 1 and recs[0]["stream"] == "stdout" and recs[0]["data"] == "listed\n"
          and isinstance(recs[0]["t"], int), f"ctl exec output (combined): {rc} {out!r} {err!r}")
    rc, out, err = letts("ctl", "exec", "output", eid, "--stream", "stdout", "--host", "devserver", config=cfg)
    check(rc == 0 and out == "listed\n", f"ctl exec output --stream stdout: {rc} {out!r} {err!r}")
    rc, out, err = letts("-o", "json", "ctl", "exec", "list", "--host", "devserver", config=cfg)
    docs = json.loads(out) if rc == 0 else []
    check(rc == 0 and eid in [d["mission_id"] for d in docs] and all(d.get("kind") == "exec" for d in docs),
          f"ctl exec list -o json: only execs, ours among them: {rc} {err!r} {out!r}")
    rc, out, err = letts("ctl", "exec", "list", "--host", "devserver", "--outcome", "failed", config=cfg)
    check(rc == 0 and eid not in out and out.startswith("MISSION ID"), f"ctl exec list --outcome failed: {rc} {out!r}")
    rc, out, err = letts("-o", "json", "ctl", "exec", "restart", eid, "--host", "devserver", config=cfg)
    doc = json.loads(out) if rc == 0 else {}
    new_id = doc.get("new_mission_id", "")
    check(rc == 0 and doc.get("mission_id") == eid and doc.get("host") == "devserver" and len(new_id) == 36
          and new_id != eid, f"ctl exec restart -o json: {rc} {err!r} {out!r}")
    until(lambda: json.loads(letts("-o", "json", "ctl", "exec", "show", new_id, "--host", "devserver",
                                   config=cfg)[1] or "{}").get("status") == "done", "the restarted exec to end")
    rc, out, err = letts("-o", "json", "ctl", "exec", "delete", new_id, "--host", "devserver", config=cfg)
    doc = json.loads(out) if rc == 0 else {}
    check(rc == 0 and doc == {"mission_id": new_id, "host": "devserver", "deleted": True},
          f"ctl exec delete -o json: {rc} {err!r} {out!r}")
    rc, out, err = letts("exec", "--host", "devserver", "--lane", "default", "--detach", "--", "/bin/sleep", "30",
                         config=cfg)
    sleeper = out.strip()
    until(lambda: json.loads(letts("-o", "json", "ctl", "exec", "show", sleeper, config=cfg)[1] or "{}")
          .get("status") == "running", "the sleeper to run")
    rc, out, err = letts("-o", "json", "ctl", "exec", "kill", sleeper, "--signal", "KILL", config=cfg)
    doc = json.loads(out) if rc == 0 else {}
    check(rc == 0 and doc == {"mission_id": sleeper, "host": "devserver", "signal": "KILL"},
          f"ctl exec kill -o json: {rc} {err!r} {out!r}")
    for args, code, message in [
        (("list",), 2, "--host is required for ctl exec list"),
        (("restart", eid), 2, "--host is required for ctl exec restart"),
        (("delete", eid, "--force"), 2, None),
        (("show",), 2, "ctl exec show: expected one exec ID, got 0 argument(s)"),
        (("list", "--host", "nowhere"), 3, None),
    ]:
        rc, out, err = letts("ctl", "exec", *args, config=cfg)
        check(rc == code and out == "" and err.startswith("letts: ") and err.count("\n") == 1
              and (message is None or err == "letts: " + message + "\n"), f"ctl exec {args}: {rc} {out!r} {err!r}")


def check_exec_stdin_and_live(cfg):
    rc, out, err = letts("exec", "--host", "devserver", "--lane", "default", "--", "/bin/cat", stdin="piped bytes\n", config=cfg)
    check(rc == 0 and out == "piped bytes\n" and err == "", f"exec: piped stdin reaches the command: {rc} {out!r} {err!r}")
    rc, out, err = letts("exec", "--host", "devserver", "--lane", "default", "--stdin", "none", "--", "/bin/cat",
                         stdin="not sent\n", config=cfg)
    check(rc == 0 and out == "", f"exec --stdin none: {rc} {out!r} {err!r}")
    # Live output: the first line arrives while the command still waits for
    # a file that the test creates only after reading that line.
    flag = os.path.join(TMP, "exec-live-flag")
    script = write_config("live.sh", f"#!/bin/sh\necho first\nwhile [ ! -e {flag} ]; do sleep 0.05; done\necho second\n")
    proc = subprocess.Popen([LETTS, "--config", cfg, "exec", "--host", "devserver", "--lane", "default", "--script", script],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ready, _, _ = select.select([proc.stdout], [], [], 30)
    first = proc.stdout.readline() if ready else ""
    check(first == "first\n" and proc.poll() is None, f"exec output is live: {first!r}")
    open(flag, "w").close()
    rest, err = proc.communicate(timeout=60)
    check(proc.returncode == 0 and rest == "second\n", f"exec live rest: {proc.returncode} {rest!r} {err!r}")


def check_exec_fanout(base_cfg):
    """Two letts.yaml entries (a, b) for the same exec devserver: --host a,b,
    --match and --all fan out as upstream, in each output mode."""
    text = open(base_cfg).read()
    entry = text[text.index("  - id: devserver"):]
    cfg = write_config("exec-two.yaml", "dugdales:\n" + entry.replace("id: devserver", "id: a\n    labels: [web]")
                       + entry.replace("id: devserver", "id: b\n    labels: [web, prod]"))
    rc, out, err = letts("exec", "--host", "a,b", "--lane", "default", "--stdin", "none", "--", "/bin/echo", "hi", config=cfg)
    check(rc == 0 and sorted(out.splitlines()) == ["[a] hi", "[b] hi"] and err == "", f"exec fan-out prefix: {rc} {out!r} {err!r}")
    rc, out, err = letts("exec", "--match", "prod", "--lane", "default", "-o", "json", "--", "/bin/echo", "hi", config=cfg)
    doc = json.loads(out) if rc == 0 else {}
    res = doc.get("results", [{}])
    check(rc == 0 and len(doc.get("group_id") or "") == 36 and len(res) == 1 and res[0]["host"] == "b"
          and len(res[0]["exec_id"]) == 36 and res[0]["outcome"] == "success" and res[0]["exit_code"] == 0
          and res[0]["stdout"] == "hi\n" and res[0]["stderr"] == "" and "stdout_truncated" not in res[0],
          f"exec --match -o json: {rc} {out!r} {err!r}")
    script = write_config("three.sh", "#!/bin/sh\necho out\necho err >&2\nexit 3\n")
    rc, out, err = letts("exec", "--all", "--lane", "default", "--stdin", "none", "--output", "ndjson", "--script", script, config=cfg)
    recs = [json.loads(line) for line in out.splitlines()] if out else []
    for h in ("a", "b"):
        mine = [r for r in recs if r["host"] == h]
        lines = [(r["stream"], r["line"]) for r in mine if "stream" in r]
        done = [r for r in mine if r.get("event") == "done"]
        check(sorted(lines) == [("stderr", "err"), ("stdout", "out")] and len(done) == 1 and done[0]["outcome"] == "failed"
              and done[0]["exit_code"] == 3 and isinstance(done[0]["seq"], int), f"exec ndjson for {h}: {recs!r}")
    check(rc == 3, f"exec fan-out exit is the worst host's: {rc} {err!r}")
    rc, out, err = letts("exec", "--all", "--lane", "default", "--stdin", "none", "--output-buffer", "2", "-o", "json",
                         "--", "/bin/echo", "hello", config=cfg)
    doc = json.loads(out) if rc == 0 else {"results": []}
    check(rc == 0 and [r["host"] for r in doc["results"]] == ["a", "b"]
          and all(r["stdout"] == "he" and r["stdout_truncated"] is True for r in doc["results"]),
          f"exec --output-buffer caps json output: {rc} {out!r}")
    rc, out, err = letts("exec", "--all", "--lane", "default", "--stdin", "none", "--detach", "--", "/bin/true", config=cfg)
    group = out.strip()
    rc2, out2, _ = letts("-o", "json", "ctl", "exec", "list", "--host", "a", "--group", group, config=cfg)
    listed = json.loads(out2) if rc2 == 0 else []
    check(rc == 0 and len(group) == 36 and len(listed) == 2 and all(d["group_id"] == group for d in listed),
          f"exec --all --detach prints the group id; ctl exec list --group finds both: {rc} {out!r} {out2!r}")
    def exec_count():
        rc, out, _ = letts("-o", "json", "ctl", "exec", "list", "--host", "a", config=cfg)
        return len(json.loads(out)) if rc == 0 else -1
    before = exec_count()
    for args, message in [
        (("--host", "a,b", "--", "/bin/true"), "multi-host with non-TTY stdin requires --stdin=broadcast"),
        (("--host", "a,b", "--stdin", "none", "--output", "raw", "--", "/bin/true"), "--output=raw requires a single host"),
        (("--all", "--stdin", "none", "--out", "k=/tmp/x", "--", "/bin/true"), "--out requires a single host"),
        (("--all", "--stdin", "single", "--", "/bin/true"), "--stdin=single requires exactly one --host"),
        (("--all", "--stdin", "none", "--mission-id", "0190b3d2-3f4a-7c3e-8a1b-0123456789ab", "--", "/bin/true"),
         "--mission-id not allowed with multiple hosts (would collide ids)"),
    ]:
        rc, out, err = letts("exec", "--lane", "default", *args, config=cfg)
        check(rc == 2 and out == "" and err == "letts: " + message + "\n", f"exec {args}: {rc} {err!r}")
    check(before > 0 and exec_count() == before, "bad exec input dispatched nothing")
    rc, out, err = letts("exec", "--host", "a,b", "--lane", "default", "--stdin", "broadcast", "--", "/bin/cat",
                         stdin="to both\n", config=cfg)
    check(rc == 0 and sorted(out.splitlines()) == ["[a] to both", "[b] to both"], f"exec --stdin broadcast: {rc} {out!r} {err!r}")


def test_yaml_output():
    """-o yaml is the -o json document, read back by a YAML parser, for the
    shapes the API has (objects, lists, the strings YAML would misread)."""
    import yaml
    tricky = {"s": "yes", "n": "1.5", "c": "a: b", "h": "x #y", "m": "two\nlines", "e": "", "q": "'\"",
              "u": "caf\u00e9", "neg": -3, "f": 0.25, "b": False, "z": None, "plain": "word/with-dash_1.2",
              "deep": [[{"k": [], "o": {}}], [1, [2, [3]]]], "lead": " sp", "colon": "end:", "dash": "- x"}
    rc, out, err = letts("-o", "json", "run", "--mission", "hello", "--host", "devserver", "--input", json.dumps(tricky))
    mid = json.loads(out)["mission_id"] if rc == 0 else "x"
    for args in [("version",), ("ctl", "dugdales", "list"), ("ctl", "missions", "list", "--host", "devserver"),
                 ("ctl", "missions", "show", mid), ("ctl", "lanes", "list")]:
        rc1, j, e1 = letts("-o", "json", *args)
        rc2, y, e2 = letts("-o", "yaml", *args)
        try:
            same = rc1 == 0 and rc2 == 0 and yaml.safe_load(y) == json.loads(j)
        except yaml.YAMLError as e:
            same = False
            print("yaml error:", e, y, file=sys.stderr)
        check(same, f"-o yaml of {args} reads back as -o json: {rc2} {e2!r} {y!r}")
    rc, y, err = letts("-o", "yaml", "ctl", "missions", "show", mid)
    check(rc == 0 and yaml.safe_load(y)["return"] == tricky and "\n        - - k: []\n            o: {}\n" in y,
          f"-o yaml keeps tricky strings and nests sequences in block style: {y!r}")
    deep = json.dumps(json.loads("[" * 70 + "]" * 70))
    rc, out, err = letts("-o", "json", "run", "--mission", "hello", "--host", "devserver", "--input", '{"d": ' + deep + "}")
    rc, y, err = letts("-o", "yaml", "ctl", "missions", "show", json.loads(out)["mission_id"] if out else "x")
    check(rc == 0 and yaml.safe_load(y)["return"] == {"d": json.loads(deep)}, f"-o yaml past its depth bound: {rc} {err!r}")


def check_ctl_exec_refuses_missions():
    rc, out, err = letts("-o", "json", "dispatch", "--mission", "hello", "--host", "devserver")
    mid = json.loads(out)["mission_id"] if rc == 0 else "x"
    rc, out, err = letts("ctl", "exec", "show", mid, "--host", "devserver")
    check(rc == 2 and out == "" and err == f"letts: {mid} is not an exec mission (kind=mission); use 'letts ctl missions show'\n",
          f"ctl exec show MISSION_ID: {rc} {out!r} {err!r}")


def test_ctl_exec_show_refuses_a_mission():
    check_ctl_exec_refuses_missions()


def test_exec_and_apply():
    proc, cfg = start_exec_devserver()
    try:
        state = write_config("lanes.json", '{"lanes": {"default": {"concurrency": 2}}}')
        rc, out, err = letts("-o", "json", "apply", "-f", state, config=cfg)
        doc = json.loads(out) if rc == 0 else {}
        check(rc == 0 and doc.get("started") == ["default"] and doc["diff"]["LanesAdded"] == ["default"],
              f"apply: {rc} {err!r} {out!r}")
        rc, out, err = letts("exec", "--host", "devserver", "--lane", "default", "--", "/bin/echo", "hello", config=cfg)
        check(rc == 0 and out == "hello\n" and err == "", f"exec echo: {rc} {out!r} {err!r}")
        script = write_config("s.sh", "#!/bin/sh\necho out\necho err >&2\nexit 7\n")
        rc, out, err = letts("exec", "--host", "devserver", "--lane", "default", "--script", script, config=cfg)
        check(rc == 7 and out == "out\n" and err == "err\n", f"exec exit 7: {rc} {out!r} {err!r}")
        script = write_config("s124.sh", "#!/bin/sh\nexit 124\n")
        rc, _, _ = letts("exec", "--host", "devserver", "--lane", "default", "--script", script, config=cfg)
        check(rc == 125, f"exit 124 of the command is 125: {rc}")
        src = write_config("in.txt", "payload\n")
        dest = os.path.join(TMP, "exec-out.txt")
        script = write_config("copy.sh", '#!/bin/sh\ntr a-z A-Z < "$LETTS_IN_data" > "$LETTS_OUT_result"\n')
        rc, out, err = letts("exec", "--host", "devserver", "--lane", "default", "--script", script,
                             "--in", "data=" + src, "--out", "result=" + dest, config=cfg)
        check(rc == 0 and open(dest).read() == "PAYLOAD\n", f"exec --in/--out: {rc} {err!r}")
        rc, out, err = letts("exec", "--host", "devserver", "--lane", "default", "--detach", "--", "/bin/true", config=cfg)
        check(rc == 0 and len(out.strip()) == 36, f"exec --detach prints the id: {out!r}")
        rc, out, err = letts("exec", "--host", "devserver", "--lane", "default", "--timeout", "1s", "--",
                             "/bin/sleep", "30", config=cfg)
        check(rc == 125, f"exec timeout is 125: {rc} {err!r}")
        rc, out, err = letts("exec", "--host", "devserver", "--lane", "default", "--", "/bin/sh", "-c", "true", config=cfg)
        check(rc == 255 and err.startswith("letts: ") and "shell" in err, f"shell form refused: {rc} {err!r}")
        check_ctl_exec(cfg)
        check_exec_stdin_and_live(cfg)
        check_exec_fanout(cfg)
        for args, message in [
            (("--host", "devserver", "--", "/bin/true"), "exec: --lane is required"),
            (("--lane", "default", "--", "/bin/true"), "exec: exactly one of --host, --match, --all is required"),
            (("--host", "devserver", "--all", "--lane", "default", "--", "/bin/true"),
             "exec: exactly one of --host, --match, --all is required"),
            (("--match", "nolabel", "--lane", "default", "--", "/bin/true"),
             "no dugdales matched --match=[nolabel] with --lane=default"),
            (("--host", "devserver", "--lane", "default", "--stdin", "bogus", "--", "/bin/true"),
             "--stdin: must be none|single|broadcast"),
            (("--host", "devserver", "--lane", "default", "--output", "yaml", "--", "/bin/true"),
             '--output: want raw, prefix, json or ndjson, got "yaml"'),
            (("--host", "devserver", "--lane", "default", "--in", "a=/x", "--in", "a=/y", "--", "/bin/true"),
             "--in: key given twice"),
            (("--host", "devserver", "--lane", "default"), "exec: either --script or '-- command' is required"),
            (("--host", "devserver", "--lane", "default", "--script", "/nonexistent/s"), "--script: cannot read /nonexistent/s"),
            (("--host", "devserver", "--lane", "default", "--in", "x", "--", "/bin/true"), '--in: want role=path, got "x"'),
        ]:
            rc, out, err = letts("exec", *args, config=cfg)
            check(rc == 2 and err == "letts: " + message + "\n", f"exec {args}: {rc} {err!r}")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)


def main():
    ds, _ = start_devserver()
    try:
        for name, fn in list(globals().items()):
            if name.startswith("test_") and callable(fn):
                print("--", name, flush=True)
                fn()
    finally:
        ds.send_signal(signal.SIGTERM)
        ds.wait(timeout=20)
    if FAILURES:
        print(f"{len(FAILURES)} failure(s)", file=sys.stderr)
        return 1
    print("all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

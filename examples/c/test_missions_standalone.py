#!/usr/bin/env python3
"""Run the example missions standalone, as a developer would from a shell.

Standalone debug mode (spec/mission-protocol.md 7.10, issue 4): input from
--input=JSON, --input-file=PATH or stdin (--input=-, --input-file=-);
progress and output registrations on stderr; the success return
pretty-printed (4-space indent, like PHP's JSON_PRETTY_PRINT) on stdout;
outputs in ./out/<key>; exit status 0 after success, the fail code after a
failure (0 coerced to 1), 1 when the mission cannot start. Each case runs in
a fresh temporary working directory with no LETTS_* variable set.

Usage: test_missions_standalone.py MISSION_DIR
"""

import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile

TIMEOUT = 60  # a deadline, never a synchronisation
failures = []


def environment(extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LETTS_")}
    # Under AddressSanitizer the crash example must still die by its signal:
    # ASan would otherwise catch SIGSEGV/SIGABRT, print a report and exit 1.
    env["ASAN_OPTIONS"] = ":".join(
        filter(None, [env.get("ASAN_OPTIONS", ""), "handle_segv=0", "handle_abort=0"]))
    env.update(extra or {})
    return env


class Mission:
    def __init__(self, directory):
        self.directory = directory

    def run(self, name, *args, stdin=None, env=None, cwd=None):
        with tempfile.TemporaryDirectory() as scratch:
            proc = subprocess.run([os.path.join(self.directory, name), *args],
                                  input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, env=environment(env), cwd=cwd or scratch,
                                  timeout=TIMEOUT, check=False)
        return proc


def expect(what, expected, found):
    if expected != found:
        failures.append(f"{what}:\n  expected {expected!r}\n  found    {found!r}")


def expect_run(what, proc, status, stdout=None, stderr=None):
    expect(f"{what}: exit status (stderr {proc.stderr!r})", status, proc.returncode)
    if stdout is not None:
        expect(f"{what}: stdout", stdout, proc.stdout)
    if stderr is not None:
        expect(f"{what}: stderr", stderr, proc.stderr)


def hello(m):
    pretty = ('{\n    "name": "ada",\n    "tags": [\n        "x",\n        {\n'
              '            "deep": []\n        },\n        {}\n    ],\n'
              '    "n": 12345678901234567890\n}\n')
    text = '{"name":"ada","tags":["x",{"deep":[]},{}],"n":12345678901234567890}'
    expect_run("hello --input=JSON", m.run("hello", "--input=" + text), 0, pretty, "")

    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "input.json")
        with open(path, "w") as f:
            f.write(json.dumps(json.loads(text), indent=2) + "\n")
        expect_run("hello --input-file=PATH", m.run("hello", "--input-file=" + path), 0,
                   pretty, "")
        # the first input argument decides; others are ignored
        expect_run("hello --input-file first", m.run("hello", "-v", "--input-file=" + path,
                                                     "--input={}"), 0, pretty, "")

    expect_run("hello --input=-", m.run("hello", "--input=-", stdin=text + "\n"), 0, pretty, "")
    expect_run("hello --input-file=-", m.run("hello", "--input-file=-", stdin=text), 0, pretty,
               "")
    # no input at all, and the null input, print {} like PHP
    expect_run("hello without input", m.run("hello"), 0, "{}\n", "")
    expect_run("hello --input=null", m.run("hello", "--input=null"), 0, "{}\n", "")
    # not an object: wrapped by the example (a success return must be an object)
    expect_run("hello --input=[1]", m.run("hello", "--input=[1]"), 0,
               '{\n    "input": [\n        1\n    ]\n}\n', "")
    # an empty LETTS_MISSION_ID still means standalone
    expect_run("hello with empty LETTS_MISSION_ID",
               m.run("hello", "--input={}", env={"LETTS_MISSION_ID": ""}), 0, "{}\n", "")

    # start failures: message on stderr, exit 1, nothing on stdout
    expect_run("hello with bad JSON", m.run("hello", "--input={bad"), 1, "",
               "hello: the standalone input (--input) is not valid JSON: unexpected character "
               "'b' at byte 1\n")
    expect_run("hello with a missing input file",
               m.run("hello", "--input-file=/nonexistent/input.json"), 1, "",
               "hello: cannot read input file: /nonexistent/input.json: No such file or "
               "directory\n")


def progress(m):
    expect_run("progress", m.run("progress", '--input={"steps":4}'), 0,
               '{\n    "steps": 4\n}\n',
               "[progress] 0.25 step 1\n[progress] 0.50 step 2\n"
               "[progress] 0.75 step 3\n[progress] 1.00 step 4\n")
    expect_run("progress with a bad input", m.run("progress", '--input={"steps":"many"}'), 2,
               "", 'input "steps" is a string, not an integer\n')


def output_file(m):
    with tempfile.TemporaryDirectory() as cwd:
        proc = m.run("output_file", '--input={"key":"report","text":"ab\\n","repeat":3}',
                     cwd=cwd)
        expect_run("output_file", proc, 0, '{\n    "key": "report",\n    "bytes": 9\n}\n',
                   "[output-file] key=report\n")
        path = os.path.join(cwd, "out", "report")
        content = open(path).read() if os.path.exists(path) else None
        expect("output_file: ./out/report", "ab\nab\nab\n", content)
    with tempfile.TemporaryDirectory() as cwd:
        proc = m.run("output_file", '--input={"key":"__meta"}', cwd=cwd)
        expect_run("output_file with a reserved key", proc, 1, "",
                   'output: invalid output key "__meta" (must match '
                   '^[A-Za-z_][A-Za-z0-9_]{0,63}$ and not start with __)\n')
        expect("output_file with a reserved key: files in ./out", [],
               os.listdir(os.path.join(cwd, "out")) if os.path.isdir(os.path.join(cwd, "out"))
               else [])


def fail(m):
    expect_run("fail", m.run("fail"), 1, "", "boom\n")
    expect_run("fail with exit_code 3",
               m.run("fail", '--input={"message":"upstream returned HTTP 503",'
                             '"reason":"upstream_unavailable","exit_code":3,'
                             '"details":{"status":503}}'),
               3, "", "upstream returned HTTP 503\n")
    expect_run("fail with exit_code 0", m.run("fail", '--input={"exit_code":0}'), 1, "",
               "boom\n")
    expect_run("fail with details that are a list", m.run("fail", '--input={"details":[1]}'), 2,
               "", "fail: the fail details must be a JSON object or null, not an array; wrap "
                   "a list as {\"items\": [...]}\n")
    expect_run("fail then exit 0", m.run("fail", '--input={"exit_zero":true}'), 0, "",
               "boom\n")


def input_file(m):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "doc.txt")
        data = b"one\ntwo\nthree\n" * 1000
        with open(path, "wb") as f:
            f.write(data)
        proc = m.run("input_file", "--input=" + json.dumps({"doc": path}))
        expect_run("input_file", proc, 0, stderr="")
        try:
            got = json.loads(proc.stdout)
        except ValueError:
            got = proc.stdout
        expect("input_file: return", {"role": "doc", "size": len(data),
                                      "sha256": hashlib.sha256(data).hexdigest(),
                                      "bytes": len(data), "lines": 3000, "roles": []}, got)
    expect_run("input_file without the file", m.run("input_file", '--input={"other":"x"}'), 2,
               "", 'no input file with key "doc" (standalone: input.doc must be a path)\n')
    expect_run("input_file with a missing file",
               m.run("input_file", '--input={"doc":"/nonexistent/doc"}'), 1, "",
               'cannot open input file "doc" at /nonexistent/doc: No such file or directory\n')


def interruptible(m):
    for signo, status in ((signal.SIGTERM, 143), (signal.SIGINT, 130)):
        with tempfile.TemporaryDirectory() as cwd:
            proc = subprocess.Popen([os.path.join(m.directory, "interruptible"),
                                     '--input={"seconds":30}'],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                    env=environment(), cwd=cwd)
            try:
                # The first progress line proves the job is running with its
                # handlers installed; only then is the signal sent.
                first = proc.stderr.readline()
                expect(f"interruptible ({signo.name}): first stderr line", "[progress] 0.03 1 s\n",
                       first)
                proc.send_signal(signo)
                out, err = proc.communicate(timeout=TIMEOUT)
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
            expect(f"interruptible ({signo.name}): exit status", status, proc.returncode)
            expect(f"interruptible ({signo.name}): stdout", "", out)
            lines = err.splitlines()
            expect(f"interruptible ({signo.name}): callback line",
                   f"interruptible: interrupt received (signal {int(signo)})",
                   lines[0].split(" after ")[0] if lines else None)
            expect(f"interruptible ({signo.name}): last line",
                   f"interrupted by signal {int(signo)} after",
                   " ".join(lines[-1].split()[:5]) if lines else None)
    expect_run("interruptible short", m.run("interruptible", '--input={"seconds":1}'), 0,
               '{\n    "seconds": 1\n}\n', "[progress] 1.00 1 s\n")


def crash(m):
    expect_run("crash segv", m.run("crash"), -signal.SIGSEGV, "", 'crash: crashing with "segv"\n')
    expect_run("crash abort", m.run("crash", '--input={"crash":"abort"}'), -signal.SIGABRT, "",
               'crash: crashing with "abort"\n')
    expect_run("crash none", m.run("crash", '--input={"crash":"none"}'), 0, "{}\n", "")
    expect_run("crash after success",
               m.run("crash", '--input={"crash":"segv","after_success":true}'),
               -signal.SIGSEGV, "{}\n", 'crash: crashing with "segv"\n')


def main(directory):
    m = Mission(directory)
    for case in (hello, progress, output_file, fail, input_file, interruptible, crash):
        case(m)
    for failure in failures:
        print("FAIL: " + failure, file=sys.stderr)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

#!/usr/bin/env python3
"""Run the example missions the way dugdale launches them, and read fd 3.

Until letts-devserver is available on this branch, this script plays the
daemon's launch sequence (spec/mission-protocol.md 1.5-1.7, 2, Appendix B)
for real processes: a fresh work directory with in/, out/ and tmp/, the
input in input.json opened as stdin, the LETTS_* environment built from
scratch, and fd 3 the write end of a pipe whose other end this script reads
to EOF. It then checks the exact NDJSON bytes, the exit status or signal,
the output files and stderr. What dugdale would record follows from these
(spec section 8.1); the devserver integration tests will check that part.

Usage: test_missions_fd3.py MISSION_DIR
"""

import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile

TIMEOUT = 60  # a deadline, never a synchronisation
MISSION_ID = "0190a4c2-7d2e-7b7a-9c1d-3f5e6a7b8c9d"
failures = []


def expect(what, expected, found):
    if expected != found:
        failures.append(f"{what}:\n  expected {expected!r}\n  found    {found!r}")


class Launch:
    """One mission process started as dugdale would start it."""

    def __init__(self, directory, name, input_text="{}", files=None, env=None, fd3=True):
        self.tmp = tempfile.TemporaryDirectory()
        self.workdir = os.path.join(self.tmp.name, "work", MISSION_ID)
        for sub in ("in", "out", "tmp"):
            os.makedirs(os.path.join(self.workdir, sub))
        environment = {
            "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": self.tmp.name, "TZ": "UTC",
            "LETTS_MISSION_ID": MISSION_ID, "LETTS_KIND": "mission", "LETTS_LANE": "default",
            "LETTS_WORKDIR": self.workdir, "LETTS_TMPDIR": os.path.join(self.workdir, "tmp"),
        }
        for role, data in (files or {}).items():
            path = os.path.join(self.workdir, "in", role)
            with open(path, "wb") as f:
                f.write(data)
            os.chmod(path, 0o444)
            environment["LETTS_IN_" + role] = path
            environment["LETTS_IN_" + role + "__SHA256"] = hashlib.sha256(data).hexdigest()
            environment["LETTS_IN_" + role + "__SIZE"] = str(len(data))
        # The libraries of the build and the sanitizer settings are not part
        # of dugdale's environment, but the test run needs them.
        for name_ in ("LD_LIBRARY_PATH", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
            if name_ in os.environ:
                environment[name_] = os.environ[name_]
        environment["ASAN_OPTIONS"] = ":".join(filter(None, [
            environment.get("ASAN_OPTIONS", ""), "handle_segv=0", "handle_abort=0"]))
        environment.update(env or {})
        input_path = os.path.join(self.workdir, "input.json")
        with open(input_path, "w") as f:
            f.write(input_text)
        os.chmod(input_path, 0o400)

        read_end, write_end = os.pipe()
        self.events = os.fdopen(read_end, "rb")

        def child_setup():
            if not fd3:
                if _is_open(3):
                    os.close(3)
            elif write_end == 3:
                os.set_inheritable(3, True)
            else:
                os.dup2(write_end, 3)  # the copy is inheritable

        with open(input_path, "rb") as stdin:
            self.proc = subprocess.Popen([os.path.join(directory, name)], stdin=stdin,
                                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                         cwd=self.workdir, env=environment, close_fds=False,
                                         preexec_fn=child_setup, text=True)
        os.close(write_end)

    def finish(self):
        """Waits for the end; returns (status, stdout, stderr, fd 3 lines)."""
        out, err = self.proc.communicate(timeout=TIMEOUT)
        lines = self.events.read().decode()
        self.events.close()
        return self.proc.returncode, out, err, lines

    def output(self, key):
        path = os.path.join(self.workdir, "out", key)
        with open(path, "rb") as f:
            return f.read()

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.tmp.cleanup()


def _is_open(fd):
    try:
        os.fstat(fd)
        return True
    except OSError:
        return False


def run(directory, name, *, status, events, stderr="", stdout="", **kwargs):
    launch = Launch(directory, name, **kwargs)
    try:
        got_status, got_out, got_err, got_events = launch.finish()
        what = f"{name} {kwargs.get('input_text', '{}')}"
        expect(f"{what}: exit status (stderr {got_err!r})", status, got_status)
        expect(f"{what}: fd 3", events, got_events)
        if stderr is not None:
            expect(f"{what}: stderr", stderr, got_err)
        expect(f"{what}: stdout", stdout, got_out)
        return launch
    finally:
        launch.close()


def main(d):
    # hello: the input comes back as the return, verbatim numbers included
    run(d, "hello", input_text='{"b":[1,2.50],"a":{"n":12345678901234567890}}', status=0,
        events='{"event":"success","return":{"b":[1,2.50],"a":{"n":12345678901234567890}}}\n')
    # dugdale's "no input": the four bytes null
    run(d, "hello", input_text="null", status=0, events='{"event":"success","return":null}\n')
    run(d, "hello", input_text='"text"', status=0,
        events='{"event":"success","return":{"input":"text"}}\n')

    run(d, "progress", input_text='{"steps":4}', status=0,
        events='{"event":"progress","value":0.25,"message":"step 1"}\n'
               '{"event":"progress","value":0.5,"message":"step 2"}\n'
               '{"event":"progress","value":0.75,"message":"step 3"}\n'
               '{"event":"progress","value":1,"message":"step 4"}\n'
               '{"event":"success","return":{"steps":4}}\n')

    launch = Launch(d, "output_file", input_text='{"key":"report_pdf","text":"x","repeat":5}')
    try:
        got = launch.finish()
        expect("output_file: status, stdout, stderr, fd 3",
               (0, "", "", '{"event":"output_file","key":"report_pdf"}\n'
                           '{"event":"success","return":{"key":"report_pdf","bytes":5}}\n'),
               got)
        expect("output_file: out/report_pdf", b"xxxxx", launch.output("report_pdf"))
    finally:
        launch.close()

    run(d, "fail", status=1,
        events='{"event":"fail","message":"boom","reason":"explicit","exit_code":1}\n')
    run(d, "fail", input_text='{"message":"upstream returned HTTP 503","reason":'
                              '"upstream_unavailable","details":{"status":503},"exit_code":3}',
        status=3,
        events='{"event":"fail","message":"upstream returned HTTP 503","reason":'
               '"upstream_unavailable","exit_code":3,"details":{"status":503}}\n')
    run(d, "fail", input_text='{"exit_code":0}', status=1,
        events='{"event":"fail","message":"boom","reason":"explicit","exit_code":1}\n')
    # fail then exit 0: dugdale records failed / fail_then_zero_exit
    run(d, "fail", input_text='{"exit_zero":true}', status=0,
        events='{"event":"fail","message":"boom","reason":"explicit","exit_code":1}\n')

    doc = b"alpha\nbeta\n"
    run(d, "input_file", files={"doc": doc, "photo": b"\x89PNG"}, status=0,
        events='{"event":"success","return":{"role":"doc","size":11,"sha256":"%s",'
               '"bytes":11,"lines":2,"roles":["doc","photo"]}}\n' % hashlib.sha256(doc).hexdigest())
    run(d, "input_file", status=2,
        events='{"event":"fail","message":"no input file with key \\"doc\\"","reason":'
               '"missing_input","exit_code":2}\n')

    # crash by signal: no event, killed by SIGSEGV (dugdale: failed / segfault)
    run(d, "crash", status=-signal.SIGSEGV, events="", stderr='crash: crashing with "segv"\n')
    # success then a crash: failed / success_then_failed_exit
    run(d, "crash", input_text='{"crash":"segv","after_success":true}',
        status=-signal.SIGSEGV, events='{"event":"success"}\n',
        stderr='crash: crashing with "segv"\n')
    run(d, "crash", input_text='{"crash":"abort"}', status=-signal.SIGABRT, events="",
        stderr='crash: crashing with "abort"\n')

    # dugdale's kill: SIGTERM to the process group during a long job
    launch = Launch(d, "interruptible", input_text='{"seconds":30}')
    try:
        # the first progress line proves the job runs with its handlers set
        first = launch.events.readline().decode()
        expect("interruptible: first event", '{"event":"progress","value":0.03333333333333333,'
                                             '"message":"1 s"}\n', first)
        launch.proc.send_signal(signal.SIGTERM)
        status, out, err, rest = launch.finish()
        expect("interruptible: exit status", 143, status)
        slices = err.split(" after ")[1].split(" ")[0] if " after " in err else "?"
        message = f"interrupted by signal 15 after {slices} of 300 slices"
        expect("interruptible: stderr",
               f"interruptible: interrupt received (signal 15) after {slices} slices\n", err)
        expect("interruptible: events after the signal",
               '{"event":"progress","message":"%s"}\n'
               '{"event":"fail","message":"%s","reason":"interrupted","exit_code":143}\n'
               % (message, message), rest)
    finally:
        launch.close()

    # misconfigured launches: nothing on fd 3, exit 1 (failed / no_event_nonzero_exit)
    run(d, "hello", env={"LETTS_WORKDIR": ""}, status=1, events="",
        stderr="hello: letts mission misconfigured: LETTS_WORKDIR not set in dugdale mode\n")
    run(d, "hello", fd3=False, status=1, events="",
        stderr="hello: letts mission misconfigured: fd 3 is not open (dugdale passes the "
               "event channel as fd 3): Bad file descriptor\n")

    for failure in failures:
        print("FAIL: " + failure, file=sys.stderr)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

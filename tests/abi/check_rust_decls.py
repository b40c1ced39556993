#!/usr/bin/env python3
"""Holds bindings/rust/letts-sys/gen_decls.py to its committed results.

  check_rust_decls.py GENERATOR INCLUDE_DIR --expect FILE
      The generator succeeds on INCLUDE_DIR and prints exactly FILE: with
      include/letts and src/decls.rs, the committed declarations are the ones
      the headers give (a header changed without regenerating fails here).
  check_rust_decls.py GENERATOR INCLUDE_DIR --expect-errors FILE
      The generator fails (status 1), prints nothing on stdout and exactly
      FILE on stderr: every declaration it cannot translate is named.

The generator runs inside INCLUDE_DIR on '.', so its messages name headers
by file name and the expected report does not depend on the checkout path."""
import argparse
import difflib
import subprocess
import sys


def differ(label, expected, actual):
    sys.stdout.writelines(difflib.unified_diff(
        expected.splitlines(keepends=True), actual.splitlines(keepends=True),
        f"{label} (expected)", f"{label} (generated)"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("generator")
    ap.add_argument("include_dir")
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--expect")
    mode.add_argument("--expect-errors")
    a = ap.parse_args()

    run = subprocess.run([sys.executable, a.generator, "."], cwd=a.include_dir,
                         capture_output=True, text=True)
    if a.expect:
        with open(a.expect) as f:
            expected = f.read()
        if run.returncode != 0:
            print(f"gen_decls.py exited with {run.returncode}:\n{run.stderr}")
            return 1
        if run.stdout != expected:
            print(f"{a.expect} is not what gen_decls.py writes from {a.include_dir}; "
                  "regenerate it (see bindings/rust/letts-sys/gen_decls.py)")
            differ(a.expect, expected, run.stdout)
            return 1
        return 0
    with open(a.expect_errors) as f:
        expected = f.read()
    if run.returncode != 1:
        print(f"gen_decls.py exited with {run.returncode}, expected 1\nstderr:\n{run.stderr}")
        return 1
    if run.stdout:
        print(f"gen_decls.py printed declarations although it failed:\n{run.stdout}")
        return 1
    if run.stderr != expected:
        differ(a.expect_errors, expected, run.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

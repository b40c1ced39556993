#!/usr/bin/env python3
"""Fail when a tracked file points outside the repository.

A published libletts cannot send readers to the specification folder the
project was built from, which sits beside the repository and ships with
nothing. Every file `git ls-files` lists in ROOT is read; each line holding
one of the patterns is printed as FILE:LINE: TEXT and the test fails.
The patterns are assembled at run time so that this file does not match
itself.
"""
import pathlib
import subprocess
import sys

PATTERNS = ["../" + "shared", "shared" + "/spec"]


def tracked_files(root):
    out = subprocess.run(["git", "-C", str(root), "ls-files", "-z"],
                         check=True, capture_output=True).stdout
    return [root / name.decode() for name in out.split(b"\0") if name]


def offenders(path, rel):
    try:
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        return []  # deleted in the work tree, or a submodule
    if b"\0" in data[:8192]:
        return []  # binary
    found = []
    for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
        if any(p in line for p in PATTERNS):
            found.append(f"{rel}:{number}: {line.strip()}")
    return found


def main(argv):
    root = pathlib.Path(argv[1]).resolve()
    try:
        files = tracked_files(root)
    except (OSError, subprocess.CalledProcessError) as exc:
        # Not silently skipped: without git the test cannot say anything.
        print(f"cannot list the tracked files of {root}: {exc}")
        return 1
    found = []
    for path in files:
        found += offenders(path, path.relative_to(root))
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} line(s) point outside the repository "
              f"({' or '.join(PATTERNS)}); link into docs/ instead")
        return 1
    print(f"{len(files)} tracked files, none points outside the repository")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

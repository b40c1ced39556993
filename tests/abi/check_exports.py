#!/usr/bin/env python3
"""Check what libletts.so exports against the committed list.

DESIGN.md, C ABI rules 1 and 8: only letts_* is exported, the soname is
libletts.so.0, and within one soname the API only grows. The committed list
(tests/abi/exported-symbols.txt) makes every change to the exported set a
deliberate, reviewed edit:

  - a symbol exported but not listed is new API: add it to the list;
  - a symbol listed but not exported was removed or renamed, which breaks
    every program linked against libletts.so.0;
  - anything exported that is not letts_* is a visibility leak.

Usage: check_exports.py --nm NM --readelf READELF --expected LIST
                        --soname libletts.so.0 LIBRARY
"""

import argparse
import difflib
import os
import re
import subprocess
import sys


def run(cmd):
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, check=False)
    if proc.returncode != 0:
        sys.exit(f"FAIL: expected `{' '.join(cmd)}` to succeed, it exited "
                 f"{proc.returncode}:\n{proc.stderr}")
    return proc.stdout


def version_definitions(readelf, library):
    """Names in .gnu.version_d (the soname itself plus the version nodes)."""
    names, section = set(), ""
    for line in run([readelf, "--version-info", "--wide", library]).splitlines():
        if line and not line[0].isspace():  # a section title starts in column 0
            section = line
        elif section.startswith("Version definition section"):
            match = re.search(r"Name:\s*(\S+)", line)
            if match:
                names.add(match.group(1))
    return names


def soname(readelf, library):
    for line in run([readelf, "--dynamic", "--wide", library]).splitlines():
        match = re.search(r"\(SONAME\)\s+Library soname: \[(.*)\]", line)
        if match:
            return match.group(1)
    return None


def exported_symbols(nm, library, version_nodes):
    """Defined dynamic symbols, without @VERSION suffixes.

    The linker emits each version node of the version script as an absolute
    symbol (`A LETTS_0`); those are bookkeeping, not API, and are skipped.
    """
    symbols = set()
    for line in run([nm, "--dynamic", "--defined-only", library]).splitlines():
        fields = line.split()
        if len(fields) < 2:
            continue
        kind, name = fields[-2], fields[-1].split("@")[0]
        if kind == "A" and name in version_nodes:
            continue
        symbols.add(name)
    return symbols


def read_list(path):
    with open(path, encoding="utf-8") as handle:
        names = [line.strip() for line in handle if line.strip()]
    problems = []
    if names != sorted(names):
        problems.append(f"expected {path} to be sorted (LC_ALL=C sort), it is not")
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        problems.append(f"expected each name once in {path}, found duplicates: "
                        + ", ".join(duplicates))
    return names, problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nm", default="nm")
    parser.add_argument("--readelf", default="readelf")
    parser.add_argument("--expected", required=True, help="exported-symbols.txt")
    parser.add_argument("--soname", required=True)
    parser.add_argument("library")
    args = parser.parse_args()
    args.expected = os.path.normpath(args.expected)  # meson passes build/../tests/...

    expected, problems = read_list(args.expected)

    found_soname = soname(args.readelf, args.library)
    if found_soname != args.soname:
        problems.append(f"expected SONAME {args.soname}, found "
                        f"{found_soname if found_soname else 'no SONAME'}")

    nodes = version_definitions(args.readelf, args.library) - {args.soname}
    if not nodes:
        problems.append("expected version nodes from the linker version script "
                        "(src/capi/libletts.map), found none: was it applied?")

    actual = sorted(exported_symbols(args.nm, args.library, nodes))
    foreign = [name for name in actual if not name.startswith("letts_")]
    if foreign:
        problems.append("expected only letts_* symbols to be exported, found also:\n    "
                        + "\n    ".join(foreign))

    added = sorted(set(actual) - set(expected))
    removed = sorted(set(expected) - set(actual))
    if added or removed:
        lines = [f"expected the exported symbols to equal {args.expected}, they differ:"]
        lines += ["    " + line.rstrip("\n") for line in difflib.unified_diff(
            [n + "\n" for n in expected], [n + "\n" for n in actual],
            fromfile="exported-symbols.txt (committed)",
            tofile=f"{args.library} (nm -D --defined-only)", n=1)]
        if added:
            lines.append("  exported but not listed (new API? then add it to the list; "
                         "`check_ffi_functions.py --list <build>/tools/letts_ffi.h` "
                         "prints the names the headers declare):")
            lines += ["    + " + n for n in added]
        if removed:
            lines.append("  listed but not exported (removing or renaming breaks "
                         f"the ABI of {args.soname}):")
            lines += ["    - " + n for n in removed]
        problems.append("\n".join(lines))

    if problems:
        for problem in problems:
            print("FAIL: " + problem, file=sys.stderr)
        return 1
    print(f"ok: {args.library}: SONAME {found_soname}, {len(actual)} symbols, "
          f"all letts_*, equal to {args.expected}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

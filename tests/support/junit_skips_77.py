#!/usr/bin/env python3
"""Runs a test command that writes a JUnit XML report, and exits 77 (meson's
"skipped") when the command passed but the report lists a skipped test.

A test runner such as PHPUnit exits 0 when tests were skipped, so meson would
report OK and CI's "nothing skipped" guard (no_skipped_tests in .ci/run)
would never see the skip. The argument @JUNIT@ is replaced by the report's
path (a temporary file). Any other exit status of the command is returned
as it is.

    junit_skips_77.py COMMAND [ARG...]   (one ARG being @JUNIT@)
"""
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

MESON_SKIP = 77


def main(argv):
    if "@JUNIT@" not in argv:
        sys.exit("junit_skips_77.py: expected @JUNIT@ among the command's arguments")
    with tempfile.TemporaryDirectory(prefix="letts-junit-") as tmp:
        report = os.path.join(tmp, "junit.xml")
        status = subprocess.call([report if arg == "@JUNIT@" else arg for arg in argv])
        if status != 0:
            return status
        try:
            cases = list(ET.parse(report).iter("testcase"))
        except (OSError, ET.ParseError) as error:
            print(f"expected the command to write a JUnit report, found none ({error})",
                  file=sys.stderr)
            return 1
    skipped = [f"{case.get('class') or case.get('classname')}::{case.get('name')}"
               for case in cases if case.find("skipped") is not None]
    if skipped:
        print(f"{len(skipped)} of {len(cases)} tests skipped, reported to meson as SKIP "
              f"(exit {MESON_SKIP}):", *skipped, sep="\n  ")
        return MESON_SKIP
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

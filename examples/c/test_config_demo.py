#!/usr/bin/env python3
"""Run letts-config-demo on examples/letts.yaml and check what it prints.

The expected values follow from the example file and spec/client-config.md:
base URLs (port, defaults.port, url with its trailing '/' dropped), labels
after `extends`, and target resolution by route, alias, labels and
selector.match. The error cases check that failures exit 1 with the
library's message on stderr.

Usage: test_config_demo.py LETTS_CONFIG_DEMO LETTS_YAML
"""

import os
import re
import subprocess
import sys

failures = []


def run(demo, *args):
    # No LETTS_* variables: loading and resolving must not need the tokens.
    env = {k: v for k, v in os.environ.items() if not k.startswith("LETTS_")}
    return subprocess.run([demo, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, env=env, timeout=60, check=False)


def expect(condition, what, expected, found):
    if not condition:
        failures.append(f"{what}: expected {expected}, found {found}")


def expect_line(output, pattern, what):
    """Some line of `output` matches `pattern` (words separated by any spaces)."""
    regex = re.compile(r"\s+".join(re.escape(word) for word in pattern.split()))
    expect(any(regex.search(line) for line in output.splitlines()), what,
           f"a line like {pattern!r}", "none in:\n" + output)


def main(demo, yaml):
    # The happy path on the example file.
    proc = run(demo, yaml)
    if proc.returncode != 0:
        # Everything below depends on this run; one clear message is enough.
        print(f"FAIL: exit status of `{demo} {yaml}`: expected 0, found "
              f"{proc.returncode}, stdout:\n{proc.stdout}stderr:\n{proc.stderr}",
              file=sys.stderr)
        return 1
    expect(proc.stderr == "", "stderr of the demo", "nothing", repr(proc.stderr))
    out = proc.stdout
    for line in [
        "web-1 http://web1.internal:7181 labels: prod, web",
        "web-2 http://web2.internal:7180 labels: prod, batch",
        "edge-1 https://edge1.example.com/letts labels: edge",
        "route reports -> web-1, lane normal",
        "host primary, lane bulk -> web-1, lane bulk",
        "match [edge], lane normal -> edge-1, lane normal",
        "match [prod,batch], lane normal -> web-2, lane normal",
        "lane bulk (selector.match) -> web-1, lane bulk",
    ]:
        expect_line(out, line, "demo output")

    # Explicit targets, including one that cannot be satisfied.
    proc = run(demo, yaml, "host:primary/normal", "match:gpu/normal")
    expect(proc.returncode == 1, "exit status when no dugdale carries label gpu", 1,
           proc.returncode)
    expect_line(proc.stdout, "host primary, lane normal -> web-1, lane normal", "demo output")
    expect("letts_target_resolve failed [no_matching_dugdale]: " in proc.stderr,
           "stderr when no dugdale carries label gpu",
           "'letts_target_resolve failed [no_matching_dugdale]: <message>'", repr(proc.stderr))

    # An unknown host is a configuration error.
    proc = run(demo, yaml, "host:ghost/normal")
    expect(proc.returncode == 1, "exit status for host ghost", 1, proc.returncode)
    expect("[config]" in proc.stderr and "ghost" in proc.stderr, "stderr for host ghost",
           "a [config] error naming 'ghost'", repr(proc.stderr))

    # A missing file: the loader's error, naming the file.
    missing = os.path.join(os.path.dirname(os.path.abspath(yaml)), "no-such-letts.yaml")
    proc = run(demo, missing)
    expect(proc.returncode == 1, "exit status for a missing file", 1, proc.returncode)
    expect("loading the configuration failed [config]" in proc.stderr
           and "no-such-letts.yaml" in proc.stderr,
           "stderr for a missing file", "a [config] error naming no-such-letts.yaml",
           repr(proc.stderr))

    # A target the demo cannot parse.
    proc = run(demo, yaml, "nonsense")
    expect(proc.returncode == 1, "exit status for target 'nonsense'", 1, proc.returncode)
    expect("cannot read target" in proc.stderr, "stderr for target 'nonsense'",
           "'cannot read target'", repr(proc.stderr))

    if failures:
        for failure in failures:
            print("FAIL: " + failure, file=sys.stderr)
        return 1
    print(out, end="")
    print("ok: letts-config-demo output and error paths as expected")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], os.path.normpath(sys.argv[2])))

#!/usr/bin/env python3
"""Runs docs/examples/curl_session.sh against a fresh letts-devserver.

usage: test_curl_session.py LETTS_DEVSERVER MISSION_DIR SCRIPT

The server runs in its default mode (loopback, random port, generated
tokens, lane `default` running MISSION_DIR/<mission> directly); its URL and
tokens are read from the letts.yaml it prints. The script's output must show
the statuses and bodies docs/http-api.md describes.
"""
import os
import re
import subprocess
import sys


def read_client_config(server):
    """The printed letts.yaml ends with the lane's concurrency line."""
    lines = []
    for line in server.stdout:
        lines.append(line)
        if "concurrency:" in line:
            return "".join(lines)
    raise SystemExit("letts-devserver ended before printing its letts.yaml:\n" + "".join(lines))


def main(devserver, mission_dir, script):
    server = subprocess.Popen([devserver, "--mission-dir", mission_dir],
                              stdout=subprocess.PIPE, text=True)
    try:
        config = read_client_config(server)
        env = dict(os.environ,
                   LETTS_URL=re.search(r"url: (\S+)", config).group(1),
                   LETTS_TOKEN=re.search(r'\btoken: "([^"]+)"', config).group(1),
                   LETTS_ADMIN_TOKEN=re.search(r'admin_token: "([^"]+)"', config).group(1),
                   LETTS_MISSION_DIR=os.path.abspath(mission_dir))
        run = subprocess.run(["sh", script], env=env, capture_output=True, text=True, timeout=60)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(run.stdout, run.stderr)
    expected = [
        '{"status":"ok"}',
        '"name":"default","concurrency":2',
        '"name":"slow","concurrency":1',
        '"status":"queued"',
        '{"event":"queued"',
        '"event":"done"',
        '"outcome":"success","return":{"name":"ada"}',
        '{"missions":[',
        "== without a token: 401\n401\n",
        '{"error":"forbidden","message":"token does not have required scope"}\n\n403\n',
    ]
    missing = [text for text in expected if text not in run.stdout]
    if run.returncode != 0 or missing:
        print(f"curl_session.sh exited {run.returncode}; missing from its output: {missing}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))

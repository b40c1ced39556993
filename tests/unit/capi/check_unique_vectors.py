#!/usr/bin/env python3
"""Recomputes every row of the unique-id test-vector table in
docs/unique-ids.md with Python's hmac/hashlib alone (nothing of libletts),
so the table is a derivation's output and not merely the library's own.
Usage: check_unique_vectors.py docs/unique-ids.md"""
import hashlib
import hmac
import re
import struct
import sys

ROW = re.compile(r"^\| `(?P<key>[^`]+)` \| (?P<window>\d+) \| (?P<at>\d+) \| (?P<start>\d+) \| `(?P<id>[0-9a-f-]{36})` \|$")


def unique_id(key: bytes, window_ms: int, at_ms: int) -> tuple[int, str]:
    start = 0 if window_ms == 0 else at_ms - at_ms % window_ms
    digest = hmac.new(b"letts unique mission id v1", struct.pack(">QQ", start, window_ms) + key,
                      hashlib.sha256).digest()
    raw = start.to_bytes(6, "big") + bytes([0x70 | digest[0] & 0x0F, digest[1],
                                            0x80 | digest[2] & 0x3F]) + digest[3:10]
    h = raw.hex()
    return start, f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def main() -> int:
    rows = 0
    failures = []
    with open(sys.argv[1], encoding="utf-8") as table:
        for line in table:
            m = ROW.match(line.rstrip("\n"))
            if not m:
                continue
            rows += 1
            start, got = unique_id(m["key"].encode("utf-8"), int(m["window"]), int(m["at"]))
            if got != m["id"] or start != int(m["start"]):
                failures.append(f"{m['key']}: table {m['start']} {m['id']}, python {start} {got}")
    if rows < 10:
        failures.append(f"only {rows} vector rows found")
    for failure in failures:
        print(failure, file=sys.stderr)
    print(f"{rows} vectors checked")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Hostile bodies for the parser (issue 19's rows 3-5), each sent once to a fresh server: the
server's CPU seconds for it (from /proc), its RSS over idle afterwards, the answer's status and
size; each must stay under its bound (< 1 s CPU, < 100 MB over idle, a 4xx problem under 100 KB).
The figures are read once the server's /metrics (admin port) show the request done and its
connection closed, and its RSS once it has given the memory back (or HANG_GUARD passed).
Usage: hostile-parse.py BINARY. Prints PASS/FAIL lines and 'N passed, N failed'."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "lib"))
from systest import HANG_GUARD, MB, Server, check, finish, request

BODIES = {
    "kernelSize list of 30 million 1s (60 MB)": b'{"input": [[[1]]], "kernelSize": [' + b",".join([b"1"] * 30_000_000) + b"]}",
    "63 nested arrays around 20 MB of spaces": b'{"input": ' + b"[" * 63 + b" " * 20_000_000 + b"]" * 63 + b', "kernelSize": 1}',
    "a number of 10 million digits": b'{"input": [[[1]]], "kernelSize": ' + b"7" * 10_000_000 + b"}",
}

if __name__ == "__main__":
    for name, body in BODIES.items():
        with Server(sys.argv[1], admin=True, log_format=None, log_level="error") as s:
            s.wait_idle()
            cpu0, rss0 = s.cpu_seconds(), s.rss()
            status, _, answer = request(s.port, "POST", "/pool/forward", body, {"Content-Type": "application/json"}, timeout=HANG_GUARD)
            s.wait_idle()
            cpu1 = s.cpu_seconds()
            rss1 = s.rss_back(rss0, 100 * MB)
            hwm = s.status("VmHWM")
        figures = f"status {status}, answer {len(answer)} bytes, CPU {cpu1 - cpu0:.2f} s, peak RSS {hwm / MB:.0f} MB, RSS over idle after {(rss1 - rss0) / MB:.0f} MB"
        check(f"{name}: {figures}", 400 <= status < 500 and len(answer) < 100_000 and cpu1 - cpu0 < 1.0 and rss1 - rss0 < 100 * MB, "a figure over its bound")
    finish()

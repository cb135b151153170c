#!/usr/bin/env python3
"""Hostile bodies for the parser (issue 19's rows 3-5), each sent once to a fresh server: the
server's CPU seconds for it (from /proc), its RSS over idle afterwards, the answer's status and
size; each must stay under its bound (< 1 s CPU, < 100 MB over idle, a 4xx problem under 100 KB).
Usage: hostile-parse.py BINARY. Prints PASS/FAIL lines and 'N passed, N failed'."""
import os, re, socket, subprocess, sys, time

def proc(pid):
    stat = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    cpu = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
    status = open(f"/proc/{pid}/status").read()
    rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024
    hwm = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024
    return cpu, rss, hwm

def post(port, body):
    s = socket.create_connection(("127.0.0.1", port), timeout=120)
    s.sendall(b"POST /pool/forward HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    data = b""
    while True:
        c = s.recv(1 << 20)
        if not c:
            break
        data += c
    head, _, rest = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), len(rest)

BODIES = {
    "kernelSize list of 30 million 1s (60 MB)": b'{"input": [[[1]]], "kernelSize": [' + b",".join([b"1"] * 30_000_000) + b"]}",
    "63 nested arrays around 20 MB of spaces": b'{"input": ' + b"[" * 63 + b" " * 20_000_000 + b"]" * 63 + b', "kernelSize": 1}',
    "a number of 10 million digits": b'{"input": [[[1]]], "kernelSize": ' + b"7" * 10_000_000 + b"}",
}

if __name__ == "__main__":
    results = []
    for name, body in BODIES.items():
        p = subprocess.Popen([sys.argv[1], "--port", "0", "--log-level", "error"], stdout=subprocess.PIPE, text=True)
        port = int(re.search(r":(\d+)", p.stdout.readline()).group(1))
        time.sleep(0.3)
        cpu0, rss0, _ = proc(p.pid)
        status, size = post(port, body)
        time.sleep(1)
        cpu1, rss1, hwm = proc(p.pid)
        figures = f"status {status}, answer {size} bytes, CPU {cpu1 - cpu0:.2f} s, peak RSS {hwm:.0f} MB, RSS over idle after {rss1 - rss0:.0f} MB"
        ok = 400 <= status < 500 and size < 100_000 and cpu1 - cpu0 < 1.0 and rss1 - rss0 < 100
        results.append(ok)
        print(("PASS " if ok else "FAIL ") + f"{name}: {figures}", flush=True)
        p.terminate(); p.wait()
    print("%d passed, %d failed" % (results.count(True), results.count(False)))
    sys.exit(0 if all(results) else 1)

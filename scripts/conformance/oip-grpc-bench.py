#!/usr/bin/env python3
"""The 1×64×112×112 FP32 forward of maxpool2d_k3s2p1 (OUTPUT, INDICES, MASK) through
tritonclient.grpc and through tritonclient.http with binary data, against one server started
here, in one run: median and p90 latency per call (one client, calls one after the other,
transports interleaved so that the machine's load falls on both alike) and the server's CPU
time per call (from /proc).

Usage: oip-grpc-bench.py BINARY [CALLS]   (BINARY: the release build)"""
import os, re, statistics, subprocess, sys, time
import numpy as np
import tritonclient.grpc as tg
import tritonclient.http as th

binary, calls = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 60
server = subprocess.Popen([binary, "--port", "0", "--grpc-port", "0", "--log-level", "warning"], stdout=subprocess.PIPE, text=True)
ports = {}
while len(ports) < 2:
    line = server.stdout.readline()
    if not line:
        sys.exit("poolserve did not start")
    if m := re.search(r"^listening on http://127\.0\.0\.1:(\d+)", line):
        ports["http"] = int(m.group(1))
    if m := re.search(r"^grpc listening on 127\.0\.0\.1:(\d+)", line):
        ports["grpc"] = int(m.group(1))
x = np.random.default_rng(1).standard_normal((1, 64, 112, 112)).astype(np.float32)
clients = {"grpc": (tg, tg.InferenceServerClient(f"127.0.0.1:{ports['grpc']}")),
           "http binary": (th, th.InferenceServerClient(f"127.0.0.1:{ports['http']}", connection_timeout=60, network_timeout=60))}


def once(name):
    tc, client = clients[name]
    i = tc.InferInput("INPUT", list(x.shape), "FP32")
    i.set_data_from_numpy(x)
    outs = [tc.InferRequestedOutput(n) for n in ("OUTPUT", "INDICES", "MASK")]
    t0 = time.perf_counter()
    r = client.infer("maxpool2d_k3s2p1", [i], outputs=outs)
    r.as_numpy("OUTPUT"), r.as_numpy("INDICES"), r.as_numpy("MASK")
    return time.perf_counter() - t0


def cpu():
    fields = open(f"/proc/{server.pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


try:
    for name in clients:
        for _ in range(5):
            once(name)
    times = {name: [] for name in clients}
    cpus = {name: 0.0 for name in clients}
    for _ in range(calls):
        for name in clients:
            c0 = cpu()
            times[name].append(once(name))
            cpus[name] += cpu() - c0
    for name, t in times.items():
        t.sort()
        print(f"{name:12s} median {statistics.median(t) * 1e3:7.2f} ms   p90 {t[int(len(t) * 0.9)] * 1e3:7.2f} ms   "
              f"server CPU {cpus[name] / calls * 1e3:6.2f} ms/call   ({calls} calls)")
finally:
    server.terminate()
    server.wait()

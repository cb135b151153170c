#!/usr/bin/env python3
"""make bench-core: the pooling core (pool-bench) and PyTorch (shared/bench/torch_baseline.py) on
the same cases in one run; prints a table per case and op: both medians, the ratio, and the
fraction of the memory floor each reaches (floor = bytes the op must move / copy bandwidth
measured by the PyTorch script). Usage: bench-core.py POOL_BENCH TORCH_BASELINE"""
import json, subprocess, sys

def lines(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return [json.loads(l) for l in out.splitlines() if l.startswith("{")]

ours = {(r["case"], r["op"]): r for r in lines([sys.argv[1]])}
torch = lines([sys.executable, sys.argv[2]])
bandwidth = next(r["GBps"] for r in torch if r["case"] == "memory")
theirs = {(r["case"], r["op"]): r for r in torch if r["case"] != "memory"}
print("copy bandwidth %.1f GB/s (read + write, all cores)" % bandwidth)
print("%-15s %-16s %10s %10s %7s %11s %11s" % ("case", "op", "ours ms", "torch ms", "ratio", "ours floor", "torch floor"))
for key, r in ours.items():
    t = theirs.get(key)
    floor_ms = r["bytes"] / (bandwidth * 1e9) * 1e3
    if t:
        print("%-15s %-16s %10.3f %10.3f %7.2f %10.0f%% %10.0f%%" % (key[0], key[1], r["median_ms"], t["median_ms"],
              r["median_ms"] / t["median_ms"], 100 * floor_ms / r["median_ms"], 100 * floor_ms / t["median_ms"]))

#!/usr/bin/env python3
"""The figures of docs/capacity.md, measured again: requests/s per core and memory per request for
the README's 4x4 example and the 1x64x112x112 float32 forward (kernel 3, stride 2, padding 1; flat
JSON and b64, the bodies ../shared/bench/e2e.py sends), and from them the replicas, CPU and memory
for 1,000 and 100,000 requests/s of each.

Per core: the server runs with --threads 1 pinned to one core (taskset -c SERVER_CORE), wrk pinned
to another; requests per CPU-second = requests served / the server's user + system CPU time during
the run (/proc/PID/stat), which is what the sizing uses. Memory: a fresh server per kind; peak RSS (VmHWM) while N requests are in flight, less
its RSS when idle (after one warm-up request), divided by N.

Usage: capacity.py BINARY   (env CAPACITY_SECONDS per throughput run, default 10; CAPACITY_CORES
"server,client", default "1,0"; CAPACITY_CONCURRENT for the large requests, default 4)"""
import base64, http.client, json, math, os, platform, re, subprocess, sys, tempfile, threading, time
import numpy as np
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "lib"))
from systest import SOCKET_TIMEOUT, Server  # noqa: E402

BINARY = os.path.abspath(sys.argv[1])
SECONDS = int(os.environ.get("CAPACITY_SECONDS", "10"))
SERVER_CORE, CLIENT_CORE = os.environ.get("CAPACITY_CORES", "1,0").split(",")
CONCURRENT = int(os.environ.get("CAPACITY_CONCURRENT", "4"))
SMALL_CONNECTIONS = 64
# The pod the sizing is for (deploy/kubernetes/deployment.yaml) and the HPA's CPU target.
POD_CPUS, POD_MEMORY_MIB, TARGET_UTILISATION = 2, 1024, 0.70
TARGETS = (1_000, 100_000)


def bodies():
    small = json.dumps({"input": [[[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]]],
                        "kernelSize": 2}).encode()
    x = np.random.default_rng(0).standard_normal((1, 64, 112, 112)).astype(np.float32)
    q = {"kernelSize": 3, "stride": 2, "padding": 1}
    flat = json.dumps(dict(q, input={"shape": list(x.shape), "data": x.reshape(-1).tolist()})).encode()
    b64 = json.dumps(dict(q, input={"shape": list(x.shape), "dtype": "float32",
                                    "b64": base64.b64encode(x.tobytes()).decode()})).encode()
    return {"small (README 4x4)": (small, SMALL_CONNECTIONS), "1x64x112x112 flat": (flat, 2),
            "1x64x112x112 b64": (b64, 2)}


def start(threads, core=None):
    """A server with --threads `threads`, pinned to `core` when given."""
    return Server(BINARY, "--threads", str(threads), log_format=None, log_level="warning",
                  prefix=["taskset", "-c", core] if core is not None else ())


def post(server, body):
    c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=SOCKET_TIMEOUT * 2)
    c.request("POST", "/pool/forward", body, {"Content-Type": "application/json"})
    r = c.getresponse()
    out = r.read()
    c.close()
    if r.status != 200:
        raise SystemExit("status %d: %s" % (r.status, out[:200]))
    return out


def wrk(port, body, connections, seconds):
    """Requests/s and the latency percentiles wrk printed; fails on any error."""
    with tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False) as b:
        b.write(body)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                  'local f = io.open(%s, "rb"); wrk.body = f:read("*all"); f:close()\n' % json.dumps(b.name))
    out = subprocess.run(["taskset", "-c", CLIENT_CORE, "wrk", "-t1", "-c%d" % connections, "-d%ds" % seconds,
                          "--latency", "-s", lua.name, "http://127.0.0.1:%d/pool/forward" % port],
                         capture_output=True, text=True).stdout
    os.unlink(lua.name)
    os.unlink(b.name)
    if "Non-2xx" in out or "Socket errors" in out:
        raise SystemExit("wrk saw errors:\n" + out)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    pct = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))
    return rps, requests, pct


def per_core(body, connections):
    """wrk's requests/s with the server on one core, and requests per second of the server's own CPU
    time (the same on an idle machine; the steadier figure when other work shares the core)."""
    server = start(threads=1, core=SERVER_CORE)
    answer = len(post(server, body))
    cpu = server.cpu_seconds()
    rps, requests, pct = wrk(server.port, body, connections, SECONDS)
    cpu = server.cpu_seconds() - cpu
    server.stop()
    return rps, requests / cpu, cpu / SECONDS, pct, answer


def memory(body, concurrent, small):
    """(idle RSS, peak RSS, bytes per request in flight)."""
    server = start(threads=concurrent if not small else 2)
    post(server, body)
    server.wait_idle()
    idle = server.status("VmRSS")
    if small:
        wrk(server.port, body, concurrent, 5)  # the figures of this run are not used
    else:
        for _ in range(3):
            threads = [threading.Thread(target=post, args=(server, body)) for _ in range(concurrent)]
            [t.start() for t in threads]
            [t.join() for t in threads]
    peak = server.status("VmHWM")
    server.stop()
    return idle, peak, (peak - idle) / concurrent


def mib(n):
    return n / (1 << 20)


def main():
    print("capacity.py on %s, %s, %d cores (%s), %s" % (
        platform.node(), platform.platform(), os.cpu_count(), cpu_model(), time.strftime("%Y-%m-%d %H:%M %Z")))
    print("load average before: %s" % " ".join(open("/proc/loadavg").read().split()[:3]))
    print("server: --threads 1 on core %s; wrk -t1 on core %s; %d s per run\n" % (SERVER_CORE, CLIENT_CORE, SECONDS))
    rows = []
    for name, (body, connections) in bodies().items():
        small = name.startswith("small")
        wall, rps, busy, pct, answer = per_core(body, connections)
        concurrent = SMALL_CONNECTIONS if small else CONCURRENT
        idle, peak, each = memory(body, concurrent, small)
        rows.append((name, len(body), connections, wall, busy, rps, pct, concurrent, idle, peak, each, answer))
    print("| request | body bytes | answer bytes | wrk connections | requests/s on one core | server CPU busy | requests per CPU-second "
          "| p50 | p99 | in flight | idle RSS MiB | peak RSS MiB | MiB per request in flight |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, size, conns, wall, busy, rps, pct, conc, idle, peak, each, answer in rows:
        print("| %s | %d | %d | %d | %.1f | %.0f %% | %.1f | %s | %s | %d | %.1f | %.1f | %.2f |" % (
            name, size, answer, conns, wall, busy * 100, rps, pct.get("50"), pct.get("99"), conc, mib(idle), mib(peak),
            mib(each)))
    rows = [(r[0], r[1], r[2], r[5], r[6], r[7], r[8], r[9], r[10], r[11]) for r in rows]
    print("\nSizing: pods of %d CPU and %d MiB, the HPA holding CPU at %d %%; in flight per pod = requests/s per "
          "pod x CPU time per request (Little's law), the CPU time being 1/(requests per CPU-second) — no queueing." % (
              POD_CPUS, POD_MEMORY_MIB, TARGET_UTILISATION * 100))
    idle = max(r[6] for r in rows)
    for name, size, conns, rps, pct, conc, _, _, each, answer in rows:
        for target in TARGETS:
            cores = target / rps
            replicas = max(2, math.ceil(cores / (POD_CPUS * TARGET_UTILISATION)))
            per_pod_rps = target / replicas
            in_flight = per_pod_rps / rps  # seconds of CPU per second = requests in service at once
            pod_mem = idle + math.ceil(in_flight) * each
            print("- %s, %d/s: %d / %.1f = %.2f cores; / (%d x %.2f) = %.2f -> %d replicas (at least 2); "
                  "%d CPU requested; per pod %.1f/s, %.2f in service -> %.0f MiB (idle %.0f + %d x %.1f), "
                  "%d MiB total requested; network %.1f Gbit/s in, %.1f Gbit/s out" % (
                      name, target, target, rps, cores, POD_CPUS, TARGET_UTILISATION,
                      cores / (POD_CPUS * TARGET_UTILISATION), replicas, replicas * POD_CPUS, per_pod_rps,
                      in_flight, mib(pod_mem), mib(idle), math.ceil(in_flight), mib(each),
                      replicas * POD_MEMORY_MIB, target * size * 8 / 1e9, target * answer * 8 / 1e9))
    print("\nload average after: %s" % " ".join(open("/proc/loadavg").read().split()[:3]))


def cpu_model():
    m = re.search(r"model name\s*:\s*(.*)", open("/proc/cpuinfo").read())
    return m.group(1) if m else platform.processor()


main()

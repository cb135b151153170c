#!/usr/bin/env python3
"""make rolling-test: a rolling restart that must lose nothing.

Three poolserve replicas on loopback ports behind HAProxy (health check GET /readyz every 100 ms,
the stand-in for a Kubernetes Service and its readiness probe), driven by wrk for ROLLING_SECONDS
(default 60) with the README's 4x4 example and a 1x8x32x32 b64 request in turn. While wrk runs,
each replica in turn gets SIGTERM, must drain and exit 0 (the time it took is printed), is started
again on the same port and must be seen healthy by HAProxy before the next one is stopped.

Passes only when wrk saw no socket error and no non-2xx answer, HAProxy answered no 5xx itself,
every replica exited 0 and came back. Prints the requests served, the latency percentiles and
HAProxy's retry and redispatch counts.

Waits on HAProxy's view of each replica (its stats socket), not on fixed deadlines; HANG_GUARD
(scripts/lib/systest.py) bounds every wait.

Usage: rolling-test.py BINARY   (env ROLLING_SECONDS, ROLLING_CONNECTIONS, ROLLING_KEEP=1 keeps
the temporary directory with the HAProxy config and the replicas' logs)"""
import base64, csv, io, json, os, re, shutil, socket, struct, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "lib"))
from systest import HANG_GUARD, Server, ServerError, wait_until  # noqa: E402

BINARY = os.path.abspath(sys.argv[1])
SECONDS = int(os.environ.get("ROLLING_SECONDS", "60"))
CONNECTIONS = int(os.environ.get("ROLLING_CONNECTIONS", "32"))
REPLICAS = 3
DRAIN_TIMEOUT = 10
WORK = tempfile.mkdtemp(prefix="rolling-test.")
HAS_ADMIN_PORT = "--admin-port" in subprocess.run([BINARY, "--help"], capture_output=True, text=True).stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Replica:
    """One poolserve process on a fixed port (and admin port, when the binary has one)."""

    def __init__(self, index):
        self.name = "r%d" % index
        self.port = free_port()
        self.admin = free_port() if HAS_ADMIN_PORT else None
        self.process = None
        self.starts = 0

    def start(self):
        self.starts += 1
        try:
            self.process = Server(BINARY, "--host", "127.0.0.1", "--drain-timeout", str(DRAIN_TIMEOUT), port=self.port,
                                  admin=self.admin or False, log_format=None, log_level="warning",
                                  log=os.path.join(WORK, "%s.%d.log" % (self.name, self.starts)))
        except ServerError as e:
            raise SystemExit("%s did not start: %s" % (self.name, e))

    def stop(self):
        """SIGTERM, then the exit code and the seconds it took to exit."""
        started = time.monotonic()
        code = self.process.stop()
        return code, time.monotonic() - started


def haproxy_config(replicas, front, stats):
    check = lambda r: " port %d" % r.admin if r.admin else ""
    servers = "\n".join("    server %s 127.0.0.1:%d check%s" % (r.name, r.port, check(r)) for r in replicas)
    return f"""global
    maxconn 4096
    stats socket {stats} mode 600 level admin
    log stderr format raw local0

defaults
    mode http
    log global
    # Only requests that did not end well are logged (haproxy.log in the temporary directory).
    option httplog
    option dontlog-normal
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    timeout check 1s
    # A connection refused (the replica's listening socket is closed while HAProxy has not yet
    # seen /readyz fail) is tried again on another replica.
    retries 3
    option redispatch 1

frontend api
    bind 127.0.0.1:{front}
    default_backend replicas

backend replicas
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    default-server inter 100ms fastinter 100ms downinter 100ms fall 1 rise 2
{servers}
"""


def haproxy_stats(path):
    """HAProxy's `show stat` as {(proxy, server): row}."""
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(path)
        s.sendall(b"show stat\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    text = data.decode().lstrip("# ")
    return {(row["pxname"], row["svname"]): row for row in csv.DictReader(io.StringIO(text))}


def wait_up(stats, name):
    try:
        return wait_until(lambda: haproxy_stats(stats).get(("replicas", name), {}).get("status") == "UP",
                          "HAProxy to see %s UP" % name)
    except TimeoutError:
        return False


def wait_down(stats, name):
    try:
        return wait_until(lambda: not haproxy_stats(stats).get(("replicas", name), {}).get("status", "").startswith("UP"),
                          "HAProxy to see %s down" % name, interval=0.02)
    except TimeoutError:
        return False


def wrk_script():
    x = [((i * 7919) % 1000) / 100.0 for i in range(8 * 32 * 32)]
    large = json.dumps({"kernelSize": 3, "stride": 2, "padding": 1, "input": {
        "shape": [1, 8, 32, 32], "dtype": "float32", "b64": base64.b64encode(struct.pack("<%df" % len(x), *x)).decode()}})
    small = json.dumps({"input": [[[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]]], "kernelSize": 2})
    path = os.path.join(WORK, "mix.lua")
    with open(path, "w") as f:
        f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                'local bodies = {%s, %s}\nlocal n = 0\nrequest = function()\n  n = n + 1\n'
                '  return wrk.format(nil, "/pool/forward", nil, bodies[n %% 2 + 1])\nend\n'
                % (json.dumps(small), json.dumps(large)))
    return path, len(small), len(large)


def main():
    replicas = [Replica(i) for i in range(REPLICAS)]
    for r in replicas:
        r.start()
    front, stats = free_port(), os.path.join(WORK, "haproxy.sock")
    config = os.path.join(WORK, "haproxy.cfg")
    with open(config, "w") as f:
        f.write(haproxy_config(replicas, front, stats))
    haproxy = subprocess.Popen(["haproxy", "-db", "-f", config], stdout=subprocess.DEVNULL,
                               stderr=open(os.path.join(WORK, "haproxy.log"), "w"))
    failures = []
    try:
        wait_until(lambda: os.path.exists(stats) or haproxy.poll() is not None, "HAProxy's stats socket")
        for r in replicas:
            if not wait_up(stats, r.name):
                raise SystemExit("HAProxy never saw %s healthy" % r.name)
        lua, small, large = wrk_script()
        ports = ",".join(":%d" % r.port for r in replicas)
        print("%d replicas (%s) on %s, HAProxy on :%d, wrk %d connections for %d s, bodies of %d and %d bytes; "
              "health checks on the %s port" % (REPLICAS, BINARY, ports, front, CONNECTIONS, SECONDS, small, large,
                                               "admin" if HAS_ADMIN_PORT else "API"), flush=True)
        wrk = subprocess.Popen(["wrk", "-t2", "-c%d" % CONNECTIONS, "-d%ds" % SECONDS, "--latency", "-s", lua,
                                "http://127.0.0.1:%d" % front], stdout=subprocess.PIPE, text=True)
        t0 = time.monotonic()
        for i, r in enumerate(replicas):
            # Spread the restarts over the run, leaving time at the end for the last one to rejoin.
            time.sleep(max(0, t0 + SECONDS * (i + 1) / (REPLICAS + 1.5) - time.monotonic()))
            code, took = r.stop()
            wait_down(stats, r.name)
            if code != 0:
                failures.append("%s exited %s after SIGTERM" % (r.name, code))
            r.start()
            back = time.monotonic()
            up = wait_up(stats, r.name)
            print("  %5.1f s  %s: SIGTERM, exit %s after %.2f s, restarted, %s after %.2f s" % (
                back - t0 - took, r.name, code, took, "UP in HAProxy" if up else "NOT UP in HAProxy",
                time.monotonic() - back), flush=True)
            if not up:
                failures.append("%s not healthy again in HAProxy" % r.name)
        out = wrk.communicate()[0]
        final = haproxy_stats(stats)
    finally:
        for r in replicas:
            if r.process and r.process.running():
                code, _ = r.stop()
                if code != 0:
                    failures.append("%s exited %s at the end" % (r.name, code))
        haproxy.terminate()
        haproxy.wait(timeout=HANG_GUARD)
    print(out)
    backend, frontend = final[("replicas", "BACKEND")], final[("api", "FRONTEND")]
    print("HAProxy: %s requests answered by the replicas (2xx %s, 5xx %s), connection errors %s, response "
          "errors %s, retries %s, redispatches %s; 5xx of its own %s" % (
              backend["stot"], backend["hrsp_2xx"], backend["hrsp_5xx"], backend["econ"], backend["eresp"],
              backend["wretr"], backend["wredis"], frontend["hrsp_5xx"]))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    if m := re.search(r"Socket errors: (.*)", out):
        failures.append("wrk socket errors: " + m.group(1))
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        failures.append("%s non-2xx answers" % m.group(1))
    if int(frontend["hrsp_5xx"] or 0):
        failures.append("HAProxy answered %s times with 5xx" % frontend["hrsp_5xx"])
    if requests == 0:
        failures.append("no requests served")
    print("%d requests through %d rolling restarts; %s" % (requests, REPLICAS, "; ".join(failures) or "none lost"))
    if os.environ.get("ROLLING_KEEP"):
        print("kept", WORK)
    else:
        shutil.rmtree(WORK, ignore_errors=True)
    print("%d passed, %d failed" % (0 if failures else 1, 1 if failures else 0))
    sys.exit(1 if failures else 0)


main()

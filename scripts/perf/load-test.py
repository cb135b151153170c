#!/usr/bin/env python3
"""make load-test: 64 concurrent connections (wrk) against a release poolserve for LOAD_SECONDS
(default 120), alternating the README's example and a larger b64 request, while the server's
resident memory is sampled. Fails on any non-2xx answer, socket error or memory growth after
warm-up beyond 32 MiB. Usage: load-test.py BINARY SECONDS"""
import base64, json, os, re, struct, subprocess, sys, tempfile, threading, time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "lib"))
from systest import MB, Server  # noqa: E402

binary, seconds = sys.argv[1], int(sys.argv[2])
server = Server(binary, log_format=None, log_level="warning")
port = server.port
x = [((i * 7919) % 1000) / 100.0 for i in range(1 * 8 * 32 * 32)]
big = json.dumps({"kernelSize": 3, "stride": 2, "padding": 1, "input": {"shape": [1, 8, 32, 32], "dtype": "float32",
                  "b64": base64.b64encode(struct.pack("<%df" % len(x), *x)).decode()}})
small = json.dumps({"input": [[[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]]], "kernelSize": 2})
lua = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
lua.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nlocal bodies = {%s, %s}\nlocal n = 0\n'
          'request = function() n = n + 1; return wrk.format(nil, "/pool/forward", nil, bodies[n %% 2 + 1]) end\n' % (json.dumps(small), json.dumps(big)))
lua.close()

samples = []
def sample():
    while wrk.poll() is None:
        samples.append((time.monotonic(), server.rss() / MB))
        time.sleep(2)

wrk = subprocess.Popen(["wrk", "-t2", "-c64", "-d%ds" % seconds, "--latency", "-s", lua.name, "http://127.0.0.1:%d" % port],
                       stdout=subprocess.PIPE, text=True)
t0 = time.monotonic()
threading.Thread(target=sample, daemon=True).start()
out = wrk.communicate()[0]
os.unlink(lua.name)
print(out)
warm = [m for t, m in samples if t - t0 >= min(20, seconds / 4)]
growth = max(warm) - warm[0] if warm else 0
print("RSS after warm-up: %.1f MiB, peak %.1f MiB, growth %.1f MiB" % (warm[0] if warm else 0, max(warm or [0]), growth))
code = server.stop()
failures = []
if "Non-2xx" in out: failures.append("non-2xx answers")
if "Socket errors" in out: failures.append("socket errors")
if growth > 32: failures.append("memory grew %.1f MiB" % growth)
if code != 0: failures.append("exit code %s" % code)
requests = int(re.search(r"(\d+) requests in", out).group(1))
print("%d requests; %s" % (requests, "; ".join(failures) or "no errors"))
print("%d passed, %d failed" % (0 if failures else 1, 1 if failures else 0))
sys.exit(1 if failures else 0)

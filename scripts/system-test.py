#!/usr/bin/env python3
"""System tests of the poolserve binary as an operator runs it: request logs (JSON), X-Request-ID,
/metrics, slow clients, and the graceful stop on SIGTERM. Usage: system-test.py BINARY
Prints 'N passed, N failed' and exits non-zero on any failure."""
import json, re, signal, socket, subprocess, sys, threading, time

binary = sys.argv[1]
results = []

def check(name, ok, detail=""):
    results.append(ok)
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else ": " + detail), flush=True)

def start(*flags, env=None):
    import os
    p = subprocess.Popen([binary, "--port", "0", "--log-format", "json", *flags],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ, **(env or {})))
    line = p.stdout.readline()
    m = re.match(r"listening on http://127\.0\.0\.1:(\d+)", line)
    assert m, "no listening line: %r" % line
    return p, int(m.group(1))

def request(port, method, path, body=b"", headers=None, sock=None, close=True):
    s = sock or socket.create_connection(("127.0.0.1", port), timeout=10)
    head = "%s %s HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n" % (method, path, len(body))
    for k, v in (headers or {}).items():
        head += "%s: %s\r\n" % (k, v)
    if close:
        head += "Connection: close\r\n"
    s.sendall(head.encode() + b"\r\n" + body)
    return read_response(s, close)

def read_response(s, close=True):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    status = int(lines[0].split()[1])
    headers = {l.split(":", 1)[0].lower(): l.split(":", 1)[1].strip() for l in lines[1:] if ":" in l}
    n = int(headers.get("content-length", "0"))
    while len(rest) < n:
        rest += s.recv(65536)
    if close:
        s.close()
    return status, headers, rest

EXAMPLE = json.dumps({"input": [[[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]]], "kernelSize": 2}).encode()
JSON = {"Content-Type": "application/json"}

# --- logs, request ids and metrics
p, port = start("--connection-timeout", "3")
status, headers, body = request(port, "POST", "/pool/forward", EXAMPLE, dict(JSON, **{"X-Request-ID": "trace-42"}))
check("example answers 200", status == 200, str(status))
check("X-Request-ID is echoed", headers.get("x-request-id") == "trace-42", str(headers))
status, headers, _ = request(port, "GET", "/healthz", headers={"X-Request-ID": "bad id with spaces"})
check("an unsafe X-Request-ID is replaced by a generated one", re.fullmatch(r"[0-9a-f]{16}", headers.get("x-request-id", "")) is not None, str(headers))
request(port, "POST", "/pool/forward", b"{", JSON)
time.sleep(0.3)  # let the completions of the requests above run
status, _, metrics = request(port, "GET", "/metrics")
text = metrics.decode()
for series in ['poolserve_requests_total{route="/pool/forward",status="200"} 1', 'poolserve_requests_total{route="/pool/forward",status="400"} 1',
               "poolserve_request_duration_seconds_bucket", "poolserve_requests_in_flight 0", "poolserve_request_bytes_total",
               "poolserve_response_bytes_total", 'poolserve_tensor_elements_total{endpoint="forward"}']:
    check("metrics has " + series, series in text, text[:300])

# --- slow clients: forty connections that send half a header do not delay anyone else
slow = []
for _ in range(40):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(b"POST /pool/forward HTTP/1.1\r\nHost: x\r\n")
    slow.append(s)
t = time.monotonic()
statuses = [request(port, "POST", "/pool/forward", EXAMPLE, JSON)[0] for _ in range(20)]
elapsed = time.monotonic() - t
check("requests are served while 40 slow clients hang", statuses == [200] * 20 and elapsed < 2.5, "%s in %.2fs" % (statuses, elapsed))
closed = 0
deadline = time.monotonic() + 8
for s in slow:
    s.settimeout(max(0.1, deadline - time.monotonic()))
    try:
        if s.recv(1) == b"":
            closed += 1
    except (socket.timeout, ConnectionResetError):
        closed += 1 if isinstance(sys.exc_info()[1], ConnectionResetError) else 0
    s.close()
check("idle slow clients are closed after the connection timeout", closed == 40, "%d of 40 closed" % closed)
p.send_signal(signal.SIGTERM)
p.wait(timeout=15)
logs = [json.loads(l) for l in p.stderr.read().splitlines() if l.startswith("{")]
reqs = [l for l in logs if l.get("msg") == "request"]
check("one JSON log line per request with its fields",
      len(reqs) >= 24 and all(k in reqs[0] for k in ("method", "path", "status", "bytes_in", "bytes_out", "duration_ms", "request_id")),
      str(reqs[:1]))
check("the log line carries the client's request id", any(l.get("request_id") == "trace-42" for l in reqs))

# --- limits from flags and from the environment: 413 naming the limit and its flag
p, port = start("--max-elements", "8", env={"POOLSERVE_MAX_BODY_BYTES": "300", "POOLSERVE_MAX_WORK": "20"})
status, _, body = request(port, "POST", "/pool/forward", b" " * 400, JSON)
check("a body over POOLSERVE_MAX_BODY_BYTES gets 413 naming --max-body-bytes", status == 413 and b"--max-body-bytes" in body, "%s %r" % (status, body[:120]))
status, _, body = request(port, "POST", "/pool/forward", EXAMPLE, JSON)
check("a tensor over --max-elements gets 413 naming it", status == 413 and b"--max-elements" in body, "%s %r" % (status, body[:120]))
status, _, body = request(port, "POST", "/pool/forward", json.dumps({"input": [[[1, 2, 3, 4, 5]]], "kernelSize": 4, "stride": 1, "padding": 2}).encode(), JSON)
check("work over POOLSERVE_MAX_WORK gets 413 naming --max-work", status == 413 and b"--max-work" in body, "%s %r" % (status, body[:120]))
p.send_signal(signal.SIGTERM)
p.wait(timeout=15)

# --- the connection limit: connections past --max-connections are closed unanswered
p, port = start("--max-connections", "2")
held = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(2)]
for h in held:
    h.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    read_response(h, close=False)
extra = socket.create_connection(("127.0.0.1", port), timeout=5)
try:
    extra.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    refused = extra.recv(100) == b""
except OSError:
    refused = True
extra.close()
check("a connection past --max-connections is closed unanswered", refused)
held[0].close()
time.sleep(0.3)
check("a freed slot takes a new connection", request(port, "GET", "/healthz")[0] == 200)
held[1].close()
p.send_signal(signal.SIGTERM)
p.wait(timeout=15)

# --- graceful stop: readiness 503, no new connections, the request in flight finishes, exit 0
p, port = start("--drain-timeout", "5")
keep = socket.create_connection(("127.0.0.1", port), timeout=10)
status, _, _ = request(port, "GET", "/readyz", sock=keep, close=False)
check("ready before the signal", status == 200)
inflight = socket.create_connection(("127.0.0.1", port), timeout=10)
inflight.sendall(b"POST /pool/forward HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: %d\r\n\r\n" % len(EXAMPLE) + EXAMPLE[:20])
time.sleep(0.3)
p.send_signal(signal.SIGTERM)
time.sleep(0.5)
status, _, _ = request(port, "GET", "/readyz", sock=keep, close=False)
check("/readyz answers 503 while draining", status == 503, str(status))
try:
    socket.create_connection(("127.0.0.1", port), timeout=2).close()
    refused = False
except OSError:
    refused = True
check("no new connections while draining", refused)
inflight.sendall(EXAMPLE[20:])
status, _, body = read_response(inflight)
check("the request in flight finishes", status == 200 and b'"output"' in body, "%s %r" % (status, body[:80]))
keep.close()
code = p.wait(timeout=10)
check("exits 0 after draining", code == 0, str(code))

passed, failed = results.count(True), results.count(False)
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)

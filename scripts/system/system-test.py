#!/usr/bin/env python3
"""System tests of the poolserve binary as an operator runs it: request logs (JSON), X-Request-ID,
/metrics, slow clients, and the graceful stop on SIGTERM. Usage: system-test.py BINARY
Each step waits on the server's own state (/metrics, its log, its sockets), not on the clock.
Prints 'N passed, N failed' and exits non-zero on any failure."""
import json, os, re, signal, socket, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "lib"))
from systest import *

binary = sys.argv[1]

def answered(m):
    """Requests answered so far but the scrapes of /metrics."""
    return sum(v for k, v in m.items() if k.startswith("poolserve_requests_total{") and 'route="/metrics"' not in k)

# --- logs, request ids and metrics
s = Server(binary, "--connection-timeout", "3")
status, headers, body = request(s.port, "POST", "/pool/forward", EXAMPLE, dict(JSON, **{"X-Request-ID": "trace-42"}))
check("example answers 200", status == 200, str(status))
check("X-Request-ID is echoed", headers.get("x-request-id") == "trace-42", str(headers))
status, headers, _ = request(s.port, "GET", "/healthz", headers={"X-Request-ID": "bad id with spaces"})
check("an unsafe X-Request-ID is replaced by a generated one", re.fullmatch(r"[0-9a-f]{16}", headers.get("x-request-id", "")) is not None, str(headers))
request(s.port, "POST", "/pool/forward", b"{", JSON)
# The three requests above are counted once their completions have run: the scrape checked is the
# first that shows them all done.
def scrape_when_done():
    text = request(s.port, "GET", "/metrics")[2].decode()
    m = parse_metrics(text)
    return text if answered(m) >= 3 and m.get("poolserve_requests_in_flight") == 0 else None
text = wait_until(scrape_when_done, "the three requests above completed")
for series in ['poolserve_requests_total{route="/pool/forward",status="200"} 1', 'poolserve_requests_total{route="/pool/forward",status="400"} 1',
               "poolserve_request_duration_seconds_bucket", "poolserve_requests_in_flight 0", "poolserve_request_bytes_total",
               "poolserve_response_bytes_total", 'poolserve_tensor_elements_total{endpoint="forward"}']:
    check("metrics has " + series, series in text, text[:300])

# --- slow clients: forty connections that send half a header do not delay anyone else. A server
# they blocked would answer the others only once it had closed them (--connection-timeout 3).
slow = []
for _ in range(40):
    c = connect(s.port)
    c.sendall(b"POST /pool/forward HTTP/1.1\r\nHost: x\r\n")
    slow.append(c)
s.wait_metrics(lambda m: m.get("poolserve_open_connections", 0) >= 41, "the 40 slow connections open in the server (and the scrape's)")
statuses = [request(s.port, "POST", "/pool/forward", EXAMPLE, JSON)[0] for _ in range(20)]
still_open = sum(not closed_by_peer(c) for c in slow)
check("requests are served while 40 slow clients hang", statuses == [200] * 20 and still_open == 40,
      "%s, %d of 40 slow connections still open" % (statuses, still_open))
try:
    wait_until(lambda: all(closed_by_peer(c) for c in slow), "the server to close the 40 slow connections")
except TimeoutError as e:
    print("  " + str(e))
closed = sum(closed_by_peer(c) for c in slow)
check("idle slow clients are closed after the connection timeout", closed == 40, "%d of 40 closed" % closed)
for c in slow:
    c.close()
s.stop()
logs = [r for r in s.records()]
reqs = [l for l in logs if l.get("msg") == "request"]
check("one JSON log line per request with its fields",
      len(reqs) >= 24 and all(k in reqs[0] for k in ("method", "path", "status", "bytes_in", "bytes_out", "duration_ms", "request_id")),
      str(reqs[:1]))
check("the log line carries the client's request id", any(l.get("request_id") == "trace-42" for l in reqs))

# --- limits from flags and from the environment: 413 naming the limit and its flag
with Server(binary, "--max-elements", "8", env={"POOLSERVE_MAX_BODY_BYTES": "300", "POOLSERVE_MAX_WORK": "20"}) as s:
    status, _, body = request(s.port, "POST", "/pool/forward", b" " * 400, JSON)
    check("a body over POOLSERVE_MAX_BODY_BYTES gets 413 naming --max-body-bytes", status == 413 and b"--max-body-bytes" in body, "%s %r" % (status, body[:120]))
    status, _, body = request(s.port, "POST", "/pool/forward", EXAMPLE, JSON)
    check("a tensor over --max-elements gets 413 naming it", status == 413 and b"--max-elements" in body, "%s %r" % (status, body[:120]))
    status, _, body = request(s.port, "POST", "/pool/forward", json.dumps({"input": [[[1, 2, 3, 4, 5]]], "kernelSize": 4, "stride": 1, "padding": 2}).encode(), JSON)
    check("work over POOLSERVE_MAX_WORK gets 413 naming --max-work", status == 413 and b"--max-work" in body, "%s %r" % (status, body[:120]))

# --- the connection limit: a connection past --max-connections is left waiting, unanswered,
# until a slot frees (the held ones never time out here: --connection-timeout 600)
with Server(binary, "--max-connections", "2", "--connection-timeout", "600", admin=True) as s:
    held = [connect(s.port) for _ in range(2)]
    for h in held:
        request(s.port, "GET", "/healthz", close=False, sock=h)
    extra = connect(s.port, timeout=3)  # how long it is watched for an answer that must not come
    extra.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    try:
        answer = extra.recv(100)
    except socket.timeout:
        answer = b""
    except OSError:
        answer = b"<reset>"
    open_now = s.gauge("poolserve_open_connections")
    check("a connection past --max-connections is left unanswered", answer == b"" and open_now == 2, (answer[:40], open_now))
    held[0].close()
    extra.settimeout(SOCKET_TIMEOUT)
    try:
        status = read_response(extra)[0]
    except OSError as e:
        status = repr(e)
    check("a freed slot takes the connection that waited", status == 200, status)
    extra.close()
    held[1].close()

# --- graceful stop: readiness 503, no new connections, the request in flight finishes, exit 0
s = Server(binary, "--drain-timeout", "5", admin=True)
keep = connect(s.port)
status, _, _ = request(s.port, "GET", "/readyz", sock=keep, close=False)
check("ready before the signal", status == 200)
inflight = connect(s.port)
inflight.sendall(b"POST /pool/forward HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: %d\r\n\r\n" % len(EXAMPLE) + EXAMPLE[:20])
s.wait_metrics(lambda m: m.get("poolserve_requests_in_flight", 0) >= 1, "the half-sent request in flight")
s.send_signal(signal.SIGTERM)
s.wait_log("draining")
# Readiness turns 503 as the drain starts; /readyz is asked on the connection opened before.
status = wait_until(lambda: (lambda st: st if st != 200 else None)(request(s.port, "GET", "/readyz", sock=keep, close=False)[0]),
                    "/readyz to stop answering 200")
check("/readyz answers 503 while draining", status == 503, str(status))
try:
    refused = wait_until(lambda: refuses_connections(s.port), "the listening socket to close")
except TimeoutError:
    refused = False
check("no new connections while draining", refused)
inflight.sendall(EXAMPLE[20:])
status, _, body = read_response(inflight)
check("the request in flight finishes", status == 200 and b'"output"' in body, "%s %r" % (status, body[:80]))
keep.close()
code = s.wait()
check("exits 0 after draining", code == 0, str(code))

finish()

#!/usr/bin/env python3
"""System tests of the HTTP rules (issue 18, API.md "HTTP (v3)") on the poolserve binary: log
lines a client cannot forge, paths matched as sent, HEAD, the drain deadline kept while a request
computes, chunked and gzip bodies against the body limit, gzip answers, SIGHUP, Host, the answers
libmicrohttpd writes itself, the /metrics route label and Server-Timing.
Each step waits on the server's own state (/metrics, its log, its sockets), not on the clock.
Usage: system-test-http.py BINARY. Prints 'N passed, N failed'; exits non-zero on any failure."""
import datetime, gzip, json, os, re, signal, socket, sys, threading, time, zlib
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "lib"))
from systest import *

binary = sys.argv[1]
FORGED = "/x%0A2030-01-01T00:00:00+0000%20critical%20poolserve%20:%20FORGED"

# --- 1. log lines: nothing a client sends starts a line or leaves a control character in one
for fmt in ("text", "json"):
    s = Server(binary, log_format=fmt)
    request(s.port, "GET", FORGED)
    raw(s.port, b"GET /x\x1b[31mRED\rFORGED HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    raw(s.port, b"GET /x\xe2\x80\xa8FORGED HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    request(s.port, "GET", "/" + "L" * 5000)
    request(s.port, "GET", "/healthz", headers={"X-Request-ID": "id\x1b[0m"})
    s.stop()
    lines = s.stderr.split(b"\n")[:-1]
    year = time.strftime("%Y").encode()
    stamp = re.compile(rb"^" + year + rb"-\d\d-\d\dT" if fmt == "text" else rb'^\{"ts":"' + year + rb"-")
    check("%s log: no control character from a client in any line" % fmt,
          all(not any(b < 0x20 or b == 0x7F for b in l) and b"\xe2\x80\xa8" not in l and b"\xc2\x85" not in l for l in lines),
          [l for l in lines if any(b < 0x20 for b in l)][:2])
    check("%s log: every line starts as the handler starts it, none forged" % fmt,
          all(stamp.match(l) and (fmt == "text" or json.loads(l)) for l in lines),
          [l[:120] for l in lines if not stamp.match(l)][:3])
    longest = max(len(l) for l in lines)
    check("%s log: a 5,000-character path is cut" % fmt, longest < 1500, longest)

# --- 2, 3, 8, 9 and the small contract rules on one server
s = Server(binary)
r = request(s.port, "POST", "/pool/forward", EXAMPLE, JSON)
check("the example answers 200", r[0] == 200, r[0])
for path, want in [("/pool/forward%00xyz", 400), ("/pool/forward%00/anything", 400), ("/pool%2fforward", 404),
                   ("/pool%2Fforward", 404), ("/pool/forward%0a", 400)]:
    r = request(s.port, "POST", path, EXAMPLE, JSON)
    check("POST %s is %d problem+json" % (path, want), problem(*r, want), r[:2])
out = raw(s.port, b"POST /pool/forward\x00xyz HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(EXAMPLE) + EXAMPLE)
check("a raw NUL in the path is 400", out.startswith(b"HTTP/1.1 400") and b"problem+json" in out, out[:80])

for path in ["/healthz", "/readyz", "/metrics", "/openapi.yaml"]:
    g = request(s.port, "GET", path)
    h = request(s.port, "HEAD", path)
    same = h[0] == g[0] and h[1].get("content-type") == g[1].get("content-type") and h[2] == b""
    if path != "/metrics":  # a scrape's length changes with what it counts
        same = same and h[1].get("content-length") == str(len(g[2]))
    check("HEAD %s answers as GET, without the body" % path, same, (h[:2], g[0], len(g[2])))
r = request(s.port, "POST", "/healthz", b"{}")
check("405 lists HEAD in Allow", r[0] == 405 and r[1].get("allow") == "GET, HEAD", r[1].get("allow"))

r = request(s.port, "POST", "/pool/forward", EXAMPLE, JSON, host=None)
check("HTTP/1.1 without Host is 400 problem+json", problem(*r, 400), r[:2])
r = request(s.port, "POST", "/pool/forward", EXAMPLE, JSON, host=None, version="HTTP/1.0")
check("HTTP/1.0 without Host is served", r[0] == 200, r[0])
out = raw(s.port, b"POST /pool/forward HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\nConnection: close\r\n\r\n")
check("Transfer-Encoding gzip is 501 problem+json", out.startswith(b"HTTP/1.1 501") and b"problem+json" in out, out[:80])
out = raw(s.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 40000 + b"\r\nConnection: close\r\n\r\n")
check("a 40 KB header field is 431 problem+json", out.startswith(b"HTTP/1.1 431") and b"problem+json" in out, out[:80])
# What libmicrohttpd answers itself, before any handler (README lists these; not problem+json).
for name, data, status in [
        ("a header line without a colon", b"GET /healthz HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n", b"400"),
        ("a bad chunk size", b"POST /pool/forward HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", b"400"),
        ("a head past 64 KiB", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 70000 + b"\r\n\r\n", b"431"),
        ("a request line past 64 KiB", b"GET /" + b"u" * 70000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", b"414"),
        ("HTTP/2.0", b"GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n", b"505"),
        ("a bad Content-Length", b"POST /pool/forward HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n", b"400")]:
    out = raw(s.port, data)
    check("libmicrohttpd answers %s with %s, as README says" % (name, status.decode()), out.startswith(b"HTTP/1.1 " + status), out[:60])

# --- 9.2 and 12: /metrics counts itself under its route; Server-Timing and the stage histogram
request(s.port, "GET", "/metrics")
metrics = request(s.port, "GET", "/metrics")[2].decode()
check("/metrics is counted as route=\"/metrics\"", 'poolserve_requests_total{route="/metrics",status="200"}' in metrics,
      [l for l in metrics.splitlines() if "requests_total" in l])
r = request(s.port, "POST", "/pool/forward", EXAMPLE, JSON)
timing = r[1].get("server-timing", "")
stages = {m.group(1): float(m.group(2)) for m in re.finditer(r"(\w+);dur=([\d.]+)", timing)}
check("a pooling answer has Server-Timing with recv, parse, validate, pool, encode and total",
      all(k in stages for k in ("recv", "parse", "validate", "pool", "encode", "total")), timing)
check("its stages add up to no more than total", sum(v for k, v in stages.items() if k != "total") <= stages.get("total", -1) + 0.002, timing)
metrics = request(s.port, "GET", "/metrics")[2].decode()
check("poolserve_stage_duration_seconds{stage} is exported for the handler's stages too",
      all(re.search(r'poolserve_stage_duration_seconds_count\{[^}]*stage="%s"' % k, metrics) for k in ("total", "parse", "pool", "encode")),
      [l for l in metrics.splitlines() if "stage" in l][:3])

# --- 6. Content-Encoding
plain = request(s.port, "POST", "/pool/forward", EXAMPLE, JSON)[2]
r = request(s.port, "POST", "/pool/forward", gzip.compress(EXAMPLE), dict(JSON, **{"Content-Encoding": "gzip"}))
check("a gzip body is decoded", r[0] == 200 and r[2] == plain, r[:2])
r = request(s.port, "POST", "/pool/forward", zlib.compress(EXAMPLE), dict(JSON, **{"Content-Encoding": "deflate"}))
check("a deflate body is decoded", r[0] == 200 and r[2] == plain, r[:2])
r = request(s.port, "POST", "/pool/forward", EXAMPLE, dict(JSON, **{"Content-Encoding": "br"}))
check("Content-Encoding br is 415 with Accept-Encoding: gzip, deflate", problem(*r, 415) and r[1].get("accept-encoding") == "gzip, deflate", r[:2])
big = json.dumps({"input": [[[float(i % 97) for i in range(4000)]]], "kernelSize": 1, "stride": 1}).encode()
r = request(s.port, "POST", "/pool/forward", big, dict(JSON, **{"Accept-Encoding": "gzip"}))
check("an answer over 1 KiB is gzipped when asked, with Vary", r[1].get("content-encoding") == "gzip" and r[1].get("vary") == "Accept-Encoding"
      and json.loads(gzip.decompress(r[2]))["outputShape"] == [1, 1, 4000], r[1])
r = request(s.port, "POST", "/pool/forward", big, dict(JSON, **{"Accept-Encoding": "gzip;q=0"}))
check("gzip;q=0 gets it uncompressed", "content-encoding" not in r[1] and json.loads(r[2])["outputShape"] == [1, 1, 4000], r[1])
idle_hwm = s.status("VmHWM")
bomb = gzip.compress(b" " * (80 * MB), 9)
r = request(s.port, "POST", "/pool/forward", bomb, dict(JSON, **{"Content-Encoding": "gzip"}))
grown = s.status("VmHWM") - idle_hwm
# Refused by whichever bound it passes first: the compression ratio (past 1 MiB decoded) or the
# decoded body limit.
check("a %d KB gzip inflating to 80 MB is 413 naming --max-compression-ratio or --max-body-bytes" % (len(bomb) // 1000),
      problem(*r, 413) and (b"--max-compression-ratio" in r[2] or b"--max-body-bytes" in r[2]), r)
check("... and never held 80 MB (peak RSS grew %d MB)" % (grown // MB), grown < 80 * MB, grown)
s.stop()

try:
    with Server(binary, "--no-gzip") as s:
        r = request(s.port, "POST", "/pool/forward", big, dict(JSON, **{"Accept-Encoding": "gzip"}))
        check("--no-gzip answers uncompressed", "content-encoding" not in r[1] and r[0] == 200, r[1])
except ServerError as e:
    check("--no-gzip answers uncompressed", False, e)

# --- 5. a chunked body past the limit: 413 as soon as it passes, before the body ends
s = Server(binary, "--max-body-bytes", "30000000")
c = connect(s.port)
c.sendall(b"POST /pool/forward HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
chunk = b"10000\r\n" + b" " * 0x10000 + b"\r\n"
sent = 0
try:
    while sent < 31_000_000:  # past the limit; the end of the body is never sent
        c.sendall(chunk)
        sent += 0x10000
    status, headers, body = read_response(c)
except OSError as e:
    status, headers, body = 0, {}, str(e).encode()
check("a chunked body past --max-body-bytes gets 413 problem+json before it ends", problem(status, headers, body, 413) and b"--max-body-bytes" in body,
      (status, body[:100]))
c.close()
check("... and the server goes on", request(s.port, "GET", "/healthz")[0] == 200)
s.stop()

# --- 7. SIGHUP drains like SIGTERM: a request whose head is in when the drain starts finishes
s = Server(binary, "--drain-timeout", "5", admin=True)
c = connect(s.port)
c.sendall(b"POST /pool/forward HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: %d\r\n\r\n" % len(EXAMPLE) + EXAMPLE[:20])
s.wait_metrics(lambda m: m.get("poolserve_requests_in_flight", 0) >= 1, "the half-sent request in flight")
s.send_signal(signal.SIGHUP)
s.wait_log("draining")
try:
    c.sendall(EXAMPLE[20:])
    r = read_response(c)
except OSError as e:
    r = (0, {}, str(e).encode())
code = s.wait()
check("SIGHUP drains: the request in flight finishes", r[0] == 200, r[0])
check("SIGHUP drains: exit 0", code == 0, code)

# --- issue 16: a drain lets keep-alive connections finish: a request sent on an open connection
# just after SIGTERM (once the listening socket is closed: the drain has begun) is answered,
# with Connection: close, and then the process exits 0
s = Server(binary, "--drain-timeout", "5")
c = connect(s.port)
keep = b"POST /pool/forward HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(EXAMPLE) + EXAMPLE
c.sendall(keep)
first = read_response(c)
s.send_signal(signal.SIGTERM)
try:
    wait_until(lambda: refuses_connections(s.port), "the listening socket to close", interval=0.005)
    c.sendall(keep)
    r = read_response(c)
except (OSError, TimeoutError) as e:
    r = (0, {}, str(e).encode())
code = s.wait()
check("a drain answers the next request of an open keep-alive connection", first[0] == 200 and r[0] == 200, (first[0], r[0]))
check("... with Connection: close, and exits 0", r[1].get("connection") == "close" and code == 0, (r[1].get("connection"), code))

# --- 4. the drain deadline is kept while a request computes (the lp request)
# The request costs 1.9e10 weighted work units: the limit is raised so that it computes.
# The drain's length is read from the server's own log (draining -> stopped, its clock).
s = Server(binary, "--drain-timeout", "2", "--max-work", "100000000000", admin=True)
body = lp_backward()
answer = {}
def client():
    try:
        answer["r"] = request(s.port, "POST", "/pool/backward", body, JSON, timeout=HANG_GUARD)
    except Exception as e:
        answer["error"] = e
t = threading.Thread(target=client)
t.start()
s.wait_metrics(lambda m: m.get("poolserve_requests_computing", 0) >= 1, "the lp request computing")
sent_at = time.monotonic()
s.send_signal(signal.SIGTERM)
code = s.wait()
took = time.monotonic() - sent_at
t.join(HANG_GUARD)
r = answer.get("r", (0, {}, repr(answer.get("error")).encode()))
def logged_at(msg):
    ts = next((l["ts"] for l in s.records() if l.get("msg") == msg), None)
    return ts and datetime.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ").timestamp()
draining, stopped = logged_at("draining"), logged_at("stopped")
drain = stopped - draining if draining and stopped else None
check("at the drain deadline the computing client gets 503 problem+json with Retry-After",
      problem(*r, 503) and r[1].get("retry-after") is not None, (r[0], r[2][:120]))
check("the process exits 0, its drain (draining to stopped in its log) within --drain-timeout + 1 s (%s s; %.2f s from the signal to the exit here)"
      % ("%.2f" % drain if drain is not None else "?", took), code == 0 and drain is not None and drain <= 3.0, (code, drain))

finish()

#!/usr/bin/env python3
"""make parse-rss: peak RSS above idle per body byte of one large JSON request, for bodies whose
numbers cost the parser the most per byte (16.8 M zeros: two bytes a number), through /v2 and
/pool/forward, flat and nested in rows of one element. A fresh server per body; VmHWM read from
/proc after the answer.

Usage: parse-rss.py BINARY [BINARY_BEFORE]   (a second binary, e.g. an older build, runs the same
bodies alternately, so both columns come from the same run)"""
import json, os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "lib"))
from systest import MB, Server, request  # noqa: E402

N = 16_777_216
zeros = ",".join(["0"] * N)
BODIES = [
    ("/v2 JSON data, OUTPUT only", "/v2/models/pool/infer",
     '{"parameters":{"kernelSize":2},"inputs":[{"name":"INPUT","shape":[1,1,4096,4096],"datatype":"FP32","data":[%s]}],'
     '"outputs":[{"name":"OUTPUT"}]}' % zeros),
    ("/pool/forward flat, output + indices + mask", "/pool/forward",
     '{"input":{"shape":[1,1,4096,4096],"data":[%s]},"kernelSize":2}' % zeros),
    ("/pool/forward nested rows of one", "/pool/forward",
     '{"input":[[%s]],"kernelSize":[1]}' % ",".join(["[0]"] * (N // 4))),
]


def measure(binary, path, body):
    with Server(binary, "--max-inflight-bytes", str(2048 * MB), "--max-body-bytes", str(128 * MB)) as s:
        idle = s.status("VmHWM")
        status, _, answer = request(s.port, "POST", path, body, {"Content-Type": "application/json"})
        return status, len(answer), (s.status("VmHWM") - idle) / len(body)


binaries = sys.argv[1:]
print("| body | MB | " + " | ".join("peak RSS per body byte (%s)" % b for b in binaries) + " |")
print("| --- | --- | " + " | ".join("---" for _ in binaries) + " |")
for name, path, text in BODIES:
    body = text.encode()
    cells = []
    for binary in binaries:
        status, answer, per_byte = measure(binary, path, body)
        cells.append("%.2f (status %d, answer %.1f MB)" % (per_byte, status, answer / 1e6))
    print("| %s | %.1f | %s |" % (name, len(body) / 1e6, " | ".join(cells)), flush=True)

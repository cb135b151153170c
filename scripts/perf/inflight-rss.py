#!/usr/bin/env python3
"""RSS per byte the memory budget reserves: four 1x64x112x112 forwards (flat, b64, and the Open
Inference Protocol's binary tensors) in flight, the poolserve_inflight_bytes gauge polled on the
admin port against VmHWM. Usage: inflight-rss.py BINARY"""
import base64, json, os, sys, threading, time
import numpy as np
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "lib"))
from systest import *
x = np.random.default_rng(0).standard_normal((1, 64, 112, 112)).astype(np.float32)
flat = json.dumps({"input": {"shape": list(x.shape), "data": x.ravel().tolist()}, "kernelSize": 3, "stride": 2, "padding": 1}).encode()
b64 = json.dumps({"input": {"shape": list(x.shape), "dtype": "float32", "b64": base64.b64encode(x.tobytes()).decode()}, "kernelSize": 3, "stride": 2, "padding": 1}).encode()
header = json.dumps({"parameters": {"kernelSize": 3, "stride": 2, "padding": 1},
                     "inputs": [{"name": "INPUT", "shape": list(x.shape), "datatype": "FP32", "parameters": {"binary_data_size": x.nbytes}}],
                     "outputs": [{"name": n, "parameters": {"binary_data": True}} for n in ("OUTPUT", "INDICES", "MASK")]}).encode()
binary = header + x.tobytes()
BINARY_HEADERS = {"Content-Type": "application/octet-stream", "Inference-Header-Content-Length": str(len(header))}
for name, body, path, headers in [("flat", flat, "/pool/forward", JSON), ("b64", b64, "/pool/forward", JSON),
                                  ("binary", binary, "/v2/models/pool/infer", BINARY_HEADERS)]:
    s = Server(sys.argv[1], admin=True)
    request(s.port, "POST", path, body, headers, timeout=HANG_GUARD)
    idle = s.status("VmRSS")
    base_hwm = s.status("VmHWM")
    peak = [0]
    stop = []
    def poll():
        while not stop:
            m = request(s.admin_port, "GET", "/metrics")[2].decode()
            for l in m.splitlines():
                if l.startswith("poolserve_inflight_bytes "):
                    peak[0] = max(peak[0], float(l.split()[1]))
    t = threading.Thread(target=poll); t.start()
    ths = [threading.Thread(target=lambda: request(s.port, "POST", path, body, headers, timeout=HANG_GUARD)) for _ in range(4)]
    [h.start() for h in ths]; [h.join() for h in ths]
    stop.append(1); t.join()
    hwm = s.status("VmHWM")
    print("%s: body %d B; peak reserved %.1f MiB for 4 in flight (%.1f MiB each); peak RSS over idle %.1f MiB; RSS per reserved byte %.2f" % (
        name, len(body), peak[0] / MB, peak[0] / 4 / MB, (hwm - idle) / MB, (hwm - idle) / peak[0] if peak[0] else 0))
    s.stop()

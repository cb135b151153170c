#!/usr/bin/env python3
"""The floor under e2e.py's large b64 forward figure: a server that only reads the request and
answers with a body of the size poolserve's answer has (no decoding, no pooling, no encoding),
timed with e2e.py's client (urllib), median of 31. Usage: client-floor.py [PORT]"""
import base64, json, socket, statistics, sys, threading, time, urllib.request
import numpy as np

port = int(sys.argv[1]) if len(sys.argv) > 1 else 8095
rng = np.random.default_rng(0)
x = rng.standard_normal((1, 64, 112, 112)).astype(np.float32)
request = json.dumps({"kernelSize": 3, "stride": 2, "padding": 1,
                      "input": {"shape": list(x.shape), "dtype": "float32", "b64": base64.b64encode(x.tobytes()).decode()}}).encode()
size = 7493160  # poolserve's answer to that request: output, indices and mask in b64
answer = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % size + b"x" * size

def serve():
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", port)); s.listen(8)
    buf = bytearray(64 << 20); view = memoryview(buf)
    while True:
        c, _ = s.accept(); n = 0
        while (i := buf.find(b"\r\n\r\n", 0, n)) < 0:
            n += c.recv_into(view[n:])
        head = bytes(buf[:i]).lower()
        need = int(head.split(b"content-length:")[1].split(b"\r\n")[0]) + i + 4
        while n < need:
            n += c.recv_into(view[n:])
        c.sendall(answer); c.close()

threading.Thread(target=serve, daemon=True).start(); time.sleep(0.2)
times = []
for _ in range(31):
    t = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request("http://127.0.0.1:%d/pool/forward" % port, data=request,
                                                       headers={"Content-Type": "application/json"})) as r:
        r.read()
    times.append(time.perf_counter() - t)
print(json.dumps({"floor_ms": round(statistics.median(times) * 1e3, 2), "request_bytes": len(request), "response_bytes": size}))

#!/usr/bin/env python3
"""Open Inference Protocol v2 conformance of poolserve, as the clients people use see it.

Usage: oip-conformance.py BINARY   (starts BINARY --port 0 and stops it at the end)

tritonclient[http] (PyPI) speaks to the /v2 routes: server and model metadata, liveness and
readiness, infer with JSON data and with binary data in and out, every datatype (FP16, BF16, FP32,
FP64; INT64 indices), a subset of outputs, the backward through GRAD_OUTPUT and through INDICES,
the generic `pool` model with parameters as OIP scalars. Every answer is compared with the native
/pool/forward or /pool/backward on the same tensors (exactly: 16-bit answers are the native
float32 answer rounded to nearest even). Then the errors a client can cause, sent with tritonclient
where it can send them and as raw HTTP where it cannot (a binary_data_size larger or smaller than
the bytes sent, an Inference-Header-Content-Length past the body): each a 4xx with {"error": ...}.
Prints one line per check; exits 1 on the first failure."""
import base64, http.client, json, os, sys
import ml_dtypes, numpy as np
import tritonclient.http as tc
from tritonclient.utils import InferenceServerException

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "lib"))
from systest import HANG_GUARD, SOCKET_TIMEOUT, Server, ServerError  # noqa: E402

BF16 = ml_dtypes.bfloat16
try:
    server = Server(sys.argv[1], log_format=None, log_level="warning")
except ServerError as e:
    sys.exit(f"poolserve did not start: {e}")
port = server.port
client = tc.InferenceServerClient(f"127.0.0.1:{port}", connection_timeout=SOCKET_TIMEOUT, network_timeout=HANG_GUARD)
checks = 0


def check(name, ok, detail=""):
    global checks
    if not ok:
        server.stop()
        sys.exit(f"FAIL {name}: {detail}\nthe end of the server's log:\n{server.log_text()[-3000:]}")
    checks += 1
    print(f"ok   {name}")


def raw(method, path, body=b"", headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=SOCKET_TIMEOUT)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data


def native(path, request):
    status, _, data = raw("POST", path, json.dumps(request).encode(), {"Content-Type": "application/json"})
    if status != 200:
        sys.exit(f"native {path} answered {status}: {data[:300]!r}")
    return json.loads(data)


def b64(array):
    return {"shape": list(array.shape), "dtype": str(array.dtype), "b64": base64.b64encode(array.tobytes()).decode()}


def unb64(tensor):
    return np.frombuffer(base64.b64decode(tensor["b64"]), dtype=tensor["dtype"]).reshape(tensor["shape"])


def same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()


def infer(model, tensors, outputs=None, binary=True, parameters=None, **kw):
    inputs = []
    for name, array, datatype in tensors:
        i = tc.InferInput(name, list(array.shape), datatype)
        i.set_data_from_numpy(array, binary_data=binary)
        inputs.append(i)
    wanted = [tc.InferRequestedOutput(n, binary_data=binary) for n in outputs] if outputs else None
    return client.infer(model, inputs, outputs=wanted, parameters=parameters, **kw)


def error_of(call):
    try:
        call()
    except InferenceServerException as e:
        return e.status(), e.message()
    return None, None


rng = np.random.default_rng(7)
x = rng.standard_normal((2, 3, 12, 10)).astype(np.float32)
K3S2P1 = {"kernelSize": 3, "stride": 2, "padding": 1}
try:
    # Metadata and health.
    meta = client.get_server_metadata()
    check("server metadata", meta["name"] == "poolserve" and "binary_tensor_data" in meta["extensions"], meta)
    check("live and ready", client.is_server_live() and client.is_server_ready())
    for model in ["maxpool2d_k3s2p1", "maxpool2d_k2s2", "avgpool2d_k3s2p1", "global_avgpool2d", "adaptive_avgpool2d_7", "pool"]:
        check(f"model {model} ready", client.is_model_ready(model) and client.is_model_ready(model, "1"))
    m = client.get_model_metadata("maxpool2d_k3s2p1")
    check("model metadata", [t["name"] for t in m["inputs"]] == ["INPUT", "GRAD_OUTPUT", "INDICES"]
          and [(t["name"], t["datatype"]) for t in m["outputs"]] == [("OUTPUT", "FP32"), ("INDICES", "INT64"), ("MASK", "FP32"), ("GRAD_INPUT", "FP32")]
          and m["inputs"][0]["shape"] == [-1, -1, -1, -1] and m["versions"] == ["1"], m)
    check("model metadata by version", client.get_model_metadata("avgpool2d_k3s2p1", "1")["outputs"][0]["name"] == "OUTPUT")
    status, message = error_of(lambda: client.get_model_metadata("resnet50"))
    check("unknown model metadata: 404", status == "404" and "unknown model: 'resnet50'" in message, (status, message))
    check("unknown model not ready", not client.is_model_ready("resnet50"))

    # Forward, JSON and binary, every datatype, against the native forward.
    want = native("/pool/forward", {**K3S2P1, "input": b64(x), "encoding": "b64"})
    for binary in (False, True):
        r = infer("maxpool2d_k3s2p1", [("INPUT", x, "FP32")], outputs=["OUTPUT", "INDICES", "MASK"], binary=binary)
        form = "binary" if binary else "JSON"
        check(f"forward FP32 {form}: OUTPUT, INDICES, MASK equal the native",
              same(r.as_numpy("OUTPUT"), unb64(want["output"])) and same(r.as_numpy("INDICES"), unb64(want["indices"]))
              and same(r.as_numpy("MASK"), unb64(want["mask"])))
        check(f"forward {form}: outputs in the form asked for", all(("data" in o) != binary for o in r.get_response()["outputs"]))
    r = infer("maxpool2d_k3s2p1", [("INPUT", x, "FP32")], outputs=None)
    check("forward with no outputs named: all that apply, binary (tritonclient's binary_data_output)",
          [o["name"] for o in r.get_response()["outputs"]] == ["OUTPUT", "INDICES", "MASK"]
          and all("binary_data_size" in o["parameters"] for o in r.get_response()["outputs"]))
    for datatype, dtype in [("FP16", np.float16), ("BF16", BF16), ("FP64", np.float64)]:
        xt = x.astype(dtype)
        if datatype == "FP64":
            ref = native("/pool/forward", {**K3S2P1, "mode": "avg", "dtype": "float64", "input": b64(xt), "encoding": "b64"})
            expected = unb64(ref["output"])
        else:
            ref = native("/pool/forward", {**K3S2P1, "mode": "avg", "input": b64(xt.astype(np.float32)), "encoding": "b64"})
            expected = unb64(ref["output"]).astype(dtype)
        for binary in ([True] if datatype == "BF16" else [False, True]):  # tritonclient sends BF16 as binary only
            r = infer("avgpool2d_k3s2p1", [("INPUT", xt, datatype)], outputs=["OUTPUT"], binary=binary)
            got = r.as_numpy("OUTPUT")
            check(f"avg forward {datatype} {'binary' if binary else 'JSON'}: answered in {datatype}, equal to the native rounded to nearest even",
                  r.get_response()["outputs"][0]["datatype"] == datatype and same(got.astype(dtype), expected), (got.dtype, got.ravel()[:4], expected.ravel()[:4]))
    big = np.full((1, 1, 4), 60000, dtype=np.float16)
    r = infer("pool", [("INPUT", big, "FP16")], parameters={"mode": "lp", "p": 1, "kernelSize": 2})
    check("FP16 overflow answers +inf (PyTorch's .half())", np.all(np.isinf(r.as_numpy("OUTPUT"))), r.as_numpy("OUTPUT"))

    # A subset of outputs, mixed binary and JSON.
    ins = [tc.InferInput("INPUT", list(x.shape), "FP32")]
    ins[0].set_data_from_numpy(x)
    r = client.infer("maxpool2d_k3s2p1", ins, outputs=[tc.InferRequestedOutput("INDICES", binary_data=False), tc.InferRequestedOutput("OUTPUT")])
    outs = r.get_response()["outputs"]
    check("a subset of outputs, in the order asked for", [o["name"] for o in outs] == ["INDICES", "OUTPUT"] and "data" in outs[0] and "data" not in outs[1]
          and same(r.as_numpy("INDICES"), unb64(want["indices"])) and same(r.as_numpy("OUTPUT"), unb64(want["output"])))

    # The backward: through GRAD_OUTPUT with INPUT, and through INDICES with input_shape.
    g = rng.integers(-3, 4, unb64(want["output"]).shape).astype(np.float32)
    ref = native("/pool/backward", {**K3S2P1, "input": b64(x), "gradOutput": b64(g), "encoding": "b64"})
    r = infer("maxpool2d_k3s2p1", [("INPUT", x, "FP32"), ("GRAD_OUTPUT", g, "FP32")], outputs=["GRAD_INPUT"])
    check("backward through GRAD_OUTPUT equals /pool/backward", same(r.as_numpy("GRAD_INPUT"), unb64(ref["gradInput"])))
    r = infer("maxpool2d_k3s2p1", [("INDICES", unb64(want["indices"]), "INT64"), ("GRAD_OUTPUT", g, "FP32")],
              parameters={"input_shape": json.dumps(list(x.shape))})
    check("backward through INDICES and input_shape equals /pool/backward", same(r.as_numpy("GRAD_INPUT"), unb64(ref["gradInput"])))
    ref = native("/pool/backward", {**K3S2P1, "mode": "avg", "inputShape": list(x.shape), "gradOutput": b64(g), "encoding": "b64"})
    r = infer("avgpool2d_k3s2p1", [("GRAD_OUTPUT", g, "FP32")], outputs=["GRAD_INPUT"], binary=False, parameters={"input_shape": json.dumps(list(x.shape))})
    check("avg backward from the shape alone (JSON) equals /pool/backward", same(r.as_numpy("GRAD_INPUT"), unb64(ref["gradInput"])))

    # The generic model: the native parameters as OIP scalars, lists as JSON text.
    params = {"mode": "max", "kernelSize": "[2, 3]", "stride": "[2, 1]", "dilation": "[1, 2]", "ceilMode": True, "ties": "last", "indexSpace": "tensor"}
    ref = native("/pool/forward", {"mode": "max", "kernelSize": [2, 3], "stride": [2, 1], "dilation": [1, 2], "ceilMode": True, "ties": "last",
                                   "indexSpace": "tensor", "input": b64(x), "encoding": "b64"})
    r = infer("pool", [("INPUT", x, "FP32")], parameters=params)
    check("generic pool with request parameters equals the native forward",
          same(r.as_numpy("OUTPUT"), unb64(ref["output"])) and same(r.as_numpy("INDICES"), unb64(ref["indices"])) and same(r.as_numpy("MASK"), unb64(ref["mask"])))
    for model, request in [("global_avgpool2d", {"mode": "avg", "global": True}), ("adaptive_avgpool2d_7", {"mode": "avg", "outputSize": 7}),
                           ("maxpool2d_k2s2", {"kernelSize": 2, "stride": 2})]:
        ref = native("/pool/forward", {**request, "input": b64(x), "encoding": "b64"})
        check(f"{model} equals the native forward", same(infer(model, [("INPUT", x, "FP32")], outputs=["OUTPUT"]).as_numpy("OUTPUT"), unb64(ref["output"])))

    # Errors a client causes, through tritonclient: the status and the message it shows.
    cases = [
        ("unknown model", lambda: infer("resnet50", [("INPUT", x, "FP32")]), "404", "Request for unknown model: 'resnet50' is not found"),
        ("wrong datatype", lambda: infer("maxpool2d_k3s2p1", [("INPUT", x.astype(np.int32), "INT32")]), "400", "unexpected datatype INT32 for inference input 'INPUT'"),
        ("rank mismatch", lambda: infer("maxpool2d_k3s2p1", [("INPUT", x[0], "FP32")]), "400", "unexpected shape for input 'INPUT' of model 'maxpool2d_k3s2p1'"),
        ("GRAD_OUTPUT shape mismatch", lambda: infer("maxpool2d_k3s2p1", [("INPUT", x, "FP32"), ("GRAD_OUTPUT", g[:, :, :2], "FP32")]), "400",
         "input 'GRAD_OUTPUT': has shape [2, 3, 2, 5] but the forward output shape is [2, 3, 6, 5]"),
        ("bad parameter", lambda: infer("pool", [("INPUT", x, "FP32")], parameters={"kernelSize": "[3, 0]"}), "400", "parameter 'kernelSize/1': must be ≥ 1"),
        ("unknown parameter", lambda: infer("pool", [("INPUT", x, "FP32")], parameters={"kernelSize": 2, "strides": 2}), "400", "parameter 'strides': unknown field"),
        ("fixed layer refuses parameters", lambda: infer("maxpool2d_k2s2", [("INPUT", x, "FP32")], parameters={"kernelSize": 3}), "400", "model 'maxpool2d_k2s2' has its pooling parameters fixed by the layer repository"),
        ("unknown output", lambda: infer("maxpool2d_k2s2", [("INPUT", x, "FP32")], outputs=["LOGITS"]), "400", "unexpected inference output 'LOGITS'"),
        ("output that does not apply", lambda: infer("avgpool2d_k3s2p1", [("INPUT", x, "FP32")], outputs=["MASK"]), "400", "output 'MASK' exists only for max pooling"),
        ("window larger than the input", lambda: infer("pool", [("INPUT", x, "FP32")], parameters={"kernelSize": 20}), "400", "parameter 'kernelSize"),
    ]
    for name, call, status, prefix in cases:
        got, message = error_of(call)
        check(f"error: {name} -> {status}", got == status and message.startswith(prefix), (got, message))

    # Framing errors tritonclient cannot make: raw HTTP with its headers (no Content-Type).
    data = x.tobytes()
    head = json.dumps({"inputs": [{"name": "INPUT", "shape": list(x.shape), "datatype": "FP32", "parameters": {"binary_data_size": len(data)}}]}).encode()
    path = "/v2/models/maxpool2d_k3s2p1/infer"
    framing = [
        ("binary_data_size larger than the bytes sent", head + data[:-4], len(head), "input 'INPUT' has binary_data_size 2880 but only 2876 bytes"),
        ("binary_data_size smaller than the bytes sent", head + data + b"\0" * 4, len(head), "the body has"),
        ("Inference-Header-Content-Length past the body", head + data, len(head) + len(data) + 1, "Inference-Header-Content-Length is"),
        ("Inference-Header-Content-Length not a number", head + data, "12x", "Inference-Header-Content-Length must be"),
        ("header cut inside the JSON", head + data, len(head) - 3, "the inference request is not valid JSON"),
    ]
    for name, body, length, prefix in framing:
        status, headers, answer = raw("POST", path, body, {"Inference-Header-Content-Length": str(length)})
        error = json.loads(answer).get("error", "") if headers.get("content-type") == "application/json" else ""
        check(f"error: {name} -> 400 {{\"error\"}}", status == 400 and error.startswith(prefix), (status, answer[:200]))
    status, headers, answer = raw("POST", path, head + data, {"Inference-Header-Content-Length": str(len(head)), "Content-Type": "application/octet-stream"})
    check("KServe's application/octet-stream is accepted (no outputs named, no binary_data_output: JSON outputs)",
          status == 200 and headers.get("content-type") == "application/json" and len(json.loads(answer)["outputs"]) == 3, status)
    status, headers, answer = raw("POST", path, head + data, {"Inference-Header-Content-Length": str(len(head)), "Content-Type": "text/plain"})
    check("another Content-Type: 415 {\"error\"}", status == 415 and "error" in json.loads(answer))
    status, headers, answer = raw("GET", path)
    check("wrong method: 405 {\"error\"} with Allow", status == 405 and headers.get("allow") == "POST" and "error" in json.loads(answer))
    status, headers, answer = raw("GET", "/v2/health/live")
    check("liveness body {\"live\": true}", status == 200 and json.loads(answer) == {"live": True})
    status, headers, answer = raw("GET", "/v2/health/ready")
    check("readiness body {\"ready\": true}", status == 200 and json.loads(answer) == {"ready": True})

    # Metrics: per model, bounded labels.
    metrics = raw("GET", "/metrics")[2].decode()
    check("metrics per model", 'route="/v2/models/{name}/infer",model="maxpool2d_k3s2p1",status="200"' in metrics
          and 'model="unknown",status="404"' in metrics and "resnet50" not in metrics)

    # SIGTERM: the server drains and exits 0 (readiness during the drain is pinned by the Swift tests).
    check("SIGTERM: drains and exits 0", server.stop() == 0)
finally:
    if server.running():
        server.kill()
print(f"oip-conformance: {checks} checks passed")

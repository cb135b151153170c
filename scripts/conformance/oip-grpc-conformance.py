#!/usr/bin/env python3
"""The Open Inference Protocol over gRPC, as tritonclient.grpc sees it, against the REST answers.

Usage: oip-grpc-conformance.py BINARY [--golden-limit N]

Starts BINARY --port 0 --grpc-port 0 (it prints "listening on http://127.0.0.1:P" and
"grpc listening on 127.0.0.1:G") and, for the limits, deadline and drain checks, more instances
with small limits; stops them all at the end. tritonclient[grpc] and tritonclient[http] (PyPI),
both unchanged, send the same calls: every answer over gRPC must be byte for byte REST's, every
error the gRPC status code that stands for REST's status with REST's message.

Covered: server and model metadata, liveness and readiness (the protocol's and
grpc.health.v1), every built-in layer, every datatype (FP16, BF16, FP32, FP64 in; INT64 indices),
raw contents (tritonclient's) and typed contents (fp32/fp64/int64_contents, in and out, through
the generated stub), a subset of outputs, the backward through GRAD_OUTPUT and through INDICES,
the generic `pool` model with parameters, the golden fixtures through both transports, every
error class (INVALID_ARGUMENT, NOT_FOUND, RESOURCE_EXHAUSTED for size limits and the memory
budget, UNAVAILABLE while draining), gzip and deflate, request ids, the gRPC metrics, a client
deadline that stops the kernels, and a drain that lets the call in flight finish.
Prints one line per check; exits 1 on the first failure."""
import glob, json, os, re, signal, subprocess, sys, threading, time
import grpc, ml_dtypes, numpy as np
import tritonclient.grpc as tg
import tritonclient.http as th
from tritonclient.grpc import service_pb2 as pb, service_pb2_grpc as pbg
from tritonclient.utils import InferenceServerException

BF16 = ml_dtypes.bfloat16
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
BINARY = sys.argv[1]
GOLDEN_LIMIT = int(sys.argv[sys.argv.index("--golden-limit") + 1]) if "--golden-limit" in sys.argv else 1000
servers = []
checks = 0


def start(*extra):
    """Starts the server on free ports; returns (process, http port, grpc port)."""
    p = subprocess.Popen([BINARY, "--port", "0", "--grpc-port", "0", "--log-level", "warning", *extra],
                         stdout=subprocess.PIPE, text=True)
    servers.append(p)
    http_port = grpc_port = None
    while http_port is None or grpc_port is None:
        line = p.stdout.readline()
        if not line:
            stop_all()
            sys.exit(f"poolserve did not start: exit {p.wait()}")
        if m := re.search(r"^listening on http://127\.0\.0\.1:(\d+)", line):
            http_port = int(m.group(1))
        if m := re.search(r"^grpc listening on 127\.0\.0\.1:(\d+)", line):
            grpc_port = int(m.group(1))
    return p, http_port, grpc_port


def stop_all():
    for p in servers:
        if p.poll() is None:
            p.kill()


def check(name, ok, detail=""):
    global checks
    if not ok:
        stop_all()
        sys.exit(f"FAIL {name}: {detail}")
    checks += 1
    print(f"ok   {name}")


def same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()


def call_both(model, tensors, outputs=None, parameters=None, **grpc_kw):
    """The same call through tritonclient.http (binary) and tritonclient.grpc: (rest, grpc), each
    a result or the (status, message) of its error."""
    def one(tc, client, kw):
        inputs = []
        for name, array, datatype in tensors:
            i = tc.InferInput(name, list(array.shape), datatype)
            i.set_data_from_numpy(array)
            inputs.append(i)
        wanted = [tc.InferRequestedOutput(n) for n in outputs] if outputs else None
        try:
            return client.infer(model, inputs, outputs=wanted, parameters=parameters, **kw)
        except InferenceServerException as e:
            return (e.status(), e.message())
    return one(th, rest, {}), one(tg, grpcc, grpc_kw)


def outputs_equal(r, g, names=None):
    if isinstance(r, tuple) or isinstance(g, tuple):
        return False
    rn = [o["name"] for o in r.get_response()["outputs"]]
    gn = [o.name for o in g.get_response().outputs]
    return rn == gn and (names is None or rn == names) and all(same(r.as_numpy(n), g.as_numpy(n)) for n in rn)


GRPC_OF_HTTP = {"400": "StatusCode.INVALID_ARGUMENT", "404": "StatusCode.NOT_FOUND", "413": "StatusCode.RESOURCE_EXHAUSTED",
                "503": "StatusCode.UNAVAILABLE"}


def errors_match(r, g):
    return isinstance(r, tuple) and isinstance(g, tuple) and GRPC_OF_HTTP.get(r[0]) == g[0] and r[1] == g[1]


server, http_port, grpc_port = start()
rest = th.InferenceServerClient(f"127.0.0.1:{http_port}")
grpcc = tg.InferenceServerClient(f"127.0.0.1:{grpc_port}")
channel = grpc.insecure_channel(f"127.0.0.1:{grpc_port}")
stub = pbg.GRPCInferenceServiceStub(channel)
rng = np.random.default_rng(7)
x = rng.standard_normal((2, 3, 12, 10)).astype(np.float32)
MODELS = ["maxpool2d_k3s2p1", "maxpool2d_k2s2", "avgpool2d_k3s2p1", "global_avgpool2d", "adaptive_avgpool2d_7", "pool"]
try:
    # Metadata, liveness, readiness.
    m_rest, m_grpc = rest.get_server_metadata(), grpcc.get_server_metadata(as_json=True)
    check("server metadata: REST's name and version", (m_grpc["name"], m_grpc["version"]) == (m_rest["name"], m_rest["version"]), m_grpc)
    check("live and ready", grpcc.is_server_live() and grpcc.is_server_ready())
    for model in MODELS:
        check(f"model {model} ready, with and without its version", grpcc.is_model_ready(model) and grpcc.is_model_ready(model, "1"))
        a, b = rest.get_model_metadata(model), grpcc.get_model_metadata(model, as_json=True)
        norm = lambda ts: [(t["name"], t["datatype"], [int(d) for d in t["shape"]]) for t in ts]
        check(f"model {model} metadata equals REST's", (a["name"], a["versions"], a["platform"], norm(a["inputs"]), norm(a["outputs"]))
              == (b["name"], b["versions"], b["platform"], norm(b["inputs"]), norm(b["outputs"])), (a, b))
    check("unknown model is not ready (as tritonclient.http says)", not grpcc.is_model_ready("resnet50") and not grpcc.is_model_ready("pool", "2"))
    try:
        grpcc.get_model_metadata("resnet50")
        check("unknown model metadata: NOT_FOUND", False, "no error")
    except InferenceServerException as e:
        check("unknown model metadata: NOT_FOUND with REST's message", e.status() == "StatusCode.NOT_FOUND" and e.message() == "Request for unknown model: 'resnet50' is not found", (e.status(), e.message()))

    # grpc.health.v1.Health (what a Kubernetes grpc probe calls), with hand-encoded messages.
    health = channel.unary_unary("/grpc.health.v1.Health/Check")
    asking = lambda service: b"\x0a" + bytes([len(service)]) + service.encode()
    check("grpc.health.v1 Check: SERVING", health(b"") == b"\x08\x01")
    check("grpc.health.v1 Check of inference.GRPCInferenceService: SERVING", health(asking("inference.GRPCInferenceService")) == b"\x08\x01")
    try:
        health(asking("foo"))
        check("grpc.health.v1 Check of an unknown service: NOT_FOUND", False)
    except grpc.RpcError as e:
        check("grpc.health.v1 Check of an unknown service: NOT_FOUND", e.code() == grpc.StatusCode.NOT_FOUND)

    # Every layer, every datatype, raw contents: byte for byte REST's answer.
    for model in MODELS:
        params = {"kernelSize": 2} if model == "pool" else None
        r, g = call_both(model, [("INPUT", x, "FP32")], parameters=params)
        check(f"{model} forward FP32: every output equals REST's", outputs_equal(r, g))
    r, g = call_both("maxpool2d_k3s2p1", [("INPUT", x, "FP32")], outputs=["OUTPUT", "INDICES", "MASK"])
    check("OUTPUT, INDICES, MASK asked for: REST's, in order", outputs_equal(r, g, ["OUTPUT", "INDICES", "MASK"]))
    r, g = call_both("maxpool2d_k3s2p1", [("INPUT", x, "FP32")], outputs=["INDICES", "OUTPUT"])
    check("a subset of outputs in the order asked for", outputs_equal(r, g, ["INDICES", "OUTPUT"]))
    for datatype, dtype in [("FP16", np.float16), ("BF16", BF16), ("FP64", np.float64)]:
        for model in ["avgpool2d_k3s2p1", "maxpool2d_k3s2p1"]:
            r, g = call_both(model, [("INPUT", x.astype(dtype), datatype)])
            check(f"{model} forward {datatype}: REST's answer, in {datatype}", outputs_equal(r, g) and g.get_response().outputs[0].datatype == datatype)
    fwd = rest.infer("maxpool2d_k3s2p1", [th.InferInput("INPUT", list(x.shape), "FP32").set_data_from_numpy(x)])
    gout = rng.integers(-3, 4, fwd.as_numpy("OUTPUT").shape).astype(np.float32)
    r, g = call_both("maxpool2d_k3s2p1", [("INPUT", x, "FP32"), ("GRAD_OUTPUT", gout, "FP32")])
    check("forward and backward through GRAD_OUTPUT: REST's", outputs_equal(r, g, ["OUTPUT", "INDICES", "MASK", "GRAD_INPUT"]))
    r, g = call_both("maxpool2d_k3s2p1", [("INDICES", fwd.as_numpy("INDICES"), "INT64"), ("GRAD_OUTPUT", gout, "FP32")],
                     parameters={"input_shape": json.dumps(list(x.shape))})
    check("backward through INDICES and input_shape: REST's", outputs_equal(r, g, ["GRAD_INPUT"]))
    r, g = call_both("avgpool2d_k3s2p1", [("GRAD_OUTPUT", gout.astype(np.float16), "FP16")], parameters={"input_shape": json.dumps(list(x.shape))})
    check("avg backward FP16 from the shape alone: REST's", outputs_equal(r, g, ["GRAD_INPUT"]))
    params = {"mode": "max", "kernelSize": "[2, 3]", "stride": "[2, 1]", "dilation": "[1, 2]", "ceilMode": True, "ties": "last", "indexSpace": "tensor"}
    r, g = call_both("pool", [("INPUT", x, "FP32")], parameters=params)
    check("generic pool with string, bool and list parameters: REST's", outputs_equal(r, g))
    r, g = call_both("pool", [("INPUT", x, "FP32")], parameters={"mode": "lp", "p": 1.5, "kernelSize": 2})
    check("a double parameter (Triton's double_param): REST's", outputs_equal(r, g))
    r, g = call_both("pool", [("INPUT", x, "FP32")], parameters={"kernelSize": 2, "fractional": json.dumps({"outputSize": [5, 4], "seed": 3})})
    check("fractional pooling with SAMPLES: REST's", outputs_equal(r, g, ["OUTPUT", "INDICES", "MASK", "SAMPLES"]) and "SAMPLES" in [o.name for o in g.get_response().outputs])
    # A framework convention: the same numbers, and the resolved rules as the `rules` parameter.
    xz = x.copy()
    xz[0, 0, 0, :2] = [-0.0, 0.0]
    xz[0, 1, 1, 1] = np.nan
    r, g = call_both("pool", [("INPUT", xz, "FP32")], parameters={"convention": "jax", "kernelSize": 2, "stride": 2})
    rules_rest = json.loads(r.get_response().get("parameters", {}).get("rules", "{}")) if not isinstance(r, tuple) else {}
    rules_grpc = json.loads(g.get_response().parameters["rules"].string_param) if not isinstance(g, tuple) else {}
    check("convention jax: REST's outputs (no INDICES), and the same rules parameter",
          outputs_equal(r, g, ["OUTPUT", "MASK"]) and rules_grpc == rules_rest and rules_grpc.get("signedZero") == "value_positive_zero_gradient_first_zero",
          (rules_rest, rules_grpc))
    r, g = call_both("pool", [("INPUT", xz, "FP32")], parameters={"convention": "jax", "kernelSize": 2, "ceilMode": True})
    check("convention jax with ceilMode: INVALID_ARGUMENT naming the field, REST's message",
          errors_match(r, g) and "ceilMode" in g[1], (r, g))

    # Typed contents in and out, through the generated stub (tritonclient sends raw only).
    def typed_request(array, datatype, field, outputs=None, typed_out=False):
        req = pb.ModelInferRequest(model_name="maxpool2d_k3s2p1", id="typed-1")
        t = req.inputs.add(name="INPUT", datatype=datatype, shape=list(array.shape))
        getattr(t.contents, field).extend(array.ravel().tolist())
        for n in outputs or []:
            o = req.outputs.add(name=n)
            if typed_out:
                o.parameters["binary_data"].bool_param = False
        return req
    raw = grpcc.infer("maxpool2d_k3s2p1", [tg.InferInput("INPUT", list(x.shape), "FP32").set_data_from_numpy(x)])
    resp = stub.ModelInfer(typed_request(x, "FP32", "fp32_contents"))
    check("typed fp32_contents in, raw out: equal to the raw call", resp.id == "typed-1" and len(resp.raw_output_contents) == 3
          and all(np.frombuffer(resp.raw_output_contents[k], raw.as_numpy(o.name).dtype).tobytes() == raw.as_numpy(o.name).tobytes()
                  for k, o in enumerate(resp.outputs)))
    resp = stub.ModelInfer(typed_request(x, "FP32", "fp32_contents", ["OUTPUT", "INDICES"], typed_out=True))
    check("typed contents out when every output asks binary_data=false", len(resp.raw_output_contents) == 0
          and same(np.array(resp.outputs[0].contents.fp32_contents, np.float32).reshape(resp.outputs[0].shape), raw.as_numpy("OUTPUT"))
          and same(np.array(resp.outputs[1].contents.int64_contents, np.int64).reshape(resp.outputs[1].shape), raw.as_numpy("INDICES")))
    x64 = x.astype(np.float64)
    raw64 = grpcc.infer("maxpool2d_k3s2p1", [tg.InferInput("INPUT", list(x.shape), "FP64").set_data_from_numpy(x64)])
    resp = stub.ModelInfer(typed_request(x64, "FP64", "fp64_contents", ["OUTPUT"], typed_out=True))
    check("typed fp64_contents in and out", same(np.array(resp.outputs[0].contents.fp64_contents).reshape(resp.outputs[0].shape), raw64.as_numpy("OUTPUT")))

    def status_of(req):
        try:
            stub.ModelInfer(req)
            return None, None
        except grpc.RpcError as e:
            return e.code(), e.details()
    req = typed_request(x[:1], "FP32", "fp32_contents")
    req.inputs[0].contents.fp32_contents.pop()
    code, message = status_of(req)
    check("typed contents with too few values: INVALID_ARGUMENT", code == grpc.StatusCode.INVALID_ARGUMENT and "contents has 359 values but shape [1, 3, 12, 10] needs 360" in message, (code, message))
    req = pb.ModelInferRequest(model_name="maxpool2d_k3s2p1")
    req.inputs.add(name="INPUT", datatype="FP16", shape=[1, 1, 2, 2]).contents.fp32_contents.extend([1, 2, 3, 4])
    code, message = status_of(req)
    check("FP16 as typed contents: INVALID_ARGUMENT (no typed field)", code == grpc.StatusCode.INVALID_ARGUMENT and "raw_input_contents" in message, (code, message))
    req = pb.ModelInferRequest(model_name="maxpool2d_k3s2p1", raw_input_contents=[b"\0" * 16, b"\0" * 16])
    req.inputs.add(name="INPUT", datatype="FP32", shape=[1, 1, 2, 2])
    code, message = status_of(req)
    check("more raw_input_contents than inputs: INVALID_ARGUMENT", code == grpc.StatusCode.INVALID_ARGUMENT and "raw_input_contents" in message, (code, message))
    req = pb.ModelInferRequest(model_name="maxpool2d_k3s2p1", raw_input_contents=[b"\0" * 12])
    req.inputs.add(name="INPUT", datatype="FP32", shape=[1, 1, 2, 2])
    code, message = status_of(req)
    check("raw contents shorter than the shape: INVALID_ARGUMENT", code == grpc.StatusCode.INVALID_ARGUMENT and "needs 16 bytes" in message, (code, message))
    req = pb.ModelInferRequest(model_name="maxpool2d_k3s2p1")
    req.inputs.add(name="INPUT", datatype="FP32", shape=[1, 1, 2, 2])
    code, message = status_of(req)
    check("an input with no contents: INVALID_ARGUMENT", code == grpc.StatusCode.INVALID_ARGUMENT, (code, message))

    # The errors a client causes: REST's message, the status code standing for REST's status.
    cases = [
        ("unknown model", "resnet50", [("INPUT", x, "FP32")], None, None),
        ("unknown version", "maxpool2d_k2s2", [("INPUT", x, "FP32")], None, None),
        ("wrong datatype", "maxpool2d_k3s2p1", [("INPUT", x.astype(np.int32), "INT32")], None, None),
        ("rank mismatch", "maxpool2d_k3s2p1", [("INPUT", x[0], "FP32")], None, None),
        ("GRAD_OUTPUT shape mismatch", "maxpool2d_k3s2p1", [("INPUT", x, "FP32"), ("GRAD_OUTPUT", gout[:, :, :2], "FP32")], None, None),
        ("GRAD_OUTPUT datatype differs", "maxpool2d_k3s2p1", [("INPUT", x, "FP32"), ("GRAD_OUTPUT", gout.astype(np.float64), "FP64")], None, None),
        ("INDICES without GRAD_OUTPUT", "maxpool2d_k3s2p1", [("INPUT", x, "FP32"), ("INDICES", fwd.as_numpy("INDICES"), "INT64")], None, None),
        ("unknown input", "maxpool2d_k3s2p1", [("IMAGE", x, "FP32")], None, None),
        ("bad parameter", "pool", [("INPUT", x, "FP32")], None, {"kernelSize": "[3, 0]"}),
        ("unknown parameter", "pool", [("INPUT", x, "FP32")], None, {"kernelSize": 2, "strides": 2}),
        ("parameter not JSON", "pool", [("INPUT", x, "FP32")], None, {"kernelSize": "[3, "}),
        ("fixed layer refuses parameters", "maxpool2d_k2s2", [("INPUT", x, "FP32")], None, {"kernelSize": 3}),
        ("unknown output", "maxpool2d_k2s2", [("INPUT", x, "FP32")], ["LOGITS"], None),
        ("output that does not apply", "avgpool2d_k3s2p1", [("INPUT", x, "FP32")], ["MASK"], None),
        ("GRAD_INPUT without GRAD_OUTPUT", "maxpool2d_k2s2", [("INPUT", x, "FP32")], ["GRAD_INPUT"], None),
        ("window larger than the input", "pool", [("INPUT", x, "FP32")], None, {"kernelSize": 20}),
        ("bad input_shape", "avgpool2d_k3s2p1", [("GRAD_OUTPUT", gout, "FP32")], None, {"input_shape": "[2, 3"}),
    ]
    for name, model, tensors, outs, params in cases:
        if name == "unknown version":
            inp = [tg.InferInput("INPUT", list(x.shape), "FP32").set_data_from_numpy(x)]
            try:
                grpcc.infer(model, inp, model_version="7")
                g = None
            except InferenceServerException as e:
                g = (e.status(), e.message())
            try:
                rest.infer(model, [th.InferInput("INPUT", list(x.shape), "FP32").set_data_from_numpy(x)], model_version="7")
                r = None
            except InferenceServerException as e:
                r = (e.status(), e.message())
        else:
            r, g = call_both(model, tensors, outputs=outs, parameters=params)
        check(f"error: {name}: {g[0] if isinstance(g, tuple) else g}, REST's message", errors_match(r, g), (r, g))

    # Compression and request ids.
    for algorithm in ["gzip", "deflate"]:
        r, g = call_both("maxpool2d_k3s2p1", [("INPUT", x, "FP32")], compression_algorithm=algorithm)
        check(f"{algorithm} message compression: REST's answer", outputs_equal(r, g))
    req = pb.ModelInferRequest(model_name="maxpool2d_k3s2p1", raw_input_contents=[x.tobytes()])
    req.inputs.add(name="INPUT", datatype="FP32", shape=list(x.shape))
    _, call = stub.ModelInfer.with_call(req, metadata=[("x-request-id", "conformance-42")])
    check("the client's x-request-id comes back in the response metadata", ("x-request-id", "conformance-42") in call.initial_metadata(), call.initial_metadata())
    _, call = stub.ModelInfer.with_call(req)
    check("a call without x-request-id gets one", any(k == "x-request-id" and v for k, v in call.initial_metadata()), call.initial_metadata())

    # Golden fixtures through the generic model: gRPC's answer is REST's, error or not.
    compared = 0
    for path in sorted(glob.glob(os.path.join(ROOT, "Tests", "Fixtures", "golden", "*.json"))):
        doc = json.load(open(path))
        for case in (doc["cases"] if isinstance(doc, dict) else doc)[:GOLDEN_LIMIT]:
            dtype = np.float64 if case.get("dtype") == "float64" else np.float32
            wire = {"float16": ("FP16", np.float16), "bfloat16": ("BF16", BF16)}.get(case.get("wireDtype"), ("FP64" if dtype == np.float64 else "FP32", dtype))
            inp = np.array(case["input"]["data"], dtype=np.float64).reshape(case["input"]["shape"]).astype(wire[1])
            params = {k: (json.dumps(v) if isinstance(v, (list, dict)) else v) for k, v in case["params"].items()}
            if "dtype" in case and "dtype" not in params:
                params["dtype"] = case["dtype"]
            tensors = [("INPUT", inp, wire[0])]
            if case.get("gradOutput") and case["gradOutput"].get("data") is not None:
                go = np.array(case["gradOutput"]["data"], dtype=np.float64).reshape(case["gradOutput"]["shape"]).astype(wire[1])
                tensors.append(("GRAD_OUTPUT", go, wire[0]))
            r, g = call_both("pool", tensors, parameters=params)
            ok = outputs_equal(r, g) or errors_match(r, g)
            if not ok:
                check(f"golden {os.path.basename(path)} {case['name']}", False, (r if isinstance(r, tuple) else "ok", g if isinstance(g, tuple) else "ok"))
            compared += 1
    check(f"golden fixtures: {compared} cases answered over gRPC exactly as over REST", compared > 0)

    # Metrics.
    import urllib.request
    metrics = urllib.request.urlopen(f"http://127.0.0.1:{http_port}/metrics").read().decode()
    check("gRPC calls in /metrics with transport=\"grpc\"", 'poolserve_calls_total{transport="grpc",method="/inference.GRPCInferenceService/ModelInfer",code="ok"}' in metrics
          and 'code="invalidArgument"' in metrics, [l for l in metrics.splitlines() if "grpc" in l][:5])

    # Size limits and the memory budget: RESOURCE_EXHAUSTED.
    small, sp_http, sp_grpc = start("--max-body-bytes", "100000", "--max-elements", "20000", "--max-work", "100000")
    small_rest = th.InferenceServerClient(f"127.0.0.1:{sp_http}")
    small_grpc = tg.InferenceServerClient(f"127.0.0.1:{sp_grpc}")
    big = rng.standard_normal((1, 1, 200, 200)).astype(np.float32)  # 160000 bytes
    # Past --max-body-bytes: RESOURCE_EXHAUSTED naming the limit, for a message up to 16 MiB past
    # it; only a message past that is refused by the transport's stream reset (CANCELLED), unread.
    try:
        small_grpc.infer("pool", [tg.InferInput("INPUT", list(big.shape), "FP32").set_data_from_numpy(big)], parameters={"kernelSize": 2})
        check("a message over --max-body-bytes: RESOURCE_EXHAUSTED naming the limit", False, "answered")
    except InferenceServerException as e:
        check("a message over --max-body-bytes: RESOURCE_EXHAUSTED naming the limit",
              e.status() == "StatusCode.RESOURCE_EXHAUSTED" and "--max-body-bytes" in e.message() and "100000" in e.message(), (e.status(), e.message()))
    huge = np.zeros((1, 1, 2100, 2100), np.float32)  # 17.6 MB: past the limit's 16 MiB headroom
    try:
        small_grpc.infer("pool", [tg.InferInput("INPUT", list(huge.shape), "FP32").set_data_from_numpy(huge)], parameters={"kernelSize": 2})
        check("a message past the headroom is refused unread", False, "answered")
    except InferenceServerException as e:
        check(f"a message past the headroom is refused unread ({e.status()}) and the server stays up",
              e.status() in ("StatusCode.RESOURCE_EXHAUSTED", "StatusCode.CANCELLED") and small_grpc.is_server_live(), (e.status(), e.message()))
    many = np.zeros((1, 1, 1, 30000), np.float16)  # 60000 bytes, 30000 elements
    rest, grpcc = small_rest, small_grpc
    r, g = call_both("pool", [("INPUT", many, "FP16")], parameters={"kernelSize": "[1, 2]"})
    check("a tensor over --max-elements: RESOURCE_EXHAUSTED with REST's 413 message", errors_match(r, g) and r[0] == "413", (r, g))
    work = np.zeros((1, 1, 100, 100), np.float32)
    r, g = call_both("pool", [("INPUT", work, "FP32")], parameters={"kernelSize": 9, "stride": 1})
    check("a call over --max-work: REST's status and message", errors_match(r, g), (r, g))
    tight, tp_http, tp_grpc = start("--max-inflight-bytes", "200000")
    grpcc = tg.InferenceServerClient(f"127.0.0.1:{tp_grpc}")
    try:
        mid = rng.standard_normal((1, 4, 100, 100)).astype(np.float32)  # 160 kB in; outputs and indices past 200 kB
        grpcc.infer("maxpool2d_k2s2", [tg.InferInput("INPUT", list(mid.shape), "FP32").set_data_from_numpy(mid)])
        check("over the memory budget: RESOURCE_EXHAUSTED", False, "answered")
    except InferenceServerException as e:
        check("over the memory budget: RESOURCE_EXHAUSTED", e.status() == "StatusCode.RESOURCE_EXHAUSTED" and "memory budget" in e.message(), (e.status(), e.message()))

    # A client deadline cancels the kernels: with one compute thread, a call past its deadline
    # leaves the thread at once for the next call.
    slow, sl_http, sl_grpc = start("--compute-threads", "1", "--max-work", "100000000000000")
    grpcc = tg.InferenceServerClient(f"127.0.0.1:{sl_grpc}")
    # lp pooling checks the flag inside a plane (every 2^15 window cells); grown until a call
    # takes over 1.5 s on this build and machine.
    heavy_params = {"mode": "lp", "p": 2.5, "kernelSize": 15, "stride": 1}
    for channels in (16, 64, 256, 1024):
        heavy = rng.standard_normal((1, channels, 100, 100)).astype(np.float32)
        heavy_in = [tg.InferInput("INPUT", list(heavy.shape), "FP32").set_data_from_numpy(heavy)]
        t0 = time.monotonic()
        grpcc.infer("pool", heavy_in, parameters=heavy_params, outputs=[tg.InferRequestedOutput("OUTPUT")])
        full = time.monotonic() - t0
        if full > 1.5:
            break
    t0 = time.monotonic()
    try:
        grpcc.infer("pool", heavy_in, parameters=heavy_params, client_timeout=0.3)
        check("a call past its deadline: DEADLINE_EXCEEDED", False, "answered")
    except InferenceServerException as e:
        check(f"a call past its 0.3 s deadline: DEADLINE_EXCEEDED (the call takes {full:.2f} s in full)", e.status() == "StatusCode.DEADLINE_EXCEEDED", (e.status(), e.message()))
    small_x = x[:1]
    grpcc.infer("maxpool2d_k2s2", [tg.InferInput("INPUT", list(small_x.shape), "FP32").set_data_from_numpy(small_x)])
    after = time.monotonic() - t0
    check(f"the kernels stopped at the deadline: the next call on the one compute thread answered {after:.2f} s after the first began",
          full > 1.0 and after < 0.3 + full / 2, (full, after))

    # Drain: the call in flight finishes; new calls are refused; the server exits 0.
    done = {}
    def in_flight():
        try:
            done["result"] = grpcc.infer("pool", heavy_in, parameters=heavy_params, outputs=[tg.InferRequestedOutput("OUTPUT")])
        except InferenceServerException as e:
            done["error"] = (e.status(), e.message())
    t = threading.Thread(target=in_flight)
    t.start()
    time.sleep(min(0.5, full / 3))
    slow.send_signal(signal.SIGTERM)
    time.sleep(0.2)
    try:
        tg.InferenceServerClient(f"127.0.0.1:{sl_grpc}").infer("maxpool2d_k2s2", [tg.InferInput("INPUT", list(small_x.shape), "FP32").set_data_from_numpy(small_x)], client_timeout=5)
        check("a new call while draining is refused UNAVAILABLE", False, "answered")
    except InferenceServerException as e:
        check("a new call while draining is refused UNAVAILABLE", e.status() == "StatusCode.UNAVAILABLE", (e.status(), e.message()))
    t.join(timeout=30)
    check("the call in flight at SIGTERM finished with its answer", "result" in done and done["result"].as_numpy("OUTPUT").shape == (1, channels, 86, 86), done.get("error"))
    check("SIGTERM: drains and exits 0", slow.wait(timeout=30) == 0)
    server.send_signal(signal.SIGTERM)
    check("SIGTERM with both front ends idle: exits 0", server.wait(timeout=30) == 0)
finally:
    stop_all()
print(f"oip-grpc-conformance: {checks} checks passed")

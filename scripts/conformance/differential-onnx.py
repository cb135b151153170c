#!/usr/bin/env python3
"""Differential test against onnxruntime: random ONNX MaxPool / AveragePool / LpPool nodes.

    scripts/conformance/differential-onnx.py BASE_URL [--cases N] [--seed S] [--only max|avg|lp] [--show K] [--v2]

(`make differential-onnx` starts a debug server for it with scripts/serve.py.)

Each case draws an ONNX node (kernel_shape, strides, auto_pad NOTSET / SAME_UPPER / SAME_LOWER /
VALID or explicit asymmetric pads, dilations, ceil_mode, count_include_pad, p, and with --v2
storage_order), runs it in onnxruntime (CPU; float32, and float64 for MaxPool), translates it into the
contract's vocabulary (pads -> padding {"begin", "end"}, auto_pad -> "same" / "same_lower" /
"valid", storage_order 1 -> indexOrder "column_major", indexSpace "tensor" since ONNX's Indices
count over the whole tensor, stride given explicitly since ONNX's default is 1) and sends it to
poolserve's forward endpoint. Outputs compare exactly for max (Indices too), within 1e-4 (float32)
or 1e-10 (float64) relative for avg and lp. ONNX has no gradient, so only forward is compared.

Each case is also computed with scripts/golden/contract_ref.py, which says who departs from whom:
"onnxruntime differs from the contract" (poolserve agrees with the contract) versus
"poolserve differs" (the contract and onnxruntime agree).
"""
import argparse
import collections
import importlib.util
import json
import os
import sys
import warnings

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir, "golden"))
import contract_ref as ref  # noqa: E402

spec = importlib.util.spec_from_file_location("differential", os.path.join(HERE, "differential.py"))
D = importlib.util.module_from_spec(spec)
spec.loader.exec_module(D)

import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402
from onnx import TensorProto, helper  # noqa: E402

ort.set_default_logger_severity(3)
OP = {"max": "MaxPool", "avg": "AveragePool", "lp": "LpPool"}


def draw(rng, only, v2):
    mode = only or str(rng.choice(["max", "avg", "lp"], p=[0.45, 0.35, 0.2]))
    d = int(rng.choice([1, 2, 3], p=[0.3, 0.5, 0.2]))
    maxn = {1: 12, 2: 8, 3: 5}[d]
    shape = [int(rng.integers(1, 3)), int(rng.integers(1, 4))] + [int(rng.integers(1, maxn + 1)) for _ in range(d)]
    spatial = shape[2:]
    k = [int(rng.integers(1, min(4, n) + 1)) for n in spatial]
    attrs = {"kernel_shape": k}
    params = {"mode": mode, "kernelSize": list(k)}
    s = [int(rng.integers(1, 4)) for _ in range(d)]
    attrs["strides"] = s
    params["stride"] = list(s)
    if rng.random() < 0.3:
        dil = [int(rng.integers(1, 3)) for _ in range(d)]
        attrs["dilations"] = dil
        params["dilation"] = dil
    r = rng.random()
    if r < 0.3:
        pads = [int(rng.integers(0, k[a])) for a in range(d)] + [int(rng.integers(0, k[a])) for a in range(d)]
        attrs["pads"] = pads
        params["padding"] = {"begin": pads[:d], "end": pads[d:]}
    elif r < 0.45:
        attrs["auto_pad"] = "SAME_UPPER"
        params["padding"] = "same"
    elif r < 0.6:
        attrs["auto_pad"] = "SAME_LOWER"
        params["padding"] = "same_lower"
    elif r < 0.7:
        attrs["auto_pad"] = "VALID"
        params["padding"] = "valid"
    if rng.random() < 0.4:
        attrs["ceil_mode"] = 1
        params["ceilMode"] = True
    if mode == "avg":
        cip = int(rng.integers(0, 2))
        attrs["count_include_pad"] = cip
        params["countIncludePad"] = bool(cip)
    if mode == "lp":
        pw = int(rng.choice([1, 2, 3, 4]))
        attrs["p"] = pw
        params["p"] = float(pw)
    if mode == "max":
        params["indexSpace"] = "tensor"
        if v2 and rng.random() < 0.4:
            attrs["storage_order"] = 1
            params["indexOrder"] = "column_major"
    # onnxruntime's CPU AveragePool and LpPool have no double kernels
    dtype = str(rng.choice(["float32", "float64"])) if mode == "max" else "float32"
    if dtype == "float64":
        params["dtype"] = "float64"
    if rng.random() < 0.35:
        x = rng.integers(0, 3, size=shape).astype(np.float64)
    else:
        x = rng.standard_normal(shape).astype(D.NP[dtype]).astype(np.float64)
    enc = str(rng.choice(["nested", "flat", "b64"]))
    return {"mode": mode, "attrs": attrs, "params": params, "x": x, "dtype": dtype, "enc": enc}


def run_ort(case):
    mode, attrs, x, dtype = case["mode"], case["attrs"], case["x"], case["dtype"]
    tp = TensorProto.FLOAT if dtype == "float32" else TensorProto.DOUBLE
    outs = ["y", "z"] if mode == "max" else ["y"]
    node = helper.make_node(OP[mode], ["x"], outs, **attrs)
    vi = [helper.make_tensor_value_info("y", tp, None)]
    if mode == "max":
        vi.append(helper.make_tensor_value_info("z", TensorProto.INT64, None))
    graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("x", tp, list(x.shape))], vi)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 22)])
    model.ir_version = 10
    sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    r = sess.run(None, {"x": x.astype(D.NP[dtype])})
    return [np.asarray(a) for a in r]


def same_cause(case):
    """Why onnxruntime's SAME padding may differ from the contract's, or None."""
    a = case["attrs"]
    if a.get("auto_pad", "NOTSET") not in ("SAME_UPPER", "SAME_LOWER"):
        return None
    x = case["x"]
    d = x.ndim - 2
    dil = a.get("dilations", [1] * d)
    causes = []
    for i in range(d):
        n, k, st = x.shape[2 + i], a["kernel_shape"][i], a["strides"][i]
        out = -(-n // st)
        if (out - 1) * st + dil[i] * (k - 1) + 1 - n < 0 or (out - 1) * st + k - n < 0:
            causes.append("SAME pad total negative (ONNX shifts the windows, the contract clamps it to 0 as TensorFlow does)")
        if dil[i] > 1 and k > 1:
            causes.append("SAME with dilation (onnxruntime pads for the undilated kernel)")
    return "; ".join(sorted(set(causes))) or None


def compare(mode, got, want, dtype, scale):
    return D.same_exact(got, want, dtype) if mode == "max" else D.same_close(got, want, dtype, scale)


def main():
    warnings.simplefilter("ignore", RuntimeWarning)
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("base_url")
    ap.add_argument("--cases", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", choices=["max", "avg", "lp"])
    ap.add_argument("--show", type=int, default=2)
    ap.add_argument("--v2", action="store_true", help="also storage_order 1 (indexOrder, contract v2)")
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    client = D.Client(args.base_url)
    counts = collections.Counter()
    fails = collections.defaultdict(list)
    examples = {}

    def fail(kind, detail, body):
        counts["FAIL " + kind] += 1
        fails[kind].append((detail, D.curl(args.base_url, "/pool/forward", body)))

    for _ in range(args.cases):
        case = draw(rng, args.only, args.v2)
        mode, params, x, dtype = case["mode"], case["params"], case["x"], case["dtype"]
        body = dict(params, input=D.encode(x, case["enc"], dtype))
        try:
            o = run_ort(case)
            ort_err = None
        except Exception as e:
            o, ort_err = None, str(e).splitlines()[0][:120]
        try:
            want_ref = ref.forward(x, params)
            ref_err = None
        except ref.Invalid as e:
            want_ref, ref_err = None, e
        status, ctype, r = client.post("/pool/forward", body)
        if ref_err is not None:
            counts["contract refuses"] += 1
            if o is not None:
                counts[f"contract refuses, onnxruntime computes ({ref_err.pointer})"] += 1
                examples.setdefault("contract refuses, onnxruntime computes", (
                    f"contract: {ref_err}; onnxruntime output shape {list(o[0].shape)} {o[0].ravel()[:4].tolist()}; "
                    f"ONNX attrs {json.dumps(case['attrs'])}; input shape {list(x.shape)}", body))
            if not 400 <= status < 500:
                fail("computes what the contract refuses", f"{status}; contract: {ref_err}", body)
            continue
        if o is None:
            counts[f"onnxruntime refuses, contract computes: {ort_err[:90]}"] += 1
        if status != 200:
            known = ""
            if status == 422 and D.has_long_kernel({"params": params, "x": x}):
                known = "known: issue 18 — "
            elif status == 422 and any(e.get("pointer") == "/indexOrder" for e in r.get("errors", [])):
                known = "known: issue 14, indexOrder not implemented yet — "
            fail(f"{known}refuses a request the contract computes"
                 + (" (onnxruntime computes it too)" if o is not None else ""), f"{status} {json.dumps(r)[:250]}", body)
            continue
        counts["answered"] += 1
        _, y = D.decode(r["output"])
        scale = D.finite_scale(x)
        ref_y = want_ref["output"]
        ref_i = None
        if mode == "max":
            ref_i = ref.tensor_index_for_layout(want_ref["indices"], x.shape, "channels_first")
        server_vs_ref = compare(mode, y, ref_y, dtype, scale)
        if mode == "max" and not server_vs_ref:
            _, zi = D.decode(r["indices"])
            server_vs_ref = D.same_exact(zi, ref_i, "float64")
        if server_vs_ref:
            fail("poolserve differs from the contract's reference", server_vs_ref, body)
        if o is None:
            continue
        ort_vs_ref = compare(mode, o[0], ref_y, dtype, scale)
        if mode == "max" and not ort_vs_ref:
            ort_vs_ref = D.same_exact(o[1], ref_i, "float64")
            if ort_vs_ref:
                ort_vs_ref = "Indices: " + ort_vs_ref
        if ort_vs_ref:
            key = "onnxruntime differs from the contract"
            tags = [t for t in ("ceil_mode", "dilations", "pads", "auto_pad", "storage_order", "count_include_pad")
                    if case["attrs"].get(t) not in (None, 0) and not (isinstance(case["attrs"][t], list)
                                                                    and not any(v > (t == "dilations") for v in case["attrs"][t]))]
            cause = same_cause(case)
            fail(f"{key} ({mode}; {cause or ', '.join(tags) or 'plain'})",
                 f"{ort_vs_ref}; ONNX attrs {json.dumps(case['attrs'])}", body)
        else:
            counts["onnxruntime = contract"] += 1
    print(f"{args.cases} ONNX cases (seed {args.seed}) against {args.base_url}, onnx {onnx.__version__}, "
          f"onnxruntime {ort.__version__}")
    for k, n in sorted(counts.items()):
        print(f"  {n:6d}  {k}")
    for kind, (detail, body) in examples.items():
        print(f"\n-- {kind}, e.g.:\n   {detail}\n   {D.curl(args.base_url, '/pool/forward', body)}")
    for kind, items in sorted(fails.items()):
        print(f"\n== {kind}: {len(items)}")
        for detail, c in sorted(items, key=lambda it: len(it[1]))[:args.show]:
            print("  ", detail)
            print("  ", c)
    sys.exit(1 if any(k.startswith("FAIL") and "onnxruntime differs" not in k and "known" not in k for k in counts) else 0)


if __name__ == "__main__":
    main()

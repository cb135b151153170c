#!/usr/bin/env python3
"""ONNX's own pooling numbers under `convention: "onnx"` (with `opset`):
Tests/Fixtures/conventions/onnx.json.

The answer of every case is onnxruntime's (CPUExecutionProvider), running a one-node model
(MaxPool / AveragePool / LpPool) of the case's opset:

- MaxPool is always run **with its Indices output** (onnxruntime's MaxPool{1,2,3}DTask path: the
  first real cell of a window is taken, NaN included, then replaced only by a strictly greater
  cell). onnxruntime's MaxPool *without* the Indices output takes other code paths (MLAS) with
  other NaN / -inf / ±0 rules; where it differs, the case lists its output under
  `others["onnxruntime, no Indices output"]`.
- Indices are ONNX's own: (n*C + c)*S + s over the whole tensor (`indexSpace: "tensor"`), s
  row-major, or column-major with storage_order 1 (`indexOrder: "column_major"`).
- ONNX defines no gradient: no case has gradOutput or gradInput.
- The ONNX reference evaluator (onnx.reference.ReferenceEvaluator) runs every case too; where it
  gives another shape or other values (beyond 1e-6 relative for avg / lp), or fails, the case
  lists it under `others["onnx.reference"]` and says so in `note`. Where ONNX's own shape
  inference of the model gives another output shape than onnxruntime, the case lists it as
  `shapeInference`.

Max cases are checked against the rule model of conventions_common.py (values and indices; the
index of a window without any real cell is onnxruntime's own, not modelled).
"""
import warnings

import numpy as np
import onnx
import onnxruntime as ort
from onnx import helper, TensorProto
from onnx.reference import ReferenceEvaluator

import conventions_common as cc
from conventions_common import NAN, INF, flat

SEED = 2502
ort.set_default_logger_severity(4)
REF_DISAGREE = []


def model_of(op, shape, attrs, opset, indices, dtype):
    elem = TensorProto.DOUBLE if dtype == np.float64 else TensorProto.FLOAT
    outs = ["y", "i"] if indices else ["y"]
    node = helper.make_node(op, ["x"], outs, **attrs)
    vi = [helper.make_tensor_value_info("y", elem, None)]
    if indices:
        vi.append(helper.make_tensor_value_info("i", TensorProto.INT64, None))
    g = helper.make_graph([node], "g", [helper.make_tensor_value_info("x", elem, list(shape))], vi)
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)],
                             ir_version=8 if opset <= 18 else 10)


def ort_run(m, x):
    so = ort.SessionOptions()
    so.log_severity_level = 4
    s = ort.InferenceSession(m.SerializeToString(), so, providers=["CPUExecutionProvider"])
    return s.run(None, {"x": x})


def ref_run(m, x):
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return ReferenceEvaluator(m).run(None, {"x": x}), None
    except Exception as e:  # noqa: BLE001
        return None, f"{type(e).__name__}: {str(e).splitlines()[0][:160]}"


def inferred_shape(m):
    try:
        inf = onnx.shape_inference.infer_shapes(m, strict_mode=True)
        t = inf.graph.output[0].type.tensor_type
        return [d.dim_value if d.HasField("dim_value") else None for d in t.shape.dim]
    except Exception as e:  # noqa: BLE001
        return f"{type(e).__name__}: {str(e).splitlines()[0][:120]}"


def geometry(x, attrs):
    sp = x.shape[2:]
    nd = len(sp)
    k = attrs["kernel_shape"]
    s = attrs.get("strides", [1] * nd)
    d = attrs.get("dilations", [1] * nd)
    auto = attrs.get("auto_pad", "NOTSET")
    if auto in ("SAME_UPPER", "SAME_LOWER"):
        pairs = [cc.same_pads(sp[i], k[i], s[i], d[i], lower=auto == "SAME_LOWER") for i in range(nd)]
        pb, pe = [p[0] for p in pairs], [p[1] for p in pairs]
    else:
        pads = attrs.get("pads", [0] * 2 * nd)
        pb, pe = pads[:nd], pads[nd:]
    out = [cc.out_extent(sp[i], k[i], s[i], pb[i], pe[i], d[i], ceil=bool(attrs.get("ceil_mode", 0)))
           for i in range(nd)]
    return k, s, d, pb, pe, out, auto


def params_for(op, x, attrs, opset):
    k, s, d, pb, pe, out, auto = geometry(x, attrs)
    mode = {"MaxPool": "max", "AveragePool": "avg", "LpPool": "lp"}[op]
    pad = {"SAME_UPPER": "same", "SAME_LOWER": "same_lower"}.get(auto) or cc.padding_param(pb, pe)
    extra = {}
    if any(v != 1 for v in d):
        extra["dilation"] = list(d)
    if attrs.get("ceil_mode"):
        extra["ceilMode"] = True
    if mode == "avg":
        extra["countIncludePad"] = bool(attrs.get("count_include_pad", 0))
    if mode == "lp":
        extra["p"] = attrs.get("p", 2)
    if mode == "max":
        extra["indexSpace"] = "tensor"
        if attrs.get("storage_order", 0) == 1:
            extra["indexOrder"] = "column_major"
    return cc.params_of("onnx", mode, k, s, pad, extra, opset=opset)


def tensor_indices(sel, x, order):
    """Model plane indices -> ONNX tensor indices (row-major or column-major spatial)."""
    N, C = x.shape[:2]
    sp = x.shape[2:]
    S = int(np.prod(sp))
    pos = np.where(sel >= 0, sel, 0)
    if order == 1:
        coords = np.unravel_index(pos, sp)
        pos = np.ravel_multi_index(coords, sp, order="F")
    nc = (np.arange(N).reshape(N, 1) * C + np.arange(C).reshape(1, C)).reshape((N, C) + (1,) * len(sp))
    return np.where(sel >= 0, nc * S + pos, -1)


def make_case(name, op, x, attrs, opset, note=None):
    is_max = op == "MaxPool"
    m = model_of(op, x.shape, attrs, opset, is_max, x.dtype)
    outs = ort_run(m, x)
    y = outs[0]
    params = params_for(op, x, attrs, opset)
    case = {"name": name, "dtype": str(x.dtype),
            "evaluator": f"onnxruntime {ort.__version__} {op}-opset{opset}" + (" with Indices" if is_max else ""),
            "params": params, "input": flat(x), "output": flat(y)}
    others = {}
    k, s, d, pb, pe, out, _ = geometry(x, attrs)
    if list(y.shape[2:]) != out:
        raise SystemExit(f"{name}: onnxruntime's output shape {list(y.shape)} is not the drop-rule shape {out}")
    if is_max:
        z = outs[1]
        case["indices"] = flat(z, integer=True)
        want_y, sel = cc.first_cell_rule(x, list(k), list(s), pb, list(d), out)
        if not cc.same_bits(y, want_y):
            raise SystemExit(f"{name}: output differs from the first-cell rule\n{y.ravel()}\n{want_y.ravel()}")
        want_z = tensor_indices(sel, x, attrs.get("storage_order", 0))
        known = sel >= 0
        if not np.array_equal(z[known], want_z[known]):
            raise SystemExit(f"{name}: indices differ from the first-cell rule\n{z.ravel()}\n{want_z.ravel()}")
        if not known.all():
            case.setdefault("notes", []).append(
                f"windows without any real cell: onnxruntime gives the lowest float and index(es) "
                f"{sorted(set(z[~known].tolist()))}")
        y_noidx = ort_run(model_of(op, x.shape, attrs, opset, False, x.dtype), x)[0]
        if not cc.same_bits(y_noidx, y):
            others["onnxruntime, no Indices output"] = {"output": flat(y_noidx)}
    ref, err = ref_run(m, x)
    if err:
        others["onnx.reference"] = {"error": err}
    else:
        ry = ref[0]
        if ry.shape != y.shape:
            same = False
        elif is_max:
            same = cc.same_bits(ry, y) and np.array_equal(ref[1], outs[1])
        else:
            with np.errstate(all="ignore"):
                same = np.allclose(ry, y, rtol=1e-6, atol=0, equal_nan=True) and np.array_equal(np.isnan(ry), np.isnan(y))
        if not same:
            others["onnx.reference"] = {"output": flat(ry)}
            if is_max:
                others["onnx.reference"]["indices"] = flat(ref[1], integer=True)
    if "onnx.reference" in others:
        REF_DISAGREE.append(name)
    si = inferred_shape(m)
    if si != list(y.shape):
        case["shapeInference"] = si
    if others:
        case["others"] = others
    notes = case.pop("notes", [])
    if note:
        notes.insert(0, note)
    if "onnx.reference" in others:
        notes.append("the ONNX reference evaluator disagrees (others['onnx.reference']); output is onnxruntime's")
    if notes:
        case["note"] = "; ".join(notes)
    return case


def main():
    rng = np.random.default_rng(SEED)
    f32, f64 = np.float32, np.float64
    C = []
    # ---------------- MaxPool
    for dt, tag in ((f32, "f32"), (f64, "f64")):
        x = cc.randn(rng, (2, 2, 5, 6), dt)
        C.append(make_case(f"max2d_random_k2s2_{tag}", "MaxPool", x, dict(kernel_shape=[2, 2], strides=[2, 2]), 22))
        C.append(make_case(f"max2d_random_k3s1_pads1_{tag}", "MaxPool", x, dict(kernel_shape=[3, 3], strides=[1, 1], pads=[1, 1, 1, 1]), 22))
        C.append(make_case(f"max2d_random_k3s2_asym_{tag}", "MaxPool", x, dict(kernel_shape=[3, 2], strides=[2, 2], pads=[0, 1, 2, 1]), 22))
        C.append(make_case(f"max2d_random_same_upper_colmajor_{tag}", "MaxPool", x, dict(kernel_shape=[3, 3], strides=[2, 2], auto_pad="SAME_UPPER", storage_order=1), 22))
        C.append(make_case(f"max2d_random_same_lower_{tag}", "MaxPool", x, dict(kernel_shape=[2, 3], strides=[2, 2], auto_pad="SAME_LOWER"), 22))
        x = cc.small_int_input(rng, (1, 2, 5, 5), dt)
        C.append(make_case(f"max2d_ties_k3s1_pads1_{tag}", "MaxPool", x, dict(kernel_shape=[3, 3], strides=[1, 1], pads=[1, 1, 1, 1]), 22))
        C.append(make_case(f"max2d_ties_k2s1_colmajor_{tag}", "MaxPool", x, dict(kernel_shape=[2, 2], strides=[1, 1], storage_order=1), 22))
        x = cc.randn(rng, (2, 3, 8), dt)
        C.append(make_case(f"max1d_random_k3s2_asym_{tag}", "MaxPool", x, dict(kernel_shape=[3], strides=[2], pads=[2, 1]), 22))
    x = cc.randn(rng, (1, 2, 3, 4, 4), f32)
    C.append(make_case("max3d_k2s2_pads_colmajor", "MaxPool", x, dict(kernel_shape=[2, 2, 2], strides=[2, 2, 2], pads=[1, 0, 1, 0, 1, 1], storage_order=1), 22))
    x = cc.randn(rng, (1, 1, 4, 5), f32)
    C.append(make_case("max2d_opset8", "MaxPool", x, dict(kernel_shape=[2, 2], strides=[2, 1], pads=[1, 0, 0, 1]), 8))
    # NaN
    x = np.array([1, NAN, 3, 2, NAN, 1, 0, 0, 1, NAN, 0, 0, NAN, NAN, 0, 0, NAN, 3, NAN, 1, 1, NAN, NAN, 2], f32).reshape(1, 1, -1)
    C.append(make_case("max1d_nan_windows_k4", "MaxPool", x, dict(kernel_shape=[4], strides=[4]), 22))
    x = np.array([NAN, 1, 1, NAN, NAN, NAN, -INF, NAN, NAN, -INF, 2, 2], f32).reshape(1, 1, -1)
    C.append(make_case("max1d_nan_pairs_k2", "MaxPool", x, dict(kernel_shape=[2], strides=[2]), 22))
    C.append(make_case("max1d_nan_overlap_k3s1_pads1", "MaxPool", x, dict(kernel_shape=[3], strides=[1], pads=[1, 1]), 22))
    for dt, tag in ((f32, "f32"), (f64, "f64")):
        x = cc.sprinkle(rng, cc.randn(rng, (1, 2, 6, 6), dt), 0.25, [NAN])
        C.append(make_case(f"max2d_nan_k2s2_{tag}", "MaxPool", x, dict(kernel_shape=[2, 2], strides=[2, 2]), 22))
        C.append(make_case(f"max2d_nan_k2s1_{tag}", "MaxPool", x, dict(kernel_shape=[2, 2], strides=[1, 1]), 22))
        C.append(make_case(f"max2d_nan_k3s2_pads1_{tag}", "MaxPool", x, dict(kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]), 22))
    x = cc.sprinkle(rng, cc.randn(rng, (1, 1, 5, 5), f32), 0.6, [NAN])
    C.append(make_case("max2d_many_nan_k2s1", "MaxPool", x, dict(kernel_shape=[2, 2], strides=[1, 1]), 22))
    # ±Inf, all -inf windows
    x = cc.sprinkle(rng, cc.randn(rng, (1, 2, 6, 6), f32), 0.3, [INF, -INF])
    C.append(make_case("max2d_inf_k2s2_pads1", "MaxPool", x, dict(kernel_shape=[2, 2], strides=[2, 2], pads=[1, 1, 1, 1]), 22))
    x = np.full((1, 1, 4, 4), -INF, f32)
    x[0, 0, 0, 0] = 1
    C.append(make_case("max2d_all_neginf_windows_k2s2", "MaxPool", x, dict(kernel_shape=[2, 2], strides=[2, 2]), 22))
    C.append(make_case("max2d_all_neginf_windows_k2s1_pads1", "MaxPool", x, dict(kernel_shape=[2, 2], strides=[1, 1], pads=[1, 1, 1, 1]), 22))
    # signed zeros
    z = [-0.0, 0.0, 0.0, -0.0, -0.0, -0.0, 0.0, 0.0, -0.0, 0.0, 0.0, -0.0]
    for dt, tag in ((f32, "f32"), (f64, "f64")):
        C.append(make_case(f"max1d_signed_zero_k2_{tag}", "MaxPool", np.array(z, dt).reshape(1, 1, -1), dict(kernel_shape=[2], strides=[2]), 22))
    x = np.array([-0.0, 0.0, 0.0, -0.0, -0.0, -0.0, 0.0, 0.0], f32).reshape(1, 1, 2, 4)
    C.append(make_case("max2d_signed_zero_k2s2", "MaxPool", x, dict(kernel_shape=[2, 2], strides=[2, 2]), 22))
    C.append(make_case("max2d_signed_zero_k2s1", "MaxPool", x, dict(kernel_shape=[2, 2], strides=[1, 1]), 22))
    # dilation; windows without any real cell
    x = cc.sprinkle(rng, cc.randn(rng, (1, 2, 7, 7), f32), 0.1, [NAN])
    C.append(make_case("max2d_dilation2_k2s1_pads1", "MaxPool", x, dict(kernel_shape=[2, 2], strides=[1, 1], pads=[1, 1, 1, 1], dilations=[2, 2]), 22))
    C.append(make_case("max2d_dilation_1x3_k2s2_opset10", "MaxPool", x, dict(kernel_shape=[2, 2], strides=[2, 2], pads=[0, 1, 1, 0], dilations=[1, 3]), 10))
    x = np.array([-5.0, 3.0], f32).reshape(1, 1, 2)
    C.append(make_case("max1d_empty_window_dilation", "MaxPool", x[:, :, :1], dict(kernel_shape=[2], strides=[1], pads=[1, 1], dilations=[2]), 22))
    C.append(make_case("max2d_empty_window_dilation", "MaxPool", np.array([-5.0, -6.0], f32).reshape(1, 1, 1, 2),
                       dict(kernel_shape=[1, 2], strides=[1, 1], pads=[0, 1, 0, 1], dilations=[1, 3]), 22))
    C.append(make_case("max2d_empty_window_dilation_n2c2", "MaxPool", cc.randn(rng, (2, 2, 1, 2), f32),
                       dict(kernel_shape=[1, 2], strides=[1, 1], pads=[0, 1, 0, 1], dilations=[1, 3]), 22))
    # ceil mode per opset: a window that would start in the end padding; overhang; k1 s2
    for opset in (10, 12, 19, 21, 22):
        x = -np.arange(1, 7, dtype=f32).reshape(1, 1, 6)
        C.append(make_case(f"max1d_ceil_window_in_end_pad_opset{opset}", "MaxPool", x, dict(kernel_shape=[2], strides=[2], pads=[0, 1], ceil_mode=1), opset))
        x = cc.randn(rng, (1, 1, 2, 2), f32)
        C.append(make_case(f"max2d_ceil_k3s3_pads1_opset{opset}", "MaxPool", x, dict(kernel_shape=[3, 3], strides=[3, 3], pads=[1, 1, 1, 1], ceil_mode=1), opset))
        x = cc.randn(rng, (1, 2, 5, 6), f32)
        C.append(make_case(f"max2d_ceil_overhang_k2s2_opset{opset}", "MaxPool", x, dict(kernel_shape=[3, 2], strides=[2, 2], pads=[1, 0, 0, 0], ceil_mode=1), opset))
        x = cc.randn(rng, (1, 1, 4), f32)
        C.append(make_case(f"max1d_ceil_k1s2_opset{opset}", "MaxPool", x, dict(kernel_shape=[1], strides=[2], ceil_mode=1), opset))
    # ---------------- AveragePool
    for opset in (11, 19, 22):
        x = cc.randn(rng, (2, 2, 5, 5), f32)
        for cip in (0, 1):
            C.append(make_case(f"avg2d_k3s2_pads1_cip{cip}_opset{opset}", "AveragePool", x, dict(kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], count_include_pad=cip), opset))
            C.append(make_case(f"avg2d_k2x3_asym_cip{cip}_opset{opset}", "AveragePool", x, dict(kernel_shape=[2, 3], strides=[1, 2], pads=[1, 0, 0, 2], count_include_pad=cip), opset))
    x = cc.randn(rng, (1, 2, 5, 6), f32)
    for cip in (0, 1):
        C.append(make_case(f"avg2d_same_upper_cip{cip}", "AveragePool", x, dict(kernel_shape=[3, 3], strides=[2, 2], auto_pad="SAME_UPPER", count_include_pad=cip), 22))
        C.append(make_case(f"avg2d_same_lower_cip{cip}", "AveragePool", x, dict(kernel_shape=[2, 3], strides=[2, 2], auto_pad="SAME_LOWER", count_include_pad=cip), 22))
    for opset in (10, 12, 19, 21, 22):
        for cip in (0, 1):
            x = cc.randn(rng, (1, 1, 6), f32)
            C.append(make_case(f"avg1d_ceil_overhang_k3s2_pads1_cip{cip}_opset{opset}", "AveragePool", x, dict(kernel_shape=[3], strides=[2], pads=[1, 1], ceil_mode=1, count_include_pad=cip), opset))
            x = cc.randn(rng, (1, 1, 2, 2), f32)
            C.append(make_case(f"avg2d_ceil_last_window_starts_on_pad_cip{cip}_opset{opset}", "AveragePool", x, dict(kernel_shape=[3, 3], strides=[3, 3], pads=[1, 1, 1, 1], ceil_mode=1, count_include_pad=cip), opset))
        x = cc.randn(rng, (1, 2, 4, 5), f32)
        C.append(make_case(f"avg2d_ceil_overhang_nopad_opset{opset}", "AveragePool", x, dict(kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1, count_include_pad=1), opset))
    x = cc.randn(rng, (1, 2, 7, 6), f32)
    for cip in (0, 1):
        C.append(make_case(f"avg2d_dilation2_cip{cip}", "AveragePool", x, dict(kernel_shape=[2, 2], strides=[1, 2], pads=[1, 1, 1, 0], dilations=[2, 2], count_include_pad=cip), 19))
        C.append(make_case(f"avg1d_empty_window_dilation_cip{cip}", "AveragePool", np.array([-5.0], f32).reshape(1, 1, 1), dict(kernel_shape=[2], strides=[1], pads=[1, 1], dilations=[2], count_include_pad=cip), 22))
        x = cc.sprinkle(rng, cc.randn(rng, (1, 1, 4, 4), f32), 0.2, [NAN, INF, -INF])
        C.append(make_case(f"avg2d_nan_inf_pads1_cip{cip}", "AveragePool", x, dict(kernel_shape=[2, 2], strides=[1, 1], pads=[1, 1, 1, 1], count_include_pad=cip), 22))
    x = cc.randn(rng, (1, 1, 3, 4, 4), f32)
    C.append(make_case("avg3d_k2s2_pads_cip0", "AveragePool", x, dict(kernel_shape=[2, 2, 2], strides=[2, 2, 2], pads=[1, 1, 1, 0, 1, 1]), 22))
    # ---------------- LpPool
    for p in (1, 2, 3):
        x = cc.randn(rng, (1, 2, 5, 5), f32)  # about half negative
        C.append(make_case(f"lp2d_p{p}_k2s2_pads1_opset22", "LpPool", x, dict(kernel_shape=[2, 2], strides=[2, 2], pads=[1, 0, 1, 1], p=p), 22))
        C.append(make_case(f"lp2d_p{p}_k3s1_opset11", "LpPool", x, dict(kernel_shape=[3, 3], strides=[1, 1], p=p), 11))
        x = -np.abs(cc.randn(rng, (1, 1, 7), f32))
        C.append(make_case(f"lp1d_p{p}_all_negative_k3s2", "LpPool", x, dict(kernel_shape=[3], strides=[2], p=p), 22))
        for opset in (18, 22):
            x = cc.randn(rng, (1, 1, 5), f32)
            C.append(make_case(f"lp1d_p{p}_ceil_overhang_opset{opset}", "LpPool", x, dict(kernel_shape=[2], strides=[2], ceil_mode=1, p=p), opset))
    x = cc.randn(rng, (1, 2, 6, 6), f32)
    C.append(make_case("lp2d_p2_dilation2_pads1", "LpPool", x, dict(kernel_shape=[2, 2], strides=[1, 1], pads=[1, 1, 1, 1], dilations=[2, 2], p=2), 18))
    C.append(make_case("lp1d_empty_window_dilation", "LpPool", np.array([-5.0], f32).reshape(1, 1, 1), dict(kernel_shape=[2], strides=[1], pads=[1, 1], dilations=[2], p=2), 22))
    x = cc.sprinkle(rng, cc.randn(rng, (1, 1, 4, 4), f32), 0.2, [NAN, INF, -INF])
    C.append(make_case("lp2d_nan_inf_p2", "LpPool", x, dict(kernel_shape=[2, 2], strides=[1, 1], pads=[1, 1, 1, 1], p=2), 22))
    # what onnxruntime rejects (no case)
    rejects = []
    for what, op, x, attrs, opset in [
            ("AveragePool float64", "AveragePool", np.zeros((1, 1, 4), f64), dict(kernel_shape=[2], strides=[2]), 22),
            ("LpPool float64", "LpPool", np.zeros((1, 1, 4), f64), dict(kernel_shape=[2], strides=[2]), 22),
            ("MaxPool pads == kernel", "MaxPool", np.zeros((1, 1, 4), f32), dict(kernel_shape=[2], strides=[2], pads=[2, 0]), 22),
            ("AveragePool pads == kernel", "AveragePool", np.zeros((1, 1, 4), f32), dict(kernel_shape=[2], strides=[2], pads=[0, 2]), 22),
            ("MaxPool ceil_mode at opset 8", "MaxPool", np.zeros((1, 1, 5), f32), dict(kernel_shape=[2], strides=[2], ceil_mode=1), 8),
            ("AveragePool dilations at opset 18", "AveragePool", np.zeros((1, 1, 5), f32), dict(kernel_shape=[2], strides=[1], dilations=[2]), 18)]:
        try:
            ort_run(model_of(op, x.shape, attrs, opset, False, x.dtype), x)
            rejects.append(f"{what}: ACCEPTED")
        except Exception as e:  # noqa: BLE001
            rejects.append(f"{what}: {str(e).splitlines()[0][:170]}")
    print("onnxruntime rejects:")
    for r in rejects:
        print("  -", r)
    print(f"the ONNX reference evaluator disagrees on {len(REF_DISAGREE)} of {len(C)} cases:", ", ".join(REF_DISAGREE))
    cc.write("onnx.json", f"onnxruntime {ort.__version__} CPUExecutionProvider (primary); onnx {onnx.__version__} "
             f"reference evaluator (others); numpy {np.__version__}", SEED, C)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Differential test: random pooling requests against a running poolserve, compared with PyTorch.

    scripts/conformance/differential.py BASE_URL [--cases N] [--seed S] [--only TAG[,TAG...]] [--show K]
    scripts/conformance/differential.py --self-check [--cases N]      # PyTorch vs the contract reference only

(`make differential` starts a debug server for it with scripts/serve.py.)

Each case draws a rank (1-3 spatial dims), shapes, a mode (max / avg / lp), windows (kernel,
stride, symmetric / asymmetric / "same" / "same_lower" / "valid" padding, dilation, ceilMode,
including ceil-mode kernels longer than the padded input), countIncludePad, divisorOverride,
adaptive outputSize or global, a layout, a dtype, values (normal, small integers for ties, NaN
runs and +-Inf), the request's tensor encoding and sometimes another response `encoding`, an
indexSpace, and now and then ties / nan options or an invalid field.

Expected results come from PyTorch (CPU, run here) wherever PyTorch can express the request:
max_poolNd / avg_poolNd / adaptive pools with autograd for the gradients, lp as
(sum-pool of |x|^p)^(1/p) with the contract's gradient sign(x)|x|^(p-1)/y^(p-1) (0 where y = 0).
Where PyTorch cannot (asymmetric or "same" padding, padding over half the kernel, avg/lp with
dilation, adaptive/global lp, ties "last"/"split", nan "ignore"), the expectation is
scripts/golden/contract_ref.py, a literal window-by-window reading of shared/API.md; where both
exist they are compared as well, so that the reference stays honest ("reference vs PyTorch").

For each case: forward (output, indices, mask, outputShape, response form), backward from input,
and for max backward from indices (+ inputShape), avg backward from inputShape alone now and then.
Max compares exactly (indices too); avg and lp with a relative tolerance of 1e-4 (float32) or
1e-10 (float64). A request the contract refuses must get a 4xx problem+json whose errors name a
field (a JSON pointer); a request that poolserve refuses while the contract and PyTorch compute it
is a failure. Known causes are labelled: "issue 9" (several NaNs in a window: poolserve picks the
first), "issue 18" (ceil-mode window longer than the padded input refused).

--only keeps cases carrying every listed tag, e.g. max, avg, lp, fixed, adaptive, global, ceil,
long-kernel, dilation, padding, asym-padding, same, nonfinite, ties, channels_last, float64,
nested, flat, b64, invalid, 1d, 2d, 3d; with --v2 also v2, fractional, boundaries, column_major,
lpAbs, wire16, float16, bfloat16.

--v2 adds the contract's v2 features to some cases: fractional pooling (samples, checked against
F.fractional_max_pool2d/3d; boundaries, against the reference), indexOrder "column_major",
lpAbs false (against F.lp_poolNd, floor mode), float16/bfloat16 b64 tensors (expected: PyTorch in
float32 rounded to the wire type; max exact, avg within one unit in the wire type's last place).
A server without them answers 422 naming the field: filed as "issue 14, v2 not implemented yet".

Exit status 1 when a failure is not explained by a known issue, or the reference and PyTorch
disagree.
"""
import argparse
import base64
import collections
import json
import math
import os
import re
import sys

import warnings

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "golden"))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "lib"))
from json_client import JSONClient  # noqa: E402
import contract_ref as ref  # noqa: E402

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # pragma: no cover
    sys.exit("needs torch")

RTOL = {"float32": 1e-4, "float64": 1e-10}
NP = {"float32": np.float32, "float64": np.float64}
TT = {"float32": torch.float32, "float64": torch.float64}
WIRE = {"float16": torch.float16, "bfloat16": torch.bfloat16}


# ----------------------------------------------------------------------------- case generation

def draw_case(rng, v2=False):
    """One random request: params (no tensors), channels_first values, and how to send them."""
    tags = set()
    d = int(rng.choice([1, 2, 3], p=[0.35, 0.45, 0.2]))
    tags.add(f"{d}d")
    maxn = {1: 14, 2: 8, 3: 5}[d]
    N, C = int(rng.integers(1, 3)), int(rng.integers(1, 4))
    spatial = [int(rng.integers(1, maxn + 1)) for _ in range(d)]
    mode = str(rng.choice(["max", "avg", "lp"], p=[0.5, 0.3, 0.2]))
    tags.add(mode)
    dtype = str(rng.choice(["float32", "float64"]))
    tags.add(dtype)
    layout = str(rng.choice(["channels_first", "channels_last"], p=[0.6, 0.4]))
    tags.add(layout)
    params = {"mode": mode}
    if layout == "channels_last" or rng.random() < 0.2:
        params["layout"] = layout
    if dtype == "float64" or rng.random() < 0.2:
        params["dtype"] = dtype
    kind = rng.random()
    if kind < 0.12:
        tags.add("adaptive")
        out = [int(rng.integers(1, n + 3)) for n in spatial]
        params["outputSize"] = out if (d > 1 or rng.random() < 0.5) else out[0]
    elif kind < 0.17:
        tags.add("global")
        params["global"] = True
    else:
        tags.add("fixed")
        draw_fixed(rng, params, spatial, tags)
    if mode == "avg":
        if rng.random() < 0.5:
            params["countIncludePad"] = bool(rng.random() < 0.5)
        if rng.random() < 0.15:
            params["divisorOverride"] = int(rng.integers(1, 10))
    if mode == "lp":
        params["p"] = float(rng.choice([1.0, 2.0, 3.0, 1.5, round(float(rng.uniform(1.0, 6.0)), 3)]))
    if mode == "max":
        if rng.random() < 0.3:
            params["indexSpace"] = str(rng.choice(["plane", "tensor"]))
        r = rng.random()
        if r < 0.06:
            params["ties"] = str(rng.choice(["last", "split"]))
            tags.add("ties-option")
        elif r < 0.1:
            params["nan"] = "ignore"
            tags.add("nan-option")
    # values
    shape = [N, C] + spatial
    v = rng.random()
    if v < 0.35:
        x = rng.integers(0, 3, size=shape).astype(np.float64)
        tags.add("ties")
    else:
        x = rng.standard_normal(shape).astype(NP[dtype]).astype(np.float64)
    if rng.random() < 0.2:
        tags.add("nonfinite")
        f = x.reshape(-1)
        for _ in range(int(rng.integers(1, 4))):
            s = int(rng.integers(f.size))
            f[s:s + int(rng.integers(1, 4))] = np.nan
        if rng.random() < 0.6:
            f[int(rng.integers(f.size))] = np.inf
        if rng.random() < 0.6:
            f[int(rng.integers(f.size))] = -np.inf
    # encodings
    enc = str(rng.choice(["nested", "flat", "b64"]))
    tags.add(enc)
    if rng.random() < 0.25:
        params["encoding"] = str(rng.choice(["nested", "flat", "b64"]))
    if mode == "max" and rng.random() < 0.15:
        ret = [r for r in ("output", "indices", "mask") if rng.random() < 0.6] or ["output"]
        params["return"] = ret
    case = {"params": params, "x": x, "dtype": dtype, "layout": layout, "enc": enc, "tags": tags,
            "rng_seed": int(rng.integers(2**31))}
    if v2 and rng.random() < 0.45:
        add_v2(rng, case)
    # now and then, break one field
    if rng.random() < 0.07 and "fractional" not in params:
        tags.add("invalid")
        break_field(rng, params, d)
    return case


WINDOW_FIELDS = ("kernelSize", "stride", "padding", "dilation", "ceilMode", "outputSize", "global")


def add_v2(rng, case):
    """(v2) One of fractional pooling, column-major indices, PyTorch's lp, a 16-bit wire type."""
    p, x, tags = case["params"], case["x"], case["tags"]
    spatial = list(x.shape[2:])
    d = len(spatial)
    N, C = x.shape[:2]
    mode = p["mode"]
    options = ["fractional"] + (["column_major"] if mode == "max" else []) \
        + (["lpAbs"] if mode == "lp" and "kernelSize" in p else []) + (["wire16"] if mode in ("max", "avg") else [])
    what = str(rng.choice(options))
    tags.add("v2")
    tags.add(what)
    if what == "fractional":
        for f in WINDOW_FIELDS + ("ties", "nan", "countIncludePad", "divisorOverride", "p"):
            p.pop(f, None)
        p["mode"] = "max"
        tags.discard(mode)
        tags.add("max")
        r = rng.random()
        if r < 0.2:  # TensorFlow's boundaries
            bounds = []
            for n in spatial:
                m = int(rng.integers(1, n + 1))
                inner = sorted(int(v) for v in rng.choice(np.arange(1, n), size=m - 1, replace=False)) if m > 1 else []
                bounds.append([0] + inner + [n])
            p["fractional"] = {"boundaries": bounds, "overlapping": bool(rng.random() < 0.5)}
            tags.add("boundaries")
            return
        k = [int(rng.integers(1, min(4, n) + 1)) for n in spatial]
        m = [int(rng.integers(1, n - kk + 2)) for n, kk in zip(spatial, k)]
        u = rng.random((N, C, d)).astype(NP[case["dtype"]]).astype(np.float64)
        frac = {"samples": {"shape": [N, C, d], "data": u.reshape(-1).tolist()}}
        ratio = [round((mm + 0.5) / n, 3) for mm, n in zip(m, spatial)]
        if r < 0.45 and all(0 < q < 1 and math.floor(n * q) == mm for q, n, mm in zip(ratio, spatial, m)):
            frac["outputRatio"] = ratio
        else:
            frac["outputSize"] = m
        p["kernelSize"] = k
        p["fractional"] = frac
    elif what == "column_major":
        p["indexOrder"] = "column_major"
    elif what == "lpAbs":
        for f in ("padding", "dilation", "ceilMode"):
            p.pop(f, None)
        p["lpAbs"] = False
        k = ref.per_axis(p["kernelSize"], d, "kernelSize")
        p["kernelSize"] = [min(kk, n) for kk, n in zip(k, spatial)]
    else:
        wire = str(rng.choice(["float16", "bfloat16"]))
        case["wire"] = wire
        case["dtype"] = "float32"
        p.pop("dtype", None)
        p.pop("encoding", None)
        case["enc"] = "b64"
        scale = 1.0 if rng.random() < 0.7 else (3.0e4 if wire == "float16" else 1e38)
        case["x"] = to_wire(x * scale, wire)
        tags.add(wire)


def draw_fixed(rng, params, spatial, tags):
    d = len(spatial)
    # mostly kernels that fit (so that most cases compute), sometimes any
    k = [int(rng.integers(1, (min(4, n) if rng.random() < 0.85 else 4) + 1)) for n in spatial]
    s = [int(rng.integers(1, 4)) for _ in range(d)]
    dil = [1] * d
    if rng.random() < 0.25:
        dil = [int(rng.integers(1, 4)) if k[a] > 1 else 1 for a in range(d)]
        dil = [v if (k[a] - 1) * v < spatial[a] or rng.random() < 0.2 else 1 for a, v in enumerate(dil)]
        if dil != [1] * d:
            tags.add("dilation")
    ceil = bool(rng.random() < 0.4)
    pr = rng.random()
    pb = pe = [0] * d
    if pr < 0.3:
        pb = [int(rng.integers(0, k[a] // 2 + 1)) for a in range(d)]
        pe = pb
        params["padding"] = pb if (d > 1 or rng.random() < 0.5) else pb[0]
        tags.add("padding")
    elif pr < 0.36:
        pb = [int(rng.integers(0, k[a] + 1)) for a in range(d)]
        pe = [int(rng.integers(0, k[a] + 1)) for a in range(d)]
        params["padding"] = {"begin": pb, "end": pe}
        tags.add("asym-padding")
    elif pr < 0.42:
        params["padding"] = str(rng.choice(["same", "same_lower", "valid"]))
        tags.add("same")
    if ceil and rng.random() < 0.3 and params.get("padding") not in ("same", "same_lower"):
        # a kernel longer than the padded input, still valid in ceil mode (overhang < stride)
        a = int(rng.integers(d))
        s[a] = int(rng.integers(2, 5))
        dil[a] = 1
        k[a] = spatial[a] + pb[a] + pe[a] + int(rng.integers(1, s[a]))
        tags.add("long-kernel")
    params["kernelSize"] = k if (d > 1 or rng.random() < 0.5) else k[0]
    if rng.random() < 0.85:
        params["stride"] = s
    if dil != [1] * d:
        params["dilation"] = dil
    if ceil:
        params["ceilMode"] = True
        tags.add("ceil")


def break_field(rng, params, d):
    choices = ["strides", "kernel0", "stride0", "pad-neg", "divisor0", "p0", "kernel-len", "huge-kernel"]
    what = str(rng.choice(choices))
    params["_broken"] = what
    if what == "strides":
        params["strides"] = 1
    elif what == "kernel0" and "kernelSize" in params:
        params["kernelSize"] = [0] * d
    elif what == "stride0" and "kernelSize" in params:
        params["stride"] = [0] * d
    elif what == "pad-neg" and "kernelSize" in params:
        params["padding"] = [-1] * d
    elif what == "divisor0" and params["mode"] == "avg":
        params["divisorOverride"] = 0
    elif what == "p0" and params["mode"] == "lp":
        params["p"] = 0.0
    elif what == "kernel-len" and "kernelSize" in params:
        params["kernelSize"] = [2] * (d + 1)
    else:
        params.pop("outputSize", None)
        params.pop("global", None)
        params["kernelSize"] = [64] * d
        params.pop("ceilMode", None)
        params.pop("padding", None)
        params.pop("dilation", None)


# ----------------------------------------------------------------------------- the contract's side

def contract_validate(params, shape):
    """Raises ref.Invalid for what the contract refuses, beyond the geometry."""
    if "_broken" in params and params["_broken"] == "strides":
        raise ref.Invalid("/strides", "unknown field")
    if params.get("mode") == "lp" and not params.get("p", 2) > 0:
        raise ref.Invalid("/p", "must be > 0")
    if params.get("divisorOverride") is not None and params["divisorOverride"] < 1:
        raise ref.Invalid("/divisorOverride", "must be >= 1")
    ref.geometry(params, shape[2:])


def wire_params(params):
    return {k: v for k, v in params.items() if not k.startswith("_")}


# ----------------------------------------------------------------------------- PyTorch's side

class NotExpressible(Exception):
    pass


def torch_expected(case, g):
    """PyTorch's answer; for channels_last it runs both memory formats and, where PyTorch's two
    kernels disagree, keeps the channels_first one and says so in case["torch_note"]."""
    res = torch_expected_in(case, g, case["layout"] == "channels_last")
    if case["layout"] == "channels_last" and case["x"].ndim in (4, 5):
        cf = torch_expected_in(case, g, False)
        for name, a, b in zip(("output", "indices", "gradInput"), res, cf):
            differs = same_exact(a, b, "float64") if case["params"].get("mode", "max") == "max" or name == "indices" \
                else same_close(a, b, case["dtype"], finite_scale(a))
            if differs and case.get("wire") and not (np.isfinite(a).all() and np.isfinite(b).all()):
                differs = None  # float32 sums near bfloat16's range overflow in either order
            if a is not None and differs:
                case["torch_note"] = f"PyTorch's channels_last kernel differs from its channels_first one ({name})"
        return cf
    return res


def torch_expected_in(case, g, channels_last):
    """PyTorch's forward (output, plane indices) and gradInput, channels_first numpy; or raises
    NotExpressible (PyTorch has no such parameter) or another exception (PyTorch refuses)."""
    p = case["params"]
    x = case["x"]
    d = x.ndim - 2
    mode = p.get("mode", "max")
    if p.get("ties", "first") != "first" or p.get("nan", "propagate") != "propagate":
        raise NotExpressible("ties/nan option")
    if p.get("fractional") is not None:
        return torch_fractional(case, g)
    if p.get("lpAbs") is False:
        return torch_lp(case, g)
    dt = TT[case["dtype"]]
    xt = torch.tensor(x, dtype=dt, requires_grad=True)
    xin = xt
    if channels_last and d in (2, 3):
        xin = xt.contiguous(memory_format=torch.channels_last if d == 2 else torch.channels_last_3d)
    gt = None if g is None else torch.tensor(g, dtype=dt)
    idx = None
    if p.get("global") or p.get("outputSize") is not None:
        out = [1] * d if p.get("global") else ref.per_axis(p["outputSize"], d, "outputSize")
        if mode == "lp":
            raise NotExpressible("adaptive lp")
        if p.get("divisorOverride") is not None:
            raise NotExpressible("adaptive avg with divisorOverride")
        if mode == "max":
            y, idx = getattr(F, f"adaptive_max_pool{d}d")(xin, out if d > 1 else out[0], return_indices=True)
        else:
            y = getattr(F, f"adaptive_avg_pool{d}d")(xin, out if d > 1 else out[0])
        return done(y, idx, xt, gt)
    k = ref.per_axis(p["kernelSize"], d, "kernelSize")
    s = ref.per_axis(p.get("stride"), d, "stride") or k
    dil = ref.per_axis(p.get("dilation"), d, "dilation") or [1] * d
    pad = p.get("padding", 0)
    if pad == "valid":
        pad = 0
    if isinstance(pad, (str, dict)):
        raise NotExpressible("asymmetric or computed padding")
    pad = ref.per_axis(pad, d, "padding")
    ceil = bool(p.get("ceilMode"))
    if mode == "max":
        y, idx = getattr(F, f"max_pool{d}d")(xin, k, s, pad, dil, ceil_mode=ceil, return_indices=True)
        return done(y, idx, xt, gt)
    if dil != [1] * d:
        raise NotExpressible("avg/lp with dilation")
    if mode == "avg":
        cip = p.get("countIncludePad", True)
        div = p.get("divisorOverride")
        y = sum_or_avg_pool(xin, k, s, pad, ceil, cip, div)
        return done(y, None, xt, gt)
    # lp: (sum over real cells of |x|^p)^(1/p); the contract's gradient
    pw = float(p.get("p", 2))
    with torch.no_grad():
        a = xt.detach().abs()
        ssum = sum_or_avg_pool(a ** pw, k, s, pad, ceil, True, 1)
        y = ssum ** (1.0 / pw)
        if gt is None:
            return y.numpy(), None, None
        G = torch.where(y == 0, torch.zeros_like(y), gt * y ** (1.0 - pw))  # NaN windows stay NaN
    z = torch.zeros_like(xt, requires_grad=True)
    pooled = sum_or_avg_pool(z, k, s, pad, ceil, True, 1)
    (back,) = torch.autograd.grad(pooled, z, G, retain_graph=True)
    (covered,) = torch.autograd.grad(pooled, z, torch.ones_like(G))  # cells in some window
    sign = torch.where(torch.isnan(xt.detach()), torch.full_like(a, math.nan), torch.sign(xt.detach()))
    gx = torch.where(covered > 0, sign * a ** (pw - 1) * back, torch.zeros_like(a))
    return y.numpy(), None, gx.numpy()


def torch_fractional(case, g):
    """(v2) F.fractional_max_pool2d/3d with the samples (1-D through 2-D with a unit height)."""
    p, x = case["params"], case["x"]
    frac = p["fractional"]
    if frac.get("samples") is None:
        raise NotExpressible("fractional boundaries")
    d = x.ndim - 2
    dt = TT[case["dtype"]]
    spatial = list(x.shape[2:])
    k = ref.per_axis(p["kernelSize"], d, "kernelSize")
    m = ref.fractional_out(frac, spatial)
    u = np.asarray(frac["samples"]["data"]).reshape(frac["samples"]["shape"])
    xt = torch.tensor(x, dtype=dt, requires_grad=True)
    gt = None if g is None else torch.tensor(g, dtype=dt)
    if d == 1:
        s2 = torch.tensor(np.stack([u[..., 0], np.full(u.shape[:2], 0.5)], -1), dtype=dt)  # (W, H)
        y, i = F.fractional_max_pool2d(xt.unsqueeze(2), (1, k[0]), output_size=(1, m[0]), _random_samples=s2,
                                       return_indices=True)
        y, i = y.squeeze(2), i.squeeze(2)
    elif d == 2:
        y, i = F.fractional_max_pool2d(xt, tuple(k), output_size=tuple(m), return_indices=True,
                                       _random_samples=torch.tensor(u[..., ::-1].copy(), dtype=dt))
    else:
        y, i = F.fractional_max_pool3d(xt, tuple(k), output_size=tuple(m), return_indices=True,
                                       _random_samples=torch.tensor(u, dtype=dt))
    return done(y, i, xt, gt)


def torch_lp(case, g):
    """(v2) PyTorch's own F.lp_poolNd (lpAbs false)."""
    p, x = case["params"], case["x"]
    d = x.ndim - 2
    if p.get("outputSize") is not None or p.get("global"):
        raise NotExpressible("adaptive lp")
    if p.get("padding") not in (None, 0, "valid") and any(ref.per_axis(p["padding"], d, "padding")) \
            or p.get("dilation") not in (None, 1) and any(v != 1 for v in ref.per_axis(p["dilation"], d, "dilation")):
        raise NotExpressible("PyTorch's lp_pool with padding or dilation")
    dt = TT[case["dtype"]]
    k = ref.per_axis(p["kernelSize"], d, "kernelSize")
    s = ref.per_axis(p.get("stride"), d, "stride") or k
    xt = torch.tensor(x, dtype=dt, requires_grad=True)
    fn = getattr(F, f"lp_pool{d}d")
    y = fn(xt, float(p.get("p", 2)), k if d > 1 else k[0], stride=s if d > 1 else s[0], ceil_mode=bool(p.get("ceilMode")))
    return done(y, None, xt, None if g is None else torch.tensor(g, dtype=dt))


def to_wire(a, wire):
    """Values rounded to a 16-bit type (as float64)."""
    t = torch.tensor(np.asarray(a, dtype=np.float64), dtype=torch.float32)
    return t.to(WIRE[wire]).to(torch.float64).numpy()


def same_wire(got, want, wire, exact):
    """16-bit results: equal, or (not exact) one unit in the last place of the wire type apart."""
    a, b = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    if a.shape != b.shape:
        return f"shape {list(a.shape)} != {list(b.shape)}"
    ta = torch.tensor(a, dtype=torch.float32).to(WIRE[wire])
    tb = torch.tensor(b, dtype=torch.float32).to(WIRE[wire])
    ia, ib = ta.view(torch.int16).to(torch.int32), tb.view(torch.int16).to(torch.int32)
    nan = torch.isnan(ta) & torch.isnan(tb)
    ok = (ia == ib) | nan | ((ta == 0) & (tb == 0))
    if not exact:
        ok |= ((ia - ib).abs() <= 1) & (torch.signbit(ta) == torch.signbit(tb)) & torch.isfinite(ta) & torch.isfinite(tb)
    if not bool(ok.all()):
        i = tuple(int(v) for v in torch.nonzero(~ok)[0])
        return f"{int((~ok).sum())} differ, first at {list(i)}: got {a[i]!r}, want {b[i]!r}"
    return None


def done(y, idx, xt, gt):
    """numpy output, indices and (with a gradOutput) autograd's gradInput."""
    gx = None if gt is None else torch.autograd.grad(y, xt, gt)[0].numpy()
    return y.detach().numpy(), None if idx is None else idx.numpy(), gx


def sum_or_avg_pool(x, k, s, pad, ceil, cip, div):
    d = x.ndim - 2
    if d == 1:  # avg_pool1d has no divisor_override: through 2-D with a unit height
        y = F.avg_pool2d(x.unsqueeze(2), (1, k[0]), (1, s[0]), (0, pad[0]), ceil, cip, div)
        return y.squeeze(2)
    return getattr(F, f"avg_pool{d}d")(x, k, s, pad, ceil, cip, div)


# ----------------------------------------------------------------------------- wire forms

def encode(a, form, dtype):
    """A tensor in one of the contract's three forms (values: float64 array or int64)."""
    a = np.asarray(a)
    if form == "b64":
        if dtype in WIRE:
            raw = torch.tensor(a.astype(np.float32)).to(WIRE[dtype]).view(torch.int16).numpy().astype("<i2").tobytes()
        else:
            raw = a.astype({"float32": "<f4", "float64": "<f8", "int64": "<i8"}[dtype]).tobytes()
        return {"shape": list(a.shape), "dtype": dtype, "b64": base64.b64encode(raw).decode()}
    vals = [num(v, dtype) for v in a.reshape(-1).tolist()]
    if form == "flat":
        return {"shape": list(a.shape), "data": vals}
    return nest(vals, list(a.shape))


def num(v, dtype):
    if dtype == "int64":
        return int(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    if dtype == "float32":
        return float(np.float32(v))  # exact as a double
    return v


def nest(vals, shape):
    if len(shape) == 1:
        return vals
    step = len(vals) // shape[0]
    return [nest(vals[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0])]


def decode(t):
    """(form, numpy float64 array) from a response tensor."""
    if isinstance(t, list):
        a = np.array(unstr(t), dtype=np.float64)
        return "nested", a
    if "b64" in t:
        raw = base64.b64decode(t["b64"])
        if t["dtype"] == "bfloat16":
            a = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32).astype(np.float64)
        else:
            dt = {"float32": "<f4", "float64": "<f8", "int64": "<i8", "float16": "<f2"}[t["dtype"]]
            a = np.frombuffer(raw, dtype=dt).astype(np.float64)
        a = a.reshape(t["shape"])
        return "b64", a
    return "flat", np.array(unstr(t["data"]), dtype=np.float64).reshape(t["shape"])


def unstr(v):
    if isinstance(v, list):
        return [unstr(u) for u in v]
    if isinstance(v, str):
        return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[v]
    return v


# ----------------------------------------------------------------------------- comparison

def same_exact(a, b, dtype):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        return f"shape {list(a.shape)} != {list(b.shape)}"
    if dtype == "float32":
        a, b = a.astype(np.float32), b.astype(np.float32)
    bad = ~((a == b) | (np.isnan(a) & np.isnan(b)))
    if bad.any():
        i = tuple(int(v) for v in np.argwhere(bad)[0])
        return f"{int(bad.sum())} differ, first at {list(i)}: got {a[i]!r}, want {b[i]!r}"
    return None


def same_close(a, b, dtype, scale):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        return f"shape {list(a.shape)} != {list(b.shape)}"
    rtol = RTOL[dtype]
    with np.errstate(invalid="ignore"):
        fin = np.isfinite(a) & np.isfinite(b)
        close = np.abs(a - b) <= rtol * np.maximum(np.abs(a), np.abs(b)) + rtol * 1e-2 * scale
        ok = np.where(fin, close, (a == b) | (np.isnan(a) & np.isnan(b)))
    if not ok.all():
        i = tuple(int(v) for v in np.argwhere(~ok)[0])
        return f"{int((~ok).sum())} differ, first at {list(i)}: got {a[i]!r}, want {b[i]!r}"
    return None


def finite_scale(a):
    a = np.asarray(a, dtype=np.float64)
    f = np.abs(a[np.isfinite(a)])
    return float(f.max()) if f.size else 1.0


# ----------------------------------------------------------------------------- HTTP

Client = JSONClient  # scripts/lib/json_client.py, shared with differential-conventions.py


# ----------------------------------------------------------------------------- one case

class Result:
    def __init__(self):
        self.counts = collections.Counter()
        self.failures = collections.defaultdict(list)  # kind -> [(detail, curl)]
        self.info = collections.Counter()

    def fail(self, kind, detail, path, body, base):
        self.counts["FAIL " + kind] += 1
        self.failures[kind].append((detail, curl(base, path, body)))


def curl(base, path, body):
    return (f"curl -s {base}{path} -H 'Content-Type: application/json' -d '"
            + json.dumps(body, separators=(",", ":")) + "'")


def first_nan_variant(case):
    """What a server that selects the first NaN of a window (issue 9) would answer."""
    x = case["x"]
    p = dict(wire_params(case["params"]))
    # the first NaN wins under 'first NaN': equivalent to scanning with the reversed NaN rule
    axes = ref.geometry(p, x.shape[2:])
    N, C = x.shape[:2]
    idx = np.zeros((N, C) + tuple(ax.extent for ax in axes), dtype=np.int64)
    multi = False
    for b in range(N):
        for c in range(C):
            for o, cells in ref._windows(axes):
                vals = [x[(b, c) + q] for q in cells]
                nans = [i for i, v in enumerate(vals) if math.isnan(v)]
                if len(nans) > 1:
                    multi = True
                if nans:
                    pick = nans[0]
                else:
                    best = max(vals)
                    pick = vals.index(best)
                idx[(b, c) + o] = ref._spatial_index(cells[pick], x.shape[2:], p.get("indexOrder", "row_major"))
    return multi, idx


def has_long_kernel(case):
    p = case["params"]
    x = case["x"]
    if "kernelSize" not in p or not p.get("ceilMode"):
        return False
    d = x.ndim - 2
    try:
        k = ref.per_axis(p["kernelSize"], d, "kernelSize")
        s = ref.per_axis(p.get("stride"), d, "stride") or k
        dil = ref.per_axis(p.get("dilation"), d, "dilation") or [1] * d
        pb, pe = ref.resolve_padding(p.get("padding"), d, x.shape[2:], k, s, dil)
    except Exception:
        return False
    return any(dil[a] * (k[a] - 1) + 1 > x.shape[2 + a] + pb[a] + pe[a] for a in range(d))


def run_case(client, case, res, base, self_check=False):
    p = case["params"]
    x = case["x"]
    dtype, layout, enc = case["dtype"], case["layout"], case["enc"]
    mode = p.get("mode", "max")
    rng = np.random.default_rng(case["rng_seed"])
    # the contract
    invalid = None
    try:
        contract_validate(p, x.shape)
    except ref.Invalid as e:
        invalid = e
    except Exception as e:  # a malformed parameter the reference cannot even read
        invalid = ref.Invalid("/" + str(p.get("_broken", "?")), repr(e))
    want_ref = None
    g = None  # PyTorch's forward only, for a request the contract refuses
    if invalid is None:
        want_ref = ref.forward(x, wire_params(p))
        g = rng.integers(-3, 4, size=want_ref["output"].shape).astype(np.float64)
    # PyTorch
    torch_res, torch_err = None, None
    try:
        torch_res = torch_expected(case, g)
    except NotExpressible as e:
        torch_err = ("not-expressible", str(e))
    except Exception as e:
        torch_err = ("refused", re.sub(r"\d+", "N", str(e).splitlines()[0])[:90])
    if invalid is not None:
        res.counts["contract refuses"] += 1
        if torch_res is not None and p.get("_broken") != "strides":  # PyTorch has no field names to misspell
            res.info[f"contract refuses, PyTorch computes: {invalid.pointer} ({invalid.detail})"] += 1
        if self_check:
            return
        body = dict(wire_params(p), input=encode(to_layout(x, layout), enc, dtype if enc == "b64" else dtype))
        status, ctype, pr = client.post("/pool/forward", body)
        if 400 <= status < 500:
            errs = pr.get("errors") or []
            if "problem+json" not in ctype or not all(isinstance(e, dict) and str(e.get("pointer", "")).startswith("/") for e in errs) or not errs:
                if not (status == 413 and "problem+json" in ctype):
                    res.fail("refusal without a field", f"{status} {pr}", "/pool/forward", body, base)
            else:
                res.counts["refused as the contract says"] += 1
                if not any(e["pointer"].split("/")[1:2] == invalid.pointer.split("/")[1:2] for e in errs):
                    res.info[f"refusal names {errs[0]['pointer']}, reference {invalid.pointer}"] += 1
        else:
            res.fail("computes what the contract refuses", f"{status}: contract says {invalid}", "/pool/forward", body, base)
        return
    # expected results
    if case.get("torch_note"):
        res.info[case["torch_note"] + f": {json.dumps(wire_params(p))}"] += 1
    if torch_res is not None:
        y_t, i_t, gx_t = torch_res
        i_rm = i_t
        if i_t is not None and p.get("indexOrder") == "column_major":
            sp = x.shape[2:]
            i_t = np.ravel_multi_index(np.unravel_index(i_t, sp), sp, order="F")
        res.counts["expected from PyTorch"] += 1
        # keep the reference honest (it sums in float64: a float32 sum of 16-bit values near
        # bfloat16's range overflows to +-Inf in PyTorch, as in the contract's float32 rule)
        y_r = want_ref["output"]
        msg = same_exact(y_r, y_t, dtype) if mode == "max" else same_close(y_r, y_t, dtype, finite_scale(x))
        if msg and case.get("wire") and not np.isfinite(y_t[np.isfinite(y_r)]).all():
            res.info["bfloat16 near its range: PyTorch's float32 sum overflows to Inf (reference in float64 does not)"] += 1
            msg = None
        if msg:
            res.counts["reference vs PyTorch: output"] += 1
            res.info[f"reference vs PyTorch output ({mode}): {msg[:80]}"] += 1
        if mode == "max" and i_t is not None and not np.array_equal(want_ref["indices"], i_t):
            res.counts["reference vs PyTorch: indices"] += 1
            res.info[f"reference vs PyTorch indices: {same_exact(want_ref['indices'], i_t, 'float64')[:80]} "
                     f"{json.dumps(wire_params(p))} x={x.reshape(-1).tolist()[:40]}"] += 1
        gx_r = ref.backward(x, g, wire_params(p))
        msg = same_exact(gx_r, gx_t, dtype) if mode == "max" else same_close(gx_r, gx_t, dtype, finite_scale(g) + 1)
        if msg:
            res.counts["reference vs PyTorch: gradInput"] += 1
            res.info[f"reference vs PyTorch gradInput ({mode}): {msg[:80]}"] += 1
        want = {"output": y_t, "indices": i_t, "gradInput": gx_t, "indices_rm": i_rm}
        src = "PyTorch"
    else:
        res.counts[f"expected from the reference ({torch_err[0]}: {torch_err[1][:60]})"] += 1
        want = {"output": want_ref["output"], "indices": want_ref.get("indices"),
                "gradInput": ref.backward(x, g, wire_params(p))}
        src = "reference"
    if self_check:
        return
    if mode == "max":
        if src == "PyTorch" or want_ref.get("mask") is None:
            mask = np.zeros(x.shape)
            for b in range(x.shape[0]):
                for c in range(x.shape[1]):
                    np.add.at(mask[b, c].reshape(-1), want["indices_rm"][b, c].reshape(-1).astype(np.int64), 1.0)
            want["mask"] = mask
        else:
            want["mask"] = want_ref["mask"]
        if p.get("ties") == "split":
            want["mask"] = want_ref["mask"]
    wire = case.get("wire")
    if wire:  # the contract computes in float32 and rounds to the wire type
        want["output"] = to_wire(want["output"], wire)
        want["gradInput"] = to_wire(want["gradInput"], wire)
    tdtype = wire or dtype  # the tensors' b64 dtype
    # the server: forward
    req_form = enc
    body = dict(wire_params(p), input=encode(to_layout(x, layout), enc, tdtype))
    status, ctype, r = client.post("/pool/forward", body)
    if status != 200:
        kind = refusal_kind(case, status, r)
        detail = f"{status} {json.dumps(r)[:300]} (expected from {src})"
        res.fail(kind, detail, "/pool/forward", body, base)
        return
    res.counts["forward answered"] += 1
    resp_form = p.get("encoding", req_form)
    problems = forward_problems(case, r, want, resp_form)
    if problems:
        alt = first_nan_expectation(case, g, want)
        if alt is not None and not forward_problems(case, r, alt, resp_form):
            res.fail(f"known: issue 9 (first NaN of a window selected) — forward "
                     f"{','.join(sorted({f for f, _ in problems}))}", "; ".join(f"{f}: {m}" for f, m in problems),
                     "/pool/forward", body, base)
        else:
            classify(case, res, problems, "forward", body, base, src)
    # backward from input
    g_l = to_layout(g, layout)
    genc = "b64" if wire else str(rng.choice(["nested", "flat", "b64"]))
    bp = {k: v for k, v in wire_params(p).items() if k != "return"}
    bbody = dict(bp, gradOutput=encode(g_l, genc, tdtype))
    if mode == "avg" and rng.random() < 0.3:
        bbody["inputShape"] = list(to_layout(x, layout).shape)
        how = "backward from inputShape"
    else:
        bbody["input"] = encode(to_layout(x, layout), enc, tdtype)
        how = "backward from input"
    check_backward(client, case, res, bbody, want, how, base, src, genc if "encoding" not in p else p["encoding"], g)
    # backward from indices
    if mode == "max" and p.get("ties") != "split" and "indices" in want and want["indices"] is not None:
        w_idx = want["indices"]
        if p.get("indexSpace") == "tensor":
            w_idx = ref.tensor_index_for_layout(w_idx, x.shape, layout)
        ienc = str(rng.choice(["nested", "flat", "b64"]))
        ibody = dict(bp, gradOutput=encode(g_l, genc, tdtype), indices=encode(to_layout(w_idx, layout), ienc, "int64"),
                     inputShape=list(to_layout(x, layout).shape))
        check_backward(client, case, res, ibody, want, "backward from indices", base, src,
                       genc if "encoding" not in p else p["encoding"])


def forward_problems(case, r, want, resp_form):
    """What differs between a forward response and the expectation."""
    p, x = case["params"], case["x"]
    dtype, layout = case["dtype"], case["layout"]
    mode = p.get("mode", "max")
    problems = []
    out_shape_want = list(to_layout(want["output"], layout).shape)
    if r.get("outputShape") != out_shape_want:
        problems.append(("outputShape", f"{r.get('outputShape')} != {out_shape_want}"))
    returned = p.get("return", ["output", "indices", "mask"] if mode == "max" else ["output"])
    for field in ("output", "indices", "mask"):
        if field not in returned:
            if field in r and mode != "max" and field != "output":
                problems.append((field, "present though not asked for"))
            continue
        if field not in r:
            problems.append((field, "missing"))
            continue
        form, got = decode(r[field])
        if form != resp_form:
            problems.append(("encoding", f"{field} came back {form}, expected {resp_form}"))
        w = want[field]
        if field == "indices" and p.get("indexSpace") == "tensor":
            w = ref.tensor_index_for_layout(w, x.shape, layout)
        w = to_layout(w, layout)
        if field == "output" and case.get("wire"):
            msg = same_wire(got, w, case["wire"], exact=mode == "max")
        elif field == "output":
            msg = same_exact(got, w, dtype) if mode == "max" else same_close(got, w, dtype, finite_scale(x))
        else:
            exact = field == "indices" or p.get("ties") != "split"  # split masks hold fractions
            msg = same_exact(got, w, dtype) if exact else same_close(got, w, dtype, 1)
        if msg:
            problems.append((field, msg))
    return problems


def first_nan_expectation(case, g, want=None):
    """The answer of a server that selects the first NaN of a window (issue 9), when that differs
    from the contract's last-NaN rule for this case; else None. Under ties "split" only the
    indices change (the gradient is shared among the NaNs either way)."""
    p = case["params"]
    if p.get("mode", "max") != "max" or p.get("nan", "propagate") != "propagate" or p.get("ties", "first") == "last" \
            or "nonfinite" not in case["tags"] or p.get("fractional") is not None:
        return None
    multi, idx = first_nan_variant(case)
    if not multi:
        return None
    if p.get("ties") == "split":
        return None if want is None else dict(want, indices=idx)
    x = case["x"]
    rm = idx
    if p.get("indexOrder") == "column_major":
        sp = x.shape[2:]
        rm = np.ravel_multi_index(np.unravel_index(idx, sp, order="F"), sp)
    out = np.take_along_axis(x.reshape(x.shape[:2] + (-1,)), rm.reshape(rm.shape[:2] + (-1,)), 2).reshape(rm.shape)
    mask = np.zeros(x.shape)
    gx = np.zeros(x.shape)
    for b in range(x.shape[0]):
        for c in range(x.shape[1]):
            np.add.at(mask[b, c].reshape(-1), rm[b, c].reshape(-1), 1.0)
            np.add.at(gx[b, c].reshape(-1), rm[b, c].reshape(-1), g[b, c].reshape(-1))
    return {"output": out, "indices": idx, "mask": mask, "gradInput": gx}


V2_FIELDS = ("/fractional", "/indexOrder", "/lpAbs")


def refusal_kind(case, status, r):
    """How to file poolserve's refusal of a request the contract computes."""
    if status == 0 or status >= 500:
        return "server error / no answer"
    errs = r.get("errors") or [] if isinstance(r, dict) else []
    if status == 422:
        v2 = sorted({e.get("pointer", "") for e in errs if str(e.get("pointer", "")).startswith(V2_FIELDS)})
        if case.get("wire") and any(case["wire"] in str(e.get("detail", "")) or "dtype" in str(e.get("pointer", ""))
                                    for e in errs):
            v2.append(case["wire"])
        if v2:
            return f"known: issue 14, v2 not implemented yet ({', '.join(v2)})"
        if has_long_kernel(case):
            return "known: issue 18 (ceil-mode window longer than the padded input refused)"
    return "refuses a valid request"


def check_backward(client, case, res, body, want, how, base, src, form_want, g=None):
    p = case["params"]
    dtype, layout = case["dtype"], case["layout"]
    status, ctype, r = client.post("/pool/backward", body)
    if status != 200:
        kind = refusal_kind(case, status, r)
        res.fail(kind + f" ({how})", f"{status} {json.dumps(r)[:300]}", "/pool/backward", body, base)
        return
    res.counts[how + " answered"] += 1
    if "gradInput" not in r:
        classify(case, res, [("gradInput", "missing")], how, body, base, src)
        return
    form, got = decode(r["gradInput"])
    problems = []
    if form != form_want:
        problems.append(("encoding", f"gradInput came back {form}, expected {form_want}"))
    w = to_layout(want["gradInput"], layout)
    exact = p.get("mode", "max") == "max" and p.get("ties") != "split"
    gsc = 4.0
    if case.get("wire"):
        msg = same_wire(got, w, case["wire"], exact=exact)
    else:
        msg = same_exact(got, w, dtype) if exact else same_close(got, w, dtype, gsc)
    if msg and p.get("mode") == "lp" and "nonfinite" in case["tags"] and got.shape == w.shape:
        # lp with NaN / Inf inputs: say which cells differ
        xl = to_layout(case["x"], layout)
        with np.errstate(invalid="ignore"):
            bad = ~((np.abs(got - w) <= RTOL[dtype] * (np.abs(w) + gsc)) | (np.isnan(got) & np.isnan(w)))
        kinds = set()
        for v in xl[bad]:
            kinds.add("NaN cell" if math.isnan(v) else "Inf cell" if math.isinf(v) else
                      "zero cell" if v == 0 else "finite nonzero cell")
        kinds = ",".join(sorted(kinds))
        if kinds == "NaN cell":
            res.fail(f"known: issue 14 (lp: a NaN input cell gets a finite gradient) — {how}", msg,
                     "/pool/backward", body, base)
        else:
            res.fail(f"lp with NaN/Inf input, {kinds} differ (the contract is silent; expected: its formula "
                     f"sign(x)|x|^(p-1)/y^(p-1) in IEEE arithmetic) — {how}", msg,
                     "/pool/backward", body, base)
        return
    if msg:
        problems.append(("gradInput", msg))
    if problems and "indices" not in body and g is not None and p.get("ties") != "split":
        alt = first_nan_expectation(case, g)
        if alt is not None and not same_exact(got, to_layout(alt["gradInput"], layout), dtype):
            res.fail(f"known: issue 9 (first NaN of a window selected) — {how}",
                     "; ".join(f"{f}: {m}" for f, m in problems), "/pool/backward", body, base)
            return
    if problems:
        classify(case, res, problems, how, body, base, src)


def classify(case, res, problems, where, body, base, src):
    p = case["params"]
    fields = ",".join(sorted({f for f, _ in problems}))
    detail = "; ".join(f"{f}: {m}" for f, m in problems) + f" (expected from {src})"
    path = "/pool/forward" if where == "forward" else "/pool/backward"
    kind = f"{where}: {fields} ({p.get('mode', 'max')})"
    res.fail(kind, detail, path, body, base)


def to_layout(a, layout):
    return ref.to_layout(np.asarray(a), layout)


# ----------------------------------------------------------------------------- main

def main():
    warnings.simplefilter("ignore", RuntimeWarning)  # NaN and Inf are on purpose
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("base_url", nargs="?")
    ap.add_argument("--cases", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", default="", help="comma-separated tags every case must carry")
    ap.add_argument("--show", type=int, default=2, help="failing requests printed per kind")
    ap.add_argument("--self-check", action="store_true", help="no server: PyTorch vs the contract reference")
    ap.add_argument("--v2", action="store_true",
                    help="also contract v2: fractional, indexOrder column_major, lpAbs false, float16/bfloat16 b64")
    args = ap.parse_args()
    if not args.base_url and not args.self_check:
        ap.error("BASE_URL or --self-check")
    only = {t for t in args.only.split(",") if t}
    rng = np.random.default_rng(args.seed)
    client = Client(args.base_url, timeout=60) if args.base_url else None
    res = Result()
    tags = collections.Counter()
    done = 0
    attempts = 0
    while done < args.cases:
        attempts += 1
        if attempts > args.cases * 2000:
            sys.exit(f"--only {args.only}: too rare, {done} cases found")
        case = draw_case(rng, args.v2)
        if not only <= case["tags"]:
            continue
        done += 1
        tags.update(case["tags"])
        run_case(client, case, res, args.base_url or "", self_check=args.self_check)
    print(f"{done} cases (seed {args.seed}{', only ' + args.only if only else ''}) against "
          f"{args.base_url or 'nothing (self-check)'}")
    print("tags:", ", ".join(f"{t} {n}" for t, n in sorted(tags.items())))
    print("\ncounts:")
    for k, n in sorted(res.counts.items()):
        print(f"  {n:6d}  {k}")
    if res.info:
        print("\nnoted (not failures):")
        for k, n in sorted(res.info.items(), key=lambda kv: -kv[1])[:25]:
            print(f"  {n:6d}  {k}")
    nfail = sum(n for k, n in res.counts.items() if k.startswith("FAIL"))
    new = sum(len(v) for k, v in res.failures.items() if not k.startswith("known"))
    print(f"\n{nfail} failures ({new} not explained by a known issue)")
    for kind, items in sorted(res.failures.items(), key=lambda kv: (kv[0].startswith("known"), kv[0])):
        print(f"\n== {kind}: {len(items)}")
        for detail, c in sorted(items, key=lambda it: len(it[1]))[:args.show]:
            print("  ", detail)
            print("  ", c)
    ref_disagree = sum(n for k, n in res.counts.items() if k.startswith("reference vs PyTorch"))
    sys.exit(1 if (new or ref_disagree) else 0)


if __name__ == "__main__":
    main()

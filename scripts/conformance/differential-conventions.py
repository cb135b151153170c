#!/usr/bin/env python3
"""Randomized differential check of `convention` (issue 25): each framework's own numbers against a
running poolserve's, on random layers and inputs with NaN, ±Inf, ±0 and ties.

    differential-conventions.py BASE_URL [--cases N] [--seed S] [--framework tensorflow|onnx|jax|torch7]
                                         [--show K]

Run it with the framework virtualenv (scripts/setup/install-framework-venv.sh; tensorflow-cpu,
jax, flax, onnx, onnxruntime, numpy); `make differential-conventions` starts a debug server for
it with scripts/serve.py. Without --framework the cases rotate over the four frameworks.

The framework's answer of every case comes from the generators of Tests/Fixtures/conventions,
imported, not copied (scripts/golden/conventions_*.py): they know how to call each framework
and write its params, tensors and index forms in the service's vocabulary:

- tensorflow: `argmax_case` (tf.nn.max_pool_with_argmax: indices in TF's NHWC form, gradient),
  `max_pool_case` (tf.nn.max_pool1d/2d with explicit padding, tf.nn.pool with dilation),
  `avg_case` (tf.nn.avg_pool1d/2d/3d, tf.nn.pool), `max3d_case` (tf.nn.max_pool3d). poolserve's
  max *value* follows tf.nn.max_pool2d (README, convention table): where max_pool_with_argmax's
  value differs the generator gives it as `outputMaxPool2d`, and that is what is compared.
- onnx: `make_case` (onnxruntime, MaxPool with its Indices output, AveragePool, LpPool; any
  opset 8..22). ONNX has no gradient: the max backward is checked against the gradient sent to
  each window's Indices cell (what the README says poolserve does); avg/lp backward not checked.
- jax: `case` (jax.lax.reduce_window + jax.vjp, or flax.linen on channels_last).
- torch7: the builders of conventions_torch7.py (the numpy port of THNN, torch7_reference.py).

The generators also check each framework against their literal rule models (conventions_common)
and stop with SystemExit when one disagrees: such a case is reported as "generator model" (the
written rule is wrong somewhere), not compared.

For each case: random params the framework can express (1-D/2-D/3-D where it has them; kernel,
stride, padding in the framework's forms, dilation, ceil mode, countIncludePad, p, layout,
float32/float64), a random input (normal values on a 1/8 grid or small integers for ties, with
injected NaN, ±Inf, −0/+0, and runs of −Inf) and gradOutput; the request is sent with b64 tensors
and "encoding": "b64" (so −0 and NaN payloads survive) to /pool/forward and /pool/backward.
Comparison: max output, indices and max gradInput bit for bit (sign of zero included, NaN == NaN);
avg / lp relative 1e-5 (float32) or 1e-12 (float64) of the larger of the cell and the tensor's
largest finite magnitude (sums that cancel to about 0 round differently in another order),
NaN == NaN, infinities exact.

Fields left out: now and then a field equal to the framework's own default is left out of the
request (stride under jax = flax's 1, under onnx = ONNX's 1; torch7's module defaults;
countIncludePad; onnx p = 2), which checks the convention's defaults against the framework's.

Refusals: some cases draw a request the framework itself refuses (the framework is run and must
raise), or cannot express (no op has the field); poolserve must answer 422. A 200 there is listed
separately ("accepted where the framework refuses"), not counted as a mismatch. A 4xx where the
framework computes the case is a mismatch.

Every mismatch is printed with a minimal reproduction: the case shrunk to the one (n, c) plane of
its first differing cell when the mismatch survives that, the request body (tensors as flat
lists), and both answers at the differing cells. Mismatches are grouped by what differs; --show
gives how many reproductions per group (default 3). Exit 1 on any mismatch.
"""
import argparse
import base64
import collections
import contextlib
import io
import json
import math
import os
import sys
import warnings

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.normpath(os.path.join(HERE, "..", "golden"))
sys.path.insert(0, GOLDEN)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "lib"))
from json_client import JSONClient  # noqa: E402
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
warnings.filterwarnings("ignore")

import conventions_common as cc  # noqa: E402

NAN, INF = float("nan"), float("inf")
F32, F64 = np.float32, np.float64
FRAMEWORKS = ["tensorflow", "onnx", "jax", "torch7"]
RTOL = {"float32": 1e-5, "float64": 1e-12}


# ============================================================================ framework modules

_mods = {}


def fw(name):
    """The generator module of a framework, imported on first use (each pulls in its framework)."""
    if name not in _mods:
        saved = sys.argv
        sys.argv = sys.argv[:1]  # conventions_torch7 reads sys.argv[1] as its output path at import
        try:
            _mods[name] = __import__({"tensorflow": "conventions_tensorflow", "onnx": "conventions_onnx",
                                      "jax": "conventions_jax", "torch7": "conventions_torch7"}[name])
        finally:
            sys.argv = saved
    return _mods[name]


class Refused(Exception):
    """The framework refuses (or cannot express) the request."""


@contextlib.contextmanager
def quiet():
    """Silences what the frameworks print on stdout/stderr while they run."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), np.errstate(all="ignore"):
        yield


# ============================================================================ inputs

def rand_input(rng, shape, dt, tags):
    """Normal values on a 1/8 grid, or small integers (ties); then NaN, ±Inf, ±0, runs of -inf."""
    if rng.random() < 0.4:
        x = cc.small_int_input(rng, shape, dt, -2, 3)
        tags.add("ties")
    else:
        x = cc.randn(rng, shape, dt)
    if rng.random() < 0.5:
        x = cc.sprinkle(rng, x, float(rng.uniform(0.05, 0.45)), [NAN])
        tags.add("nan")
    if rng.random() < 0.35:
        x = cc.sprinkle(rng, x, float(rng.uniform(0.05, 0.3)), [INF, -INF])
        tags.add("inf")
    if rng.random() < 0.35:
        x = cc.sprinkle(rng, x, float(rng.uniform(0.1, 0.5)), [-0.0, 0.0])
        tags.add("zeros")
    if rng.random() < 0.1:
        x = cc.sprinkle(rng, x, 0.7, [-INF])
        tags.add("neginf-runs")
    return x


def pick(rng, seq):
    return seq[int(rng.integers(len(seq)))]


def small(rng, lo, hi):
    return int(rng.integers(lo, hi + 1))


# ============================================================================ case = framework answer
# A case is the generator's dict: params (service vocabulary), dtype, input, output, [indices],
# [gradOutput, gradInput], in the case's layout. `build(x_cf)` makes it from a channels_first input,
# so that a case can be rebuilt on one plane of its input (shrinking).

class Spec:
    def __init__(self, framework, mode, build, params_if_refused=None, tags=(), refusal=None, x=None,
                 drop=(), backward=True):
        self.framework, self.mode, self.build = framework, mode, build
        self.params_if_refused = params_if_refused  # params for the request when the framework refuses
        self.tags = set(tags)
        self.refusal = refusal  # a reason when the framework cannot express it at all (no call)
        self.x = x  # channels_first input
        self.backward_refused = None
        self.drop = list(drop)  # params to leave out (their framework default is what was computed)
        self.backward = backward


# ---------------------------------------------------------------------------- tensorflow

def tf_spec(rng, n):
    m = fw("tensorflow")
    tags = {"tensorflow"}
    nd = pick(rng, [1, 1, 2, 2, 2, 3])
    mode = pick(rng, ["max", "max", "avg"])
    dt = F64 if (rng.random() < 0.3 and not (mode == "max" and nd == 3)) else F32
    k = [small(rng, 1, 3 if nd == 3 else 4) for _ in range(nd)]
    s = [small(rng, 1, 3) for _ in range(nd)]
    d = None
    padkind = pick(rng, ["VALID", "SAME", "explicit"] if (mode == "max" and nd <= 2) else ["VALID", "SAME"])
    if padkind == "VALID" and all(v == 1 for v in s) and nd <= 2 and rng.random() < 0.3:
        d = [small(rng, 1, 3) for _ in range(nd)]
        tags.add("dilation")
    eff = [(d[i] if d else 1) * (k[i] - 1) + 1 for i in range(nd)]
    sizes = [small(rng, eff[i] if padkind == "VALID" else 1, eff[i] + 4) for i in range(nd)]
    if padkind == "explicit":
        pb = [small(rng, 0, k[i] - 1) for i in range(nd)]
        pe = [small(rng, 0, k[i] - 1) for i in range(nd)]
        sizes = [max(sizes[i], eff[i] - pb[i] - pe[i]) for i in range(nd)]
        padding = (pb, pe)
    else:
        padding = padkind
    # --- now and then a request TensorFlow refuses
    refuse = None
    r = rng.random()
    if r < 0.12:
        choices = ["ceil", "same_lower", "cip"]
        if mode == "max" and nd <= 2 and padkind == "explicit":
            choices.append("pad>=k")
        if mode == "avg" and nd <= 2:
            choices.append("avg-explicit")
        if nd <= 2:
            choices += ["dilation+stride", "dilation+same", "dilation+explicit"]
        if mode == "max" and nd == 3:
            choices += ["3d-f64", "3d-explicit"]
        if mode == "max" and nd == 1:
            choices.append("lp")
        refuse = pick(rng, choices)
        tags.add("refusal:" + refuse)
    shape = [small(rng, 1, 2), small(rng, 1, 3)] + sizes
    if refuse == "3d-f64":
        dt = F64
    x = rand_input(rng, shape, dt, tags)
    tags.add(f"{nd}d")
    tags.add(mode)
    tags.add(str(np.dtype(dt)))
    argmax = mode == "max" and nd <= 2 and d is None and padkind != "explicit" and rng.random() < 0.75
    batch_index = argmax and rng.random() < 0.4

    def extra_params(pb, pe, pad_value, dil=None):
        extra = {"layout": "channels_last"}
        if dil:
            extra["dilation"] = list(dil)
        if mode == "avg":
            extra["countIncludePad"] = False
        return cc.params_of("tensorflow", mode, k, s, pad_value, extra)

    if refuse in ("ceil", "same_lower", "cip", "lp"):
        pad_value = padding.lower() if isinstance(padding, str) else cc.padding_param(*padding)
        p = extra_params(None, None, pad_value, d)
        if refuse == "ceil":
            p["ceilMode"] = True
            why = "TensorFlow has no ceil mode"
        elif refuse == "same_lower":
            p["padding"] = "same_lower"
            why = "TensorFlow's SAME puts the odd cell at the end; no SAME_LOWER"
        elif refuse == "cip":
            p["mode"], p["countIncludePad"] = "avg", True
            p.pop("dilation", None)
            if not isinstance(p.get("padding"), str):
                p["padding"] = "same"
            why = "tf.nn.avg_pool never counts padding"
        else:
            p["mode"], p["p"] = "lp", 2
            why = "TensorFlow has no lp pooling"
        return Spec("tensorflow", p["mode"], None, p, tags, refusal=why, x=x)

    if refuse == "pad>=k":
        a = small(rng, 0, nd - 1)
        padding[0][a] = k[a]
        padding = (padding[0], padding[1])
    elif refuse == "avg-explicit":
        k = [max(v, 2) for v in k]
        padding = ([1] * nd, [0] * nd)
        x = rand_input(rng, shape[:2] + [v + 2 * k[i] for i, v in enumerate(sizes)], dt, tags)
    elif refuse == "dilation+stride":
        padding, d, s = "VALID", [2] * nd, [2] * nd
        x = rand_input(rng, shape[:2] + [max(v, 2 * (k[i] - 1) + 1) for i, v in enumerate(sizes)], dt, tags)
    elif refuse == "dilation+same":
        padding, d, s = "SAME", [2] * nd, [1] * nd
    elif refuse == "dilation+explicit":
        padding, d, s = ([1] * nd, [0] * nd), [2] * nd, [1] * nd
        k = [max(v, 2) for v in k]
        x = rand_input(rng, shape[:2] + [v + 2 * k[i] for i, v in enumerate(sizes)], dt, tags)
    elif refuse == "3d-explicit":
        k = [max(v, 2) for v in k]
        padding = ([1] * nd, [0] * nd)
        x = rand_input(rng, shape[:2] + [v + 2 for v in sizes], dt, tags)

    def refused_params():
        xl = cc.to_last(x)
        if isinstance(padding, str):
            pad_value = padding.lower()
        else:
            pad_value = cc.padding_param(*padding) or [0] * nd
        del xl
        return extra_params(None, None, pad_value, d)

    def build(xcf):
        xl = cc.to_last(xcf)
        nm = f"tf{n}"
        if mode == "max" and nd == 3:
            return m.max3d_case(nm, xl, k, s, padding, rng)
        if mode == "max" and argmax:
            return m.argmax_case(nm, xl, k, s, padding, rng, batch_index)
        if mode == "max":
            return m.max_pool_case(nm, xl, k, s, padding, rng, d=d)
        if isinstance(padding, tuple):  # avg with explicit padding: the op refuses it (TypeError)
            f = {1: m.tf.nn.avg_pool1d, 2: m.tf.nn.avg_pool2d}[nd]
            f(m.tf.constant(xl), k, s, [[0, 0]] + [[padding[0][i], padding[1][i]] for i in range(nd)] + [[0, 0]])
            raise AssertionError("tf.nn.avg_pool took explicit padding")
        return m.avg_case(nm, xl, k, s, padding, rng, d=d)

    return Spec("tensorflow", mode, build, refused_params, tags, x=x)


# ---------------------------------------------------------------------------- onnx

ONNX_OPSETS = {"MaxPool": [8, 10, 11, 12, 18, 19, 21, 22], "AveragePool": [7, 10, 11, 18, 19, 21, 22],
               "LpPool": [11, 18, 22]}


def onnx_spec(rng, n):
    m = fw("onnx")
    tags = {"onnx"}
    op = pick(rng, ["MaxPool", "MaxPool", "AveragePool", "LpPool"])
    mode = {"MaxPool": "max", "AveragePool": "avg", "LpPool": "lp"}[op]
    opset = pick(rng, ONNX_OPSETS[op])
    nd = pick(rng, [1, 2, 2, 3])
    dt = F64 if (op == "MaxPool" and rng.random() < 0.3) else F32
    k = [small(rng, 1, 3 if nd == 3 else 4) for _ in range(nd)]
    attrs = {"kernel_shape": k}
    drop = []
    s = [small(rng, 1, 3) for _ in range(nd)]
    if all(v == 1 for v in s) and rng.random() < 0.5:
        drop.append("stride")  # ONNX's default strides: 1
    attrs["strides"] = s
    dil_since = {"MaxPool": 10, "AveragePool": 19, "LpPool": 18}[op]
    d = [1] * nd
    if opset >= dil_since and rng.random() < 0.3:
        d = [small(rng, 1, 3) for _ in range(nd)]
        attrs["dilations"] = d
        tags.add("dilation")
    padkind = pick(rng, ["none", "explicit", "explicit", "SAME_UPPER", "SAME_LOWER", "VALID"])
    if padkind == "explicit":
        attrs["pads"] = [small(rng, 0, k[i] - 1) for i in range(nd)] + [small(rng, 0, k[i] - 1) for i in range(nd)]
    elif padkind != "none":
        attrs["auto_pad"] = padkind
    tags.add("pad:" + padkind)
    ceil_since = 18 if op == "LpPool" else 10
    if opset >= ceil_since and "auto_pad" not in attrs and rng.random() < 0.4:
        attrs["ceil_mode"] = 1
        tags.add("ceil")
    if op == "MaxPool" and rng.random() < 0.3:
        attrs["storage_order"] = 1
        tags.add("column_major")
    if op == "AveragePool":
        cip = int(rng.random() < 0.5)
        attrs["count_include_pad"] = cip
        if not cip and rng.random() < 0.5:
            drop.append("countIncludePad")
    if op == "LpPool":
        attrs["p"] = pick(rng, [1, 2, 2, 3])
        if attrs["p"] == 2 and rng.random() < 0.5:
            drop.append("p")
    pads = attrs.get("pads", [0] * 2 * nd)
    eff = [d[i] * (k[i] - 1) + 1 for i in range(nd)]
    sizes = [small(rng, max(1, eff[i] - pads[i] - pads[nd + i]), eff[i] + 5) for i in range(nd)]
    # --- now and then a request onnxruntime refuses
    refuse = None
    if rng.random() < 0.12:
        choices = ["pad>=k"]
        if op != "MaxPool":
            choices.append("f64")
        if opset < ceil_since:
            choices.append("ceil-old-opset")
        if opset < dil_since:
            choices.append("dilation-old-opset")
        choices.append("kernel>input")
        refuse = pick(rng, choices)
        tags.add("refusal:" + refuse)
        if refuse == "pad>=k":
            attrs.pop("auto_pad", None)
            pads = [small(rng, 0, k[i] - 1) for i in range(nd)] * 2
            a = small(rng, 0, 2 * nd - 1)
            pads[a] = k[a % nd]
            attrs["pads"] = pads
        elif refuse == "f64":
            dt = F64
        elif refuse == "ceil-old-opset":
            attrs.pop("auto_pad", None)
            attrs["ceil_mode"] = 1
        elif refuse == "dilation-old-opset":
            attrs["dilations"] = [2] * nd
            d = [2] * nd
        elif refuse == "kernel>input":
            attrs.pop("auto_pad", None)
            attrs.pop("pads", None)
            attrs.pop("ceil_mode", None)
            sizes = [max(1, eff[i] - 1) for i in range(nd)]
            attrs["kernel_shape"] = k = [max(kk, 2) for kk in k]
            sizes = [max(1, (d[i] * (k[i] - 1) + 1) - 1) for i in range(nd)]
    shape = [small(rng, 1, 2), small(rng, 1, 3)] + sizes
    x = rand_input(rng, shape, dt, tags)
    tags.update({f"{nd}d", mode, str(np.dtype(dt)), f"opset{opset}"})

    def refused_params():
        return m.params_for(op, x, attrs, opset)

    def build(xcf):
        try:
            return m.make_case(f"onnx{n}", op, xcf, attrs, opset)
        except SystemExit as e:
            # make_case stops where onnxruntime departs from the generator's rule model (e.g. its
            # output shape): onnxruntime's own answer is still the one to compare with.
            is_max = op == "MaxPool"
            outs = m.ort_run(m.model_of(op, xcf.shape, attrs, opset, is_max, xcf.dtype), xcf)
            case = {"name": f"onnx{n}", "dtype": str(xcf.dtype), "params": m.params_for(op, xcf, attrs, opset),
                    "input": cc.flat(xcf), "output": cc.flat(outs[0]), "modelNote": str(e)}
            if is_max:
                case["indices"] = cc.flat(outs[1], integer=True)
            return case

    return Spec("onnx", mode, build, refused_params, tags, x=x, drop=drop, backward=(mode == "max"))


# ---------------------------------------------------------------------------- jax

def jax_spec(rng, n):
    m = fw("jax")
    tags = {"jax"}
    mode = pick(rng, ["max", "max", "avg"])
    nd = pick(rng, [1, 2, 2, 3])
    dt = F64 if rng.random() < 0.35 else F32
    k = [small(rng, 1, 3 if nd == 3 else 4) for _ in range(nd)]
    s = [small(rng, 1, 3) for _ in range(nd)]
    drop = []
    if all(v == 1 for v in s) and rng.random() < 0.5:
        drop.append("stride")  # flax's default strides: 1
    d = [1] * nd
    if rng.random() < 0.25:
        d = [small(rng, 1, 3) for _ in range(nd)]
        tags.add("dilation")
    dilated = any(v != 1 for v in d)
    padkind = pick(rng, ["VALID", "SAME", "SAME_LOWER", "explicit", "explicit", "big"])
    eff = [d[i] * (k[i] - 1) + 1 for i in range(nd)]
    if padkind in ("explicit", "big"):
        hi = 2 * max(k) + 1 if padkind == "big" else max(0, max(k) - 1)
        pb = [small(rng, 0, hi) for _ in range(nd)]
        pe = [small(rng, 0, hi) for _ in range(nd)]
        padding = (pb, pe)
        sizes = [small(rng, max(1, eff[i] - pb[i] - pe[i]), eff[i] + 4) for i in range(nd)]
    else:
        padding = padkind
        sizes = [small(rng, eff[i] if padkind == "VALID" else 1, eff[i] + 4) for i in range(nd)]
    tags.add("pad:" + padkind)
    cip = bool(rng.random() < 0.5)
    if mode == "avg" and cip and rng.random() < 0.5:
        drop.append("countIncludePad")
    via_flax = (not dilated) and padkind != "SAME_LOWER" and rng.random() < 0.25
    if via_flax:
        tags.add("flax")
    shape = [small(rng, 1, 2), small(rng, 1, 3)] + sizes
    x = rand_input(rng, shape, dt, tags)
    tags.update({f"{nd}d", mode, str(np.dtype(dt))})
    refuse = None
    if rng.random() < 0.08:
        refuse = pick(rng, ["ceil", "lp", "indices"])
        tags.add("refusal:" + refuse)
        pad_value = padding.lower() if isinstance(padding, str) else cc.padding_param(*padding)
        p = cc.params_of("jax", mode, k, s, pad_value, {"dilation": d} if dilated else None)
        if refuse == "ceil":
            p["ceilMode"] = True
            why = "lax.reduce_window has no ceil mode"
        elif refuse == "lp":
            p["mode"], p["p"] = "lp", 2
            why = "JAX has no lp pooling"
        else:
            p["mode"], p["return"] = "max", ["output", "indices"]
            why = "JAX's pooling returns no indices"
        return Spec("jax", p["mode"], None, p, tags, refusal=why, x=x)

    def build(xcf):
        with quiet():
            return m.case(f"jax{n}", mode, xcf, k, s, padding, rng, d=d if dilated else None, cip=cip,
                          via_flax=via_flax)

    spec = Spec("jax", mode, build, None, tags, x=x, drop=drop)
    spec.backward_refused = (mode == "max" and dilated) and "JAX has no VJP for dilated max pooling (NotImplementedError)"
    return spec


# ---------------------------------------------------------------------------- torch7

def torch7_spec(rng, n):
    m = fw("torch7")
    tags = {"torch7"}
    mode = pick(rng, ["max", "max", "avg", "lp"])
    nd = pick(rng, [1, 2, 2, 3]) if mode != "lp" else pick(rng, [1, 2])
    dt = F64 if rng.random() < 0.35 else F32
    k = [small(rng, 1, 3 if nd == 3 else 4) for _ in range(nd)]
    s = [small(rng, 1, 3) for _ in range(nd)]
    pad = [small(rng, 0, k[i] // 2) for i in range(nd)] if mode != "lp" and rng.random() < 0.6 else [0] * nd
    dil = [1] * nd
    if mode == "max" and nd <= 2 and rng.random() < 0.3:
        dil = [small(rng, 1, 3) for _ in range(nd)]
        tags.add("dilation")
    ceil = mode != "lp" and rng.random() < 0.45
    cip = bool(rng.random() < 0.5)
    p = pick(rng, [1, 2, 2, 3, 1.5])
    if mode == "avg" and nd == 3:
        pad, ceil, cip = [0] * 3, False, True  # nn.VolumetricAveragePooling: pads 0, floor, count_include_pad
    eff = [dil[i] * (k[i] - 1) + 1 for i in range(nd)]
    sizes = [small(rng, max(1, eff[i] - 2 * pad[i]), eff[i] + 5) for i in range(nd)]
    drop_draws = (rng.random(), rng.random())
    refuse, why = None, None
    if rng.random() < 0.12:
        choices = ["pad>k/2", "asym", "same", "too-small"]
        if mode == "avg":
            choices.append("avg-dilation")
        if mode == "lp":
            choices += ["lp-pad", "lp-ceil", "lp-3d"]
        if mode == "avg" and nd == 3:
            choices += ["avg3d-pad", "avg3d-ceil", "avg3d-nocip"]
        refuse = pick(rng, choices)
        tags.add("refusal:" + refuse)
        if refuse == "pad>k/2":
            a = small(rng, 0, nd - 1)
            k[a] = max(k[a], 2)
            pad[a] = k[a] // 2 + 1
        elif refuse == "too-small":
            pad = [0] * nd
            ceil = False
            k = [max(v, 2) for v in k]
            sizes = [max(1, (dil[i] * (k[i] - 1) + 1) - 1) for i in range(nd)]
        elif refuse == "lp-3d":
            nd = 3
            k, s, pad, dil, sizes = [2] * 3, [2] * 3, [0] * 3, [1] * 3, [3, 3, 3]
    # Which defaults to leave out, decided after the refusal edits above (they may change k).
    drop = []
    default_stride = [1] * nd if mode == "avg" and nd != 3 else k
    if s == default_stride and drop_draws[0] < 0.5:
        drop.append("stride")
    if mode == "avg" and cip and drop_draws[1] < 0.5:
        drop.append("countIncludePad")
    shape = [small(rng, 1, 2), small(rng, 1, 3)] + sizes
    x = rand_input(rng, shape, dt, tags)
    tags.update({f"{nd}d", mode, str(np.dtype(dt))})
    if ceil:
        tags.add("ceil")
    if any(pad):
        tags.add("padding")

    def params():
        q = {"convention": "torch7", "mode": mode, "kernelSize": list(k), "stride": list(s), "padding": list(pad)}
        if mode == "max":
            q.update(dilation=list(dil), ceilMode=ceil)
        if mode == "avg":
            q.update(ceilMode=ceil, countIncludePad=cip)
        if mode == "lp":
            q["p"] = p
        return q

    if refuse in ("asym", "same", "avg-dilation", "lp-pad", "lp-ceil", "lp-3d", "avg3d-pad", "avg3d-ceil", "avg3d-nocip"):
        q = params()
        if refuse == "asym":
            q["padding"] = {"begin": [0] * nd, "end": [1] * nd}
            q["kernelSize"] = [max(v, 2) for v in k]
            why = "Torch7's modules take one symmetric padding per dimension"
        elif refuse == "same":
            q["padding"] = "same"
            why = "Torch7 has no SAME padding"
        elif refuse == "avg-dilation":
            q["dilation"] = [2] * nd
            why = "nn.SpatialAveragePooling has no dilation"
        elif refuse == "lp-pad":
            q["kernelSize"] = [max(v, 2) for v in k]
            q["padding"] = [1] * nd
            why = "nn.SpatialLPPooling has no padding"
        elif refuse == "lp-ceil":
            q["ceilMode"] = True
            why = "nn.SpatialLPPooling has no ceil mode"
        elif refuse == "lp-3d":
            why = "Torch7 has no volumetric Lp pooling"
        elif refuse == "avg3d-pad":
            q["kernelSize"], q["padding"] = [2] * 3, [1] * 3
            why = "nn.VolumetricAveragePooling(kT, kW, kH, dT, dW, dH) has no padding argument"
        elif refuse == "avg3d-ceil":
            q["ceilMode"] = True
            why = "nn.VolumetricAveragePooling has no ceil mode"
        else:
            q["countIncludePad"] = False
            why = "nn.VolumetricAveragePooling always counts padding (it has none)"
        return Spec("torch7", mode, None, q, tags, refusal=why, x=x)

    def build(xcf):
        nm = f"t7_{n}_{xcf.shape}"
        if mode == "max":
            if nd == 1:
                return m.max1d(nm, xcf, k[0], s[0], pad[0], dil[0], ceil)
            if nd == 2:
                return m.max2d(nm, xcf, tuple(k), tuple(s), tuple(pad), tuple(dil), ceil)
            return m.max3d(nm, xcf, tuple(k), tuple(s), tuple(pad), ceil)
        if mode == "avg":
            if nd == 1:
                return m.avg1d(nm, xcf, k[0], s[0], pad[0], ceil, cip)
            if nd == 2:
                return m.avg2d(nm, xcf, tuple(k), tuple(s), tuple(pad), ceil, cip)
            return m.avg3d(nm, xcf, tuple(k), tuple(s))
        if nd == 1:
            return m.lp1d(nm, xcf, p, k[0], s[0])
        return m.lp2d(nm, xcf, p, tuple(k), tuple(s))

    return Spec("torch7", mode, build, params, tags, x=x, drop=drop)


SPECS = {"tensorflow": tf_spec, "onnx": onnx_spec, "jax": jax_spec, "torch7": torch7_spec}


# ============================================================================ tensors and layout

def arr(t, dtype):
    """A generator's flat {"shape", "data"} as a numpy array."""
    data = [NAN if v == "NaN" else INF if v == "Infinity" else -INF if v == "-Infinity" else v for v in t["data"]]
    return np.array(data, dtype=dtype).reshape(t["shape"])


def to_layout(a, src, dst):
    if src == dst or a is None:
        return a
    return cc.to_last(a) if dst == "channels_last" else cc.to_first(a)


def b64(a, dtype):
    a = np.ascontiguousarray(a, dtype=dtype)
    return {"shape": list(a.shape), "dtype": np.dtype(dtype).name, "b64": base64.b64encode(a.astype("<" + a.dtype.str[1:]).tobytes()).decode()}


def unb64(t):
    if not isinstance(t, dict) or "b64" not in t:
        return None
    dt = {"float32": "<f4", "float64": "<f8", "int64": "<i8", "float16": "<f2"}[t["dtype"]]
    return np.frombuffer(base64.b64decode(t["b64"]), dtype=dt).reshape(t["shape"])


def readable(a):
    """A tensor for a printed reproduction: flat list, NaN/±Infinity strings, -0.0 kept."""
    if a is None:
        return None
    out = []
    for v in np.asarray(a).reshape(-1).tolist():
        if isinstance(v, float) and math.isnan(v):
            out.append("NaN")
        elif isinstance(v, float) and math.isinf(v):
            out.append("Infinity" if v > 0 else "-Infinity")
        else:
            out.append(v)
    return {"shape": list(np.asarray(a).shape), "data": out}


# ============================================================================ comparison

def diff_cells(want, got, exact, rtol):
    """Indices (tuples) of cells that differ; None when the shapes differ."""
    want, got = np.asarray(want), np.asarray(got)
    if want.shape != got.shape:
        return None
    if want.dtype.kind in "iu" or got.dtype.kind in "iu":
        bad = want.astype(np.int64) != got.astype(np.int64)
    else:
        w, g = want.astype(np.float64), got.astype(np.float64)
        both_nan = np.isnan(w) & np.isnan(g)
        if exact:
            same = both_nan | ((w == g) & (np.signbit(w) == np.signbit(g)))
        else:
            # relative to the cell, and to the tensor's largest finite magnitude (a sum of shares
            # that cancels to about 0 is rounded differently in another summation order)
            finite = np.abs(w[np.isfinite(w)])
            scale = float(finite.max()) if finite.size else 0.0
            with np.errstate(all="ignore"):
                close = np.abs(w - g) <= rtol * np.maximum(np.maximum(np.abs(w), np.abs(g)), scale) + 1e-300
                same = both_nan | (w == g) | (np.isfinite(w) & np.isfinite(g) & close)
        bad = ~same
    return [tuple(int(i) for i in ix) for ix in zip(*np.nonzero(bad))]


# ============================================================================ HTTP

Client = JSONClient  # scripts/lib/json_client.py, shared with differential.py


# ============================================================================ one case

def framework_answer(spec, xcf):
    """The generator's case for input xcf, or raises Refused (the framework refused) or
    ModelDisagrees (a generator's rule model check failed)."""
    try:
        with quiet():
            return spec.build(xcf)
    except SystemExit as e:
        raise ModelDisagrees(str(e)) from None
    except AssertionError as e:
        if spec.framework == "torch7":  # a 3-D window without a cell: torch7's backward is undefined
            raise Undefined(str(e)) from None
        raise Refused(f"AssertionError: {e}") from None
    except Exception as e:  # noqa: BLE001  (whatever the framework raises is its refusal)
        raise Refused(f"{type(e).__name__}: {str(e).splitlines()[0][:200] if str(e) else ''}") from None


class ModelDisagrees(Exception):
    pass


class Undefined(Exception):
    pass


def expected_of(spec, case, layout):
    """The framework's tensors from a generator case, moved to `layout`; and the request params."""
    dt = F64 if case["dtype"] == "float64" else F32
    params = dict(case["params"])
    src = params.get("layout", "channels_first")
    x = to_layout(arr(case["input"], dt), src, layout)
    out = case.get("outputMaxPool2d", case["output"])  # TF: poolserve follows tf.nn.max_pool2d's value
    e = {"output": to_layout(arr(out, dt), src, layout)}
    if "indices" in case:
        e["indices"] = to_layout(arr(case["indices"], np.int64), src, layout)
    if "gradOutput" in case:
        e["gradOutput"] = to_layout(arr(case["gradOutput"], dt), src, layout)
        if "gradInput" in case:
            e["gradInput"] = to_layout(arr(case["gradInput"], dt), src, layout)
    if spec.framework == "onnx" and spec.mode == "max" and "indices" in case:
        # ONNX has no gradient: poolserve sends a window's gradient to its Indices cell.
        e.update(onnx_index_gradient(case, dt, layout))
    if layout == "channels_first":
        params.pop("layout", None)
    else:
        params["layout"] = layout
    if dt == F64:
        params["dtype"] = "float64"
    for f in spec.drop:
        params.pop(f, None)
    return params, x, e, dt


_grad_rng = np.random.default_rng(12345)


def onnx_index_gradient(case, dt, layout):
    idx = arr(case["indices"], np.int64)  # channels_first, (n*C + c)*S + s
    xshape = case["input"]["shape"]
    N, C = xshape[:2]
    sp = xshape[2:]
    S = int(np.prod(sp))
    g = cc.grad_output(_grad_rng, idx.shape, dt)
    gx = np.zeros(N * C * S, dtype=dt)
    col = case["params"].get("indexOrder") == "column_major"
    for j, (i, gv) in enumerate(zip(idx.reshape(-1), g.reshape(-1))):
        plane = j // int(np.prod(idx.shape[2:]))
        if not (plane * S <= i < (plane + 1) * S):
            continue  # a window without a cell (onnxruntime's index points nowhere useful)
        s = int(i) - plane * S
        if col:
            s = int(np.ravel_multi_index(np.unravel_index(s, sp, order="F"), sp))
        gx[plane * S + s] += gv
    return {"gradOutput": to_layout(g, "channels_first", layout),
            "gradInput": to_layout(gx.reshape(xshape), "channels_first", layout), "derivedGrad": True}


def poolserve_answer(client, params, x, e, dt, backward):
    """poolserve's forward (and backward) answers: {tensor: array} or a status problem."""
    got, problems = {}, []
    body = dict(params, input=b64(x, dt), encoding="b64")
    want_indices = "indices" in e
    body["return"] = ["output", "indices"] if want_indices else ["output"]
    status, _, r = client.post("/pool/forward", body)
    if status != 200:
        return None, status, r, body
    got["output"] = unb64(r.get("output"))
    if want_indices:
        got["indices"] = unb64(r.get("indices"))
    if "rules" not in r:
        problems.append("forward answer without `rules`")
    if list(r.get("outputShape", [])) != list(e["output"].shape):
        problems.append(f"outputShape {r.get('outputShape')} vs the framework's {list(e['output'].shape)}")
    if backward and "gradOutput" in e:
        bbody = dict(params, input=b64(x, dt), gradOutput=b64(e["gradOutput"], dt), encoding="b64")
        bstatus, _, br = client.post("/pool/backward", bbody)
        if bstatus != 200:
            got["_backward_status"] = (bstatus, br)
        else:
            got["gradInput"] = unb64(br.get("gradInput"))
    got["_problems"] = problems
    return got, 200, r, body


def compare(spec, e, got, dt):
    """[(tensor, cells or None, detail)] of what differs."""
    out = []
    rtol = RTOL[np.dtype(dt).name]
    exact_out = spec.mode == "max"
    for name in ("output", "indices", "gradInput"):
        if name not in e:
            continue
        if name == "gradInput" and "_backward_status" in got:
            st, br = got["_backward_status"]
            out.append(("gradInput", None, f"/pool/backward answered {st}: {problem_text(br)}"))
            continue
        if name not in got:
            continue
        g = got[name]
        if g is None:
            out.append((name, None, "missing from the answer"))
            continue
        exact = exact_out or name == "indices"
        cells = diff_cells(e[name], g, exact, rtol)
        if cells is None:
            out.append((name, None, f"shape {list(np.shape(g))} vs the framework's {list(np.shape(e[name]))}"))
        elif cells:
            out.append((name, cells, ""))
    for pr in got.get("_problems", []):
        out.append(("answer", None, pr))
    return out


def problem_text(r):
    if isinstance(r, dict) and "errors" in r:
        return "; ".join(f"{er.get('pointer', '')}: {er.get('detail', er.get('message', ''))}" for er in r["errors"])[:400]
    return json.dumps(r)[:400]


# ============================================================================ driver

class Report:
    def __init__(self, show):
        self.show = show
        self.counts = collections.Counter()
        self.mismatch = collections.defaultdict(list)   # signature -> [text]
        self.accepted = collections.defaultdict(list)   # refusal kind -> [text]
        self.model = collections.defaultdict(list)
        self.refused_ok = collections.Counter()

    def add_mismatch(self, sig, text):
        self.mismatch[sig].append(text)


def signature(spec, diffs, params):
    parts = [spec.framework, spec.mode]
    for name, cells, detail in diffs:
        parts.append(name + ("(shape)" if cells is None and detail.startswith("shape") else
                             "(status)" if cells is None and "answered" in detail else ""))
    for f in spec.drop:
        parts.append("default:" + f)
    return " / ".join(parts)


def describe(spec, params, x, e, got, diffs, body):
    lines = []
    req = {k: v for k, v in body.items() if k not in ("input", "encoding")}
    req["input"] = readable(x)
    if "gradOutput" in e:
        req["gradOutput"] = readable(e["gradOutput"])
    lines.append("    request (forward; backward = the same with gradOutput): " + json.dumps(req))
    if e.get("derivedGrad"):
        lines.append("    (gradInput expected: gradOutput sent to each window's ONNX Indices cell)")
    for name, cells, detail in diffs:
        if cells is None:
            lines.append(f"    {name}: {detail}")
            if name in e and name in got and got[name] is not None:
                lines.append(f"      framework: {json.dumps(readable(e[name]))}")
                lines.append(f"      poolserve: {json.dumps(readable(got[name]))}")
            continue
        lines.append(f"    {name}: {len(cells)} of {e[name].size} cells differ; framework vs poolserve:")
        for c in cells[:8]:
            w, g = e[name][c], got[name][c]
            lines.append(f"      at {list(c)}: {fmt(w)} vs {fmt(g)}")
        lines.append(f"      framework {name}: {json.dumps(readable(e[name]))}")
        lines.append(f"      poolserve {name}: {json.dumps(readable(got[name]))}")
    return "\n".join(lines)


def fmt(v):
    if isinstance(v, (np.integer, int)):
        return str(int(v))
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if v == 0:
        return "-0.0" if math.copysign(1, v) < 0 else "0.0"
    return repr(v)


def run_one(client, spec, layout, rep, n):
    tags = ",".join(sorted(spec.tags))
    fwk = spec.framework
    # ---------- requests the framework cannot express at all
    if spec.refusal:
        return refusal_check(client, spec, spec.params_if_refused, spec.refusal, layout, rep, tags)
    try:
        case = framework_answer(spec, spec.x)
    except Refused as r:
        params = spec.params_if_refused() if callable(spec.params_if_refused) else spec.params_if_refused
        return refusal_check(client, spec, params, f"the framework raised {r}", layout, rep, tags)
    except ModelDisagrees as md:
        rep.counts[fwk + " generator-model"] += 1
        rep.model[fwk].append(f"  case {n} [{tags}]: {str(md)[:600]}")
        return
    except Undefined:
        rep.counts[fwk + " undefined-in-framework"] += 1
        return
    if "modelNote" in case:
        rep.counts[fwk + " generator-model"] += 1
        rep.model[fwk].append(f"  case {n} [{tags}]: {case['modelNote'][:600]} (compared with onnxruntime's own answer)")
    params, x, e, dt = expected_of(spec, case, layout)
    if e["output"].size == 0:  # the framework answers an empty tensor: poolserve's 422 is the refusal
        spec.tags.add("refusal:empty-output")
        return refusal_check(client, spec, case["params"], f"the framework answers an empty output {list(e['output'].shape)}",
                             layout, rep, tags)
    got, status, r, body = poolserve_answer(client, params, x, e, dt, spec.backward)
    rep.counts[fwk + " cases"] += 1
    if got is None:
        rep.counts[fwk + " mismatch"] += 1
        diffs = [("forward", None, f"/pool/forward answered {status}: {problem_text(r)} (the framework computes it)")]
        sig = f"{fwk} / {spec.mode} / refused by poolserve"
        rep.add_mismatch(sig, f"  case {n} [{tags}]\n" + describe(spec, params, x, e, {}, diffs, body))
        return
    if getattr(spec, "backward_refused", None):
        refusal_backward(client, spec, params, x, e, dt, rep, tags)
    diffs = compare(spec, e, got, dt)
    if not diffs:
        return
    # ---------- shrink to the plane of the first differing cell
    first = next((c[0] for _, c, _ in diffs if c), (0, 0) + (0,) * (spec.x.ndim - 2))
    if spec.x.shape[0] > 1 or spec.x.shape[1] > 1:
        lay_n, lay_c = first[0], (first[1] if layout == "channels_first" else first[-1])
        xs = spec.x[lay_n:lay_n + 1, lay_c:lay_c + 1]
        try:
            case2 = framework_answer(spec, xs)
            p2, x2, e2, dt2 = expected_of(spec, case2, layout)
            got2, st2, r2, body2 = poolserve_answer(client, p2, x2, e2, dt2, spec.backward)
            if got2 is not None:
                d2 = compare(spec, e2, got2, dt2)
                if d2:
                    params, x, e, got, diffs, body = p2, x2, e2, got2, d2, body2
        except (Refused, ModelDisagrees, Undefined):
            pass
    rep.counts[fwk + " mismatch"] += 1
    rep.add_mismatch(signature(spec, diffs, params), f"  case {n} [{tags}]\n" + describe(spec, params, x, e, got, diffs, body))


def refusal_backward(client, spec, params, x, e, dt, rep, tags):
    """The framework computes the forward but has no gradient: /pool/backward must be a 422."""
    fwk = spec.framework
    rep.counts[fwk + " refusal checks"] += 1
    g = cc.grad_output(_grad_rng, e["output"].shape, dt)
    body = dict(params, input=b64(x, dt), gradOutput=b64(g, dt), encoding="b64")
    status, _, r = client.post("/pool/backward", body)
    if status == 422:
        rep.refused_ok[fwk + " refusal:backward"] += 1
        return
    rep.counts[fwk + " accepted-where-framework-refuses"] += 1
    req = {k: v for k, v in body.items() if k not in ("input", "gradOutput", "encoding")}
    rep.accepted[f"{fwk} refusal:backward"].append(
        f"  [{tags}] framework: {spec.backward_refused}\n    poolserve /pool/backward answered {status}\n    request: "
        + json.dumps(req)[:1500])


def refusal_check(client, spec, params, why, layout, rep, tags):
    fwk = spec.framework
    rep.counts[fwk + " refusal checks"] += 1
    params = dict(params)
    x = to_layout(spec.x, "channels_first", layout)  # spec.x is channels_first
    if layout == "channels_first":
        params.pop("layout", None)
    else:
        params["layout"] = layout
    if x.dtype == np.float64:
        params["dtype"] = "float64"
    body = dict(params, input=b64(x, x.dtype), encoding="b64")
    status, _, r = client.post("/pool/forward", body)
    kind = next((t for t in spec.tags if t.startswith("refusal:")), "unplanned (the drawn case itself)")
    if status == 422:
        rep.refused_ok[fwk + " " + kind] += 1
        return
    req = {k: v for k, v in body.items() if k not in ("input", "encoding")}
    req["input"] = readable(x)
    rep.counts[fwk + " accepted-where-framework-refuses"] += 1
    rep.accepted[f"{fwk} {kind}"].append(
        f"  [{tags}] framework: {why}\n    poolserve answered {status}"
        + (f" ({problem_text(r)})" if status != 200 else "") + "\n    request: " + json.dumps(req)[:1500])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("url")
    ap.add_argument("--cases", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--framework", choices=FRAMEWORKS)
    ap.add_argument("--show", type=int, default=3, help="reproductions printed per mismatch group")
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    client = Client(a.url)
    rep = Report(a.show)
    frameworks = [a.framework] if a.framework else FRAMEWORKS
    for n in range(a.cases):
        fwk = frameworks[n % len(frameworks)]
        spec = SPECS[fwk](rng, n)
        layout = "channels_last" if rng.random() < 0.35 else "channels_first"
        spec.tags.add(layout)
        run_one(client, spec, layout, rep, n)
        if (n + 1) % 50 == 0:
            print(f"... {n + 1} cases", flush=True)
    # ---------- report
    print(f"\ndifferential-conventions: seed {a.seed}, {a.cases} cases ({', '.join(frameworks)})")
    for k in sorted(rep.counts):
        print(f"  {k}: {rep.counts[k]}")
    if rep.refused_ok:
        print("refused by both (422 as expected): " + ", ".join(f"{k} ×{v}" for k, v in sorted(rep.refused_ok.items())))
    if rep.model:
        print("\nGENERATOR RULE MODEL DISAGREES WITH THE FRAMEWORK (case not compared):")
        for k, v in rep.model.items():
            print(f" {k}: {len(v)}")
            for t in v[:a.show]:
                print(t)
    if rep.accepted:
        print("\nACCEPTED BY POOLSERVE WHERE THE FRAMEWORK REFUSES (not counted as mismatches):")
        for k, v in sorted(rep.accepted.items()):
            print(f" {k}: {len(v)}")
            for t in v[:a.show]:
                print(t)
    total = sum(len(v) for v in rep.mismatch.values())
    if total:
        print(f"\nMISMATCHES: {total}, in {len(rep.mismatch)} groups")
        for k, v in sorted(rep.mismatch.items(), key=lambda kv: -len(kv[1])):
            print(f"\n== {k}: {len(v)}")
            for t in v[:a.show]:
                print(t)
    else:
        print("\nno mismatches")
    sys.exit(1 if total else 0)


if __name__ == "__main__":
    main()

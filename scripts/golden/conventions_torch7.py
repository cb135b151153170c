#!/usr/bin/env python3
"""Golden cases for `"convention": "torch7"` (issue 25), computed by the line-by-line numpy port of
torch/nn's THNN pooling (scripts/golden/torch7_reference.py; torch7 itself cannot be installed).

Writes Tests/Fixtures/conventions/torch7.json in the golden format (Tests/Fixtures/golden/README.md):
params in the service's vocabulary with `"convention": "torch7"` and an explicit stride, tensors
channels_first, `indices` in torch7's own form (1-based flat index inside the (n, c) plane,
row-major; 0 = the window selected no cell), gradOutput of small nonzero integers, gradInput.
Each case also has `torch7`: the Lua module that computes it, and `note` where useful.

1-D cases are the Spatial modules on a (N, C, 1, L) view (not nn.TemporalMaxPooling, whose input is
time-major and whose indices are 0-based window offsets). 3-D max cases come from
VolumetricMaxPooling, whose own indices are packed (t, h, w) byte offsets inside the kernel: the
file gives them as per-plane flat 1-based indices t*H*W + h*W + w + 1 instead (no 3-D case has a
window without a cell: torch7's 3-D backward writes such a window's gradient out of bounds).
Usage: python3 scripts/golden/conventions_torch7.py [OUT.json]"""
import json
import os
import sys
import zlib

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch7_reference as t7  # noqa: E402
from golden_common import flat  # noqa: E402

SEED = 25
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.normpath(
    os.path.join(HERE, "..", "..", "Tests", "Fixtures", "conventions", "torch7.json"))
GENERATOR = (f"torch7 rules ported from torch/nn {t7.NN_COMMIT[:12]} and torch/torch7 {t7.TORCH7_COMMIT[:12]} "
             "(scripts/golden/torch7_reference.py)")

F32, F64 = np.float32, np.float64
NAME = {F32: "float32", F64: "float64"}
NAN, INF = float("nan"), float("inf")


def rng_for(name):
    return np.random.default_rng([SEED, zlib.crc32(name.encode())])


def normal(rng, shape, dt):
    return rng.standard_normal(shape).astype(dt)


def ints(rng, shape, dt, lo=-2, hi=3):
    return rng.integers(lo, hi, size=shape).astype(dt)


def specials(rng, shape, dt, nan=0.0, pinf=0.0, ninf=0.0, nzero=0.0, ties=False):
    """Random values (small integers with `ties`) with the given shares of NaN, +Inf, -Inf, -0."""
    x = ints(rng, shape, dt) if ties else normal(rng, shape, dt)
    u = rng.random(shape)
    edges = np.cumsum([nan, pinf, ninf, nzero])
    x[u < edges[0]] = NAN
    x[(u >= edges[0]) & (u < edges[1])] = INF
    x[(u >= edges[1]) & (u < edges[2])] = -INF
    x[(u >= edges[2]) & (u < edges[3])] = -0.0
    return x


def grad_output(name, shape, dt):
    """Small NONZERO integers (+-1..3): sums stay exact and a dropped window gradient shows."""
    r = rng_for(name + "/gradOutput")
    return (r.integers(1, 4, size=shape) * r.choice([-1, 1], size=shape)).astype(dt)


def base_case(name, dt, params, x, call, note):
    c = {"name": name, "dtype": NAME[dt], "params": dict(convention="torch7", **params), "torch7": call}
    if note:
        c["note"] = note
    c["input"] = flat(x)
    return c


# ----------------------------------------------------------------------------------------------
# case builders; sizes in the service's spatial order (H before W), torch7 calls in its own (W first)
# ----------------------------------------------------------------------------------------------

def max2d(name, x, k, s, pad=(0, 0), dil=(1, 1), ceil=False, note=None):
    (kH, kW), (dH, dW), (pH, pW), (lH, lW) = k, s, pad, dil
    out, ind = t7.spatial_max_update_output(x, kW, kH, dW, dH, pW, pH, lW, lH, ceil)
    go = grad_output(name, out.shape, x.dtype.type)
    gi = t7.spatial_max_update_grad_input(x, go, ind)
    mod = (f"nn.SpatialDilatedMaxPooling({kW}, {kH}, {dW}, {dH}, {pW}, {pH}, {lW}, {lH})" if dil != (1, 1)
           else f"nn.SpatialMaxPooling({kW}, {kH}, {dW}, {dH}, {pW}, {pH})") + (":ceil()" if ceil else "")
    params = dict(mode="max", kernelSize=[kH, kW], stride=[dH, dW], padding=[pH, pW], dilation=[lH, lW], ceilMode=ceil)
    c = base_case(name, x.dtype.type, params, x, mod, note)
    c.update(output=flat(out), indices=flat(ind, integer=True), gradOutput=flat(go), gradInput=flat(gi))
    return c


def max1d(name, x, k, s, pad=0, dil=1, ceil=False, note=None):
    out, ind = t7.max1d_update_output(x, k, s, pad, dil, ceil)
    go = grad_output(name, out.shape, x.dtype.type)
    gi = t7.max1d_update_grad_input(x, go, ind)
    mod = (f"nn.SpatialDilatedMaxPooling({k}, 1, {s}, 1, {pad}, 0, {dil}, 1)" if dil != 1
           else f"nn.SpatialMaxPooling({k}, 1, {s}, 1, {pad}, 0)") + (":ceil()" if ceil else "")
    mod += " on input:view(N, C, 1, L)"
    params = dict(mode="max", kernelSize=[k], stride=[s], padding=[pad], dilation=[dil], ceilMode=ceil)
    n = "1-D = the Spatial module with height 1 (indices x + 1)" + (f"; {note}" if note else "")
    c = base_case(name, x.dtype.type, params, x, mod, n)
    c.update(output=flat(out), indices=flat(ind, integer=True), gradOutput=flat(go), gradInput=flat(gi))
    return c


def max3d(name, x, k, s, pad=(0, 0, 0), ceil=False, note=None):
    (kT, kH, kW), (dT, dH, dW), (pT, pH, pW) = k, s, pad
    out, offs, idx = t7.volumetric_max_update_output(x, kT, kW, kH, dT, dW, dH, pT, pW, pH, 1, 1, 1, ceil)
    assert np.all(idx > 0), "a 3-D window without a cell (torch7's backward is undefined there)"
    go = grad_output(name, out.shape, x.dtype.type)
    gi = t7.volumetric_max_update_grad_input(x, go, offs, kT, kW, kH, dT, dW, dH, pT, pW, pH)
    mod = f"nn.VolumetricMaxPooling({kT}, {kW}, {kH}, {dT}, {dW}, {dH}, {pT}, {pW}, {pH})" + (":ceil()" if ceil else "")
    params = dict(mode="max", kernelSize=[kT, kH, kW], stride=[dT, dH, dW], padding=[pT, pH, pW], dilation=[1, 1, 1],
                  ceilMode=ceil)
    n = ("indices: torch7 packs (t, h, w) kernel offsets into bytes; given here as the per-plane flat "
         "1-based index t*H*W + h*W + w + 1") + (f"; {note}" if note else "")
    c = base_case(name, x.dtype.type, params, x, mod, n)
    c.update(output=flat(out), indices=flat(idx, integer=True), gradOutput=flat(go), gradInput=flat(gi))
    return c


def avg2d(name, x, k, s, pad=(0, 0), ceil=False, cip=True, note=None):
    (kH, kW), (dH, dW), (pH, pW) = k, s, pad
    out = t7.spatial_avg_update_output(x, kW, kH, dW, dH, pW, pH, ceil, cip)
    go = grad_output(name, out.shape, x.dtype.type)
    gi = t7.spatial_avg_update_grad_input(x, go, kW, kH, dW, dH, pW, pH, ceil, cip)
    mod = (f"nn.SpatialAveragePooling({kW}, {kH}, {dW}, {dH}, {pW}, {pH})" + (":ceil()" if ceil else "")
           + ("" if cip else ":setCountExcludePad()"))
    params = dict(mode="avg", kernelSize=[kH, kW], stride=[dH, dW], padding=[pH, pW], ceilMode=ceil, countIncludePad=cip)
    c = base_case(name, x.dtype.type, params, x, mod, note)
    c.update(output=flat(out), gradOutput=flat(go), gradInput=flat(gi))
    return c


def avg1d(name, x, k, s, pad=0, ceil=False, cip=True, note=None):
    out = t7.avg1d_update_output(x, k, s, pad, ceil, cip)
    go = grad_output(name, out.shape, x.dtype.type)
    gi = t7.avg1d_update_grad_input(x, go, k, s, pad, ceil, cip)
    mod = (f"nn.SpatialAveragePooling({k}, 1, {s}, 1, {pad}, 0)" + (":ceil()" if ceil else "")
           + ("" if cip else ":setCountExcludePad()") + " on input:view(N, C, 1, L)")
    params = dict(mode="avg", kernelSize=[k], stride=[s], padding=[pad], ceilMode=ceil, countIncludePad=cip)
    n = "1-D = the Spatial module with height 1" + (f"; {note}" if note else "")
    c = base_case(name, x.dtype.type, params, x, mod, n)
    c.update(output=flat(out), gradOutput=flat(go), gradInput=flat(gi))
    return c


def avg3d(name, x, k, s, note=None):
    (kT, kH, kW), (dT, dH, dW) = k, s
    out = t7.volumetric_avg_update_output(x, kT, kW, kH, dT, dW, dH)
    go = grad_output(name, out.shape, x.dtype.type)
    gi = t7.volumetric_avg_update_grad_input(x, go, kT, kW, kH, dT, dW, dH)
    mod = f"nn.VolumetricAveragePooling({kT}, {kW}, {kH}, {dT}, {dW}, {dH})"
    params = dict(mode="avg", kernelSize=[kT, kH, kW], stride=[dT, dH, dW], padding=[0, 0, 0], ceilMode=False,
                  countIncludePad=True)
    n = ("nn.VolumetricAveragePooling always runs with pads 0, floor mode and count_include_pad; "
         "its stride defaults to the kernel") + (f"; {note}" if note else "")
    c = base_case(name, x.dtype.type, params, x, mod, n)
    c.update(output=flat(out), gradOutput=flat(go), gradInput=flat(gi))
    return c


def lp2d(name, x, p, k, s, note=None):
    (kH, kW), (dH, dW) = k, s
    out, _ = t7.spatial_lp_update_output(x, p, kW, kH, dW, dH)
    go = grad_output(name, out.shape, x.dtype.type)
    gi = t7.spatial_lp_update_grad_input(x, go, p, kW, kH, dW, dH)
    pn = int(p) if float(p).is_integer() else p
    mod = f"nn.SpatialLPPooling({x.shape[1]}, {pn}, {kW}, {kH}, {dW}, {dH})"
    params = dict(mode="lp", p=pn, kernelSize=[kH, kW], stride=[dH, dW])
    nan_o, nan_g = int(np.isnan(out).sum()), int(np.isnan(gi).sum())
    inf_g = int(np.isinf(gi).sum())
    extra = f"output NaNs {nan_o}, gradInput NaNs {nan_g}, gradInput infinities {inf_g}"
    c = base_case(name, x.dtype.type, params, x, mod, extra + (f"; {note}" if note else ""))
    c.update(output=flat(out), gradOutput=flat(go), gradInput=flat(gi))
    return c


def lp1d(name, x, p, k, s, note=None):
    x4 = x[:, :, None, :]
    out, _ = t7.spatial_lp_update_output(x4, p, k, 1, s, 1)
    go = grad_output(name, out[:, :, 0, :].shape, x.dtype.type)
    gi = t7.spatial_lp_update_grad_input(x4, go[:, :, None, :], p, k, 1, s, 1)[:, :, 0, :]
    mod = f"nn.SpatialLPPooling({x.shape[1]}, {p}, {k}, 1, {s}, 1) on input:view(N, C, 1, L)"
    params = dict(mode="lp", p=p, kernelSize=[k], stride=[s])
    c = base_case(name, x.dtype.type, params, x, mod, "1-D = the Spatial module with height 1" + (f"; {note}" if note else ""))
    c.update(output=flat(out[:, :, 0, :]), gradOutput=flat(go), gradInput=flat(gi))
    return c


# ----------------------------------------------------------------------------------------------

def cases():
    out = []
    add = out.append
    for dt in (F32, F64):
        sfx = "_f32" if dt is F32 else "_f64"
        lo = -np.finfo(dt).max

        def n(base):
            return base + sfx

        # --- 2-D max: plain, overlap, padding
        add(max2d(n("max2d_basic"), normal(rng_for(n("max2d_basic")), (1, 2, 4, 6), dt), (2, 2), (2, 2)))
        add(max2d(n("max2d_overlap_pad"), normal(rng_for(n("max2d_overlap_pad")), (2, 2, 5, 6), dt), (3, 3), (1, 1), (1, 1)))
        # --- NaN: several per window, never selected
        add(max2d(n("max2d_nan_several"), specials(rng_for(n("max2d_nan_several")), (2, 2, 7, 7), dt, nan=0.45),
                  (3, 3), (2, 2), (1, 1), ceil=True,
                  note="NaN never wins (strict >); a window of NaNs and padding only gives the lowest finite value, index 0"))
        # all-NaN windows and NaN + -inf windows
        x = normal(rng_for(n("max2d_all_nan")), (1, 2, 4, 6), dt)
        x[0, 0, 0:2, 0:2] = NAN          # window (0, 0) all NaN
        x[0, 0, 2:4, 2:4] = [[NAN, -INF], [-INF, NAN]]  # NaN and -inf only
        x[0, 1, 0:2, 4:6] = [[NAN, 1.5], [NAN, NAN]]    # one number among NaNs
        x[0, 1, 2:4, 0:2] = [[NAN, NAN], [NAN, -2.0]]   # the last cell
        add(max2d(n("max2d_all_nan"), x, (2, 2), (2, 2),
                  note="an all-NaN (or NaN/-inf) window: output the lowest finite value (-FLT_MAX / -DBL_MAX), index 0, no gradient"))
        # +-inf, windows of only -inf, windows of only the lowest finite value
        x = specials(rng_for(n("max2d_inf")), (1, 2, 4, 6), dt, pinf=0.15, ninf=0.25)
        x[0, 0, 0:2, 0:2] = -INF
        x[0, 0, 0:2, 2:4] = [[-INF, lo], [lo, -INF]]
        x[0, 1, 0:2, 0:2] = [[INF, INF], [1.0, INF]]
        x[0, 1, 2:4, 4:6] = [[-INF, -INF], [-INF, -1e30]]
        add(max2d(n("max2d_inf"), x, (2, 2), (2, 2),
                  note="-inf never beats the start value -THInf = lowest finite: a window of -inf gives the lowest finite "
                       "value with index 0; so does a window whose best cell equals the lowest finite value"))
        # signed zeros and ties
        x = np.array([[-0.0, 0.0, 0.0, -0.0, -0.0, -0.0], [0.0, -0.0, -0.0, 0.0, -0.0, -0.0],
                      [-1.0, -0.0, 2.0, 2.0, 0.0, 0.0], [-0.0, -1.0, 2.0, 2.0, 0.0, -0.0]], dtype=dt).reshape(1, 1, 4, 6)
        add(max2d(n("max2d_signed_zero_ties"), x, (2, 2), (2, 2), note="ties (+0/-0 too) select the first cell in row-major order"))
        add(max2d(n("max2d_ties_overlap"), ints(rng_for(n("max2d_ties_overlap")), (2, 2, 5, 5), dt, -1, 2), (3, 2), (1, 1), (1, 1)))
        # --- ceil mode, pad 0: last windows may start at or past the end
        add(max2d(n("max2d_ceil_pad0_past_end"), normal(rng_for(n("max2d_ceil_pad0_past_end")), (1, 2, 4, 5), dt),
                  (1, 1), (2, 3), ceil=True,
                  note="no padding, so no last-window guard: rows start at 0, 2, 4 (H = 4) and columns at 0, 3, 6 (W = 5): "
                       "windows starting at or past the end are empty (lowest finite value, index 0, gradient dropped)"))
        add(max2d(n("max2d_ceil_pad0_partial"), specials(rng_for(n("max2d_ceil_pad0_partial")), (1, 2, 7, 8), dt, nan=0.2, ties=True),
                  (2, 3), (3, 4), ceil=True, note="no padding: ceil windows hang over the end (rows start 0, 3, 6 of 7; columns 0, 4, 8 of 8)"))
        add(max2d(n("max2d_ceil_kernel_larger_than_input"), normal(rng_for(n("max2d_ceil_kernel_larger_than_input")), (1, 1, 2, 3), dt),
                  (3, 3), (2, 2), ceil=True, note="(float)(2 - 3)/2 = -0.5, ceil -> -0 -> 1 output row"))
        # --- ceil mode, pad > 0: the guard drops windows starting in the end padding, on EVERY axis
        add(max2d(n("max2d_ceil_pad1_guard"), normal(rng_for(n("max2d_ceil_pad1_guard")), (1, 2, 5, 6), dt),
                  (2, 3), (2, 2), (1, 1), ceil=True, note="rows: ceil(5/2)+1 = 4 windows, the last would start at 6 - 1 = 5 = H: dropped"))
        add(max2d(n("max2d_ceil_pad_one_axis"), normal(rng_for(n("max2d_ceil_pad_one_axis")), (1, 2, 5, 4), dt),
                  (3, 1), (2, 2), (1, 0), ceil=True,
                  note="padH = 1 switches the guard on for W too (padW = 0): columns 0, 2 only (the window at 4 = W is dropped)"))
        # --- dilation (SpatialDilatedMaxPooling)
        add(max2d(n("max2d_dilated_nan"), specials(rng_for(n("max2d_dilated_nan")), (2, 2, 7, 8), dt, nan=0.3, ninf=0.05, nzero=0.05),
                  (3, 2), (1, 2), (1, 1), (2, 3)))
        add(max2d(n("max2d_dilated_ceil_pad0"), normal(rng_for(n("max2d_dilated_ceil_pad0")), (1, 2, 6, 8), dt),
                  (2, 2), (2, 4), (0, 0), (2, 2), ceil=True,
                  note="columns: extent 3, stride 4, W = 8: windows at 0, 4, 8 -- the last is empty"))
        add(max2d(n("max2d_dilated_all_padding"), normal(rng_for(n("max2d_dilated_all_padding")), (1, 2, 2, 5), dt),
                  (2, 2), (1, 2), (1, 1), (3, 1),
                  note="rows: taps at -1 and 2 of H = 2, both outside: every window is empty"))

        # --- 1-D (Spatial, height 1)
        add(max1d(n("max1d_nan_ceil_pad0"), specials(rng_for(n("max1d_nan_ceil_pad0")), (2, 2, 9), dt, nan=0.4, ninf=0.1), 2, 4, ceil=True,
                  note="windows at 0, 4, 8: the last holds one cell"))
        add(max1d(n("max1d_ceil_pad0_empty"), normal(rng_for(n("max1d_ceil_pad0_empty")), (1, 2, 6), dt), 1, 3, ceil=True,
                  note="windows at 0, 3, 6 (L = 6): the last is empty"))
        add(max1d(n("max1d_dilated"), specials(rng_for(n("max1d_dilated")), (1, 3, 11), dt, nan=0.2, ties=True), 3, 2, 1, 2, ceil=True))

        # --- 3-D max (dilation 1)
        add(max3d(n("max3d_pad_ceil"), specials(rng_for(n("max3d_pad_ceil")), (1, 2, 5, 4, 5), dt, nan=0.25, ties=True),
                  (3, 2, 3), (2, 2, 2), (1, 1, 1), ceil=True))
        add(max3d(n("max3d_ceil_pad0_partial"), specials(rng_for(n("max3d_ceil_pad0_partial")), (1, 2, 5, 3, 4), dt, ties=True),
                  (2, 2, 2), (2, 2, 3), ceil=True))

        # --- 2-D avg
        add(avg2d(n("avg2d_stride1"), normal(rng_for(n("avg2d_stride1")), (1, 2, 4, 5), dt), (3, 2), (1, 1),
                  note="nn.SpatialAveragePooling's stride defaults to 1 (max: the kernel)"))
        for cip in (True, False):
            t = "include" if cip else "exclude"
            add(avg2d(n(f"avg2d_pad_{t}"), normal(rng_for(n(f"avg2d_pad_{t}")), (2, 2, 5, 6), dt), (3, 3), (2, 2), (1, 1), cip=cip))
            add(avg2d(n(f"avg2d_ceil_pad_{t}"), normal(rng_for(n(f"avg2d_ceil_pad_{t}")), (1, 2, 6, 7), dt), (3, 2), (2, 2), (1, 1),
                      ceil=True, cip=cip, note="ceil windows past the padded border: their overhang never counts"))
            add(avg2d(n(f"avg2d_ceil_pad0_empty_{t}"), normal(rng_for(n(f"avg2d_ceil_pad0_empty_{t}")), (1, 2, 4, 5), dt),
                      (1, 1), (2, 3), ceil=True, cip=cip,
                      note="no padding: rows start at 0, 2, 4 (H = 4), columns at 0, 3, 6 (W = 5); divisor "
                           "(hend - hstart)*(wend - wstart) with hend clipped to the input: 0 for a row starting at 4 -> 0/0 = NaN; "
                           "-1 for the column at 6 -> 0/-1 = -0, and the output 0 + -0 = +0; gradient of empty windows dropped"))
        add(avg2d(n("avg2d_nan_inf"), specials(rng_for(n("avg2d_nan_inf")), (1, 2, 5, 6), dt, nan=0.08, pinf=0.08, ninf=0.08),
                  (2, 2), (1, 2), (1, 0), ceil=True))
        x = np.full((1, 1, 2, 4), -0.0, dtype=dt)
        x[0, 0, 1, 3] = 1.0
        add(avg2d(n("avg2d_signed_zero"), x, (2, 2), (2, 2), note="the sum starts at +0 and the output is 0 + sum/divisor: all -0 gives +0"))
        add(avg1d(n("avg1d_ceil_exclude"), normal(rng_for(n("avg1d_ceil_exclude")), (2, 2, 8), dt), 3, 2, 1, ceil=True, cip=False))
        add(avg3d(n("avg3d"), normal(rng_for(n("avg3d")), (1, 2, 4, 5, 5), dt), (2, 3, 2), (2, 1, 2)))

        # --- Lp: Power(p)/Square -> SpatialAveragePooling -> MulConstant(kW*kH) -> Power(1/p)/Sqrt, no abs
        for p in (1, 2, 3):
            x = normal(rng_for(n(f"lp2d_p{p}")), (2, 2, 5, 6), dt)
            add(lp2d(n(f"lp2d_p{p}"), x, p, (2, 3), (2, 3), note="negative inputs: x^p keeps the sign for odd p (no abs)"))
            x = normal(rng_for(n(f"lp2d_p{p}_zero_sum")), (1, 2, 4, 4), dt)
            x[0, 0, 0:2, 0:2] = 0.0                              # all-zero window
            x[0, 0, 0:2, 2:4] = [[1.0, -1.0], [2.0, -2.0]]       # odd p: the powers cancel
            x[0, 1, 0:2, 0:2] = [[-0.0, 0.0], [0.0, -0.0]]
            x[0, 1, 2:4, 2:4] = [[0.0, 0.0], [0.0, 3.0]]
            add(lp2d(n(f"lp2d_p{p}_zero_sum"), x, p, (2, 2), (2, 2),
                     note="window sums of 0: p = 2 goes through nn.Sqrt, whose gradient at 0 is 0; p = 3 through Power(1/3): "
                          "0^(-2/3) = inf, so NaN at zero cells and +-inf at the cancelling ones; p = 1: gradient = gradOutput"))
        add(lp2d(n("lp2d_p3_overlap"), specials(rng_for(n("lp2d_p3_overlap")), (1, 2, 5, 5), dt, nzero=0.1), 3, (3, 2), (1, 2)))
        add(lp1d(n("lp1d_p2"), normal(rng_for(n("lp1d_p2")), (2, 2, 9), dt), 2, 3, 2))
    # a few float32-only extras
    add(lp2d("lp2d_p1.5_f32", normal(rng_for("lp2d_p1.5_f32"), (1, 2, 4, 6), F32), 1.5, (2, 2), (2, 2),
             note="powf(negative, 1.5) is NaN"))
    add(max2d("max2d_batch_ties_f32", ints(rng_for("max2d_batch_ties_f32"), (3, 2, 6, 6), F32, -1, 2), (3, 3), (2, 2), (1, 1), ceil=True))
    add(avg2d("avg2d_overlap_ceil_pad0_f32", normal(rng_for("avg2d_overlap_ceil_pad0_f32"), (2, 1, 8, 8), F32), (3, 3), (2, 2),
              ceil=True, cip=False, note="no padding, partial last windows divided by their real cells"))
    return out


def main():
    cs = cases()
    names = [c["name"] for c in cs]
    assert len(set(names)) == len(names), "duplicate case names"
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    body = {"generator": GENERATOR, "seed": SEED, "cases": cs}
    with open(OUT, "w") as f:
        json.dump(body, f, separators=(", ", ": "), allow_nan=False)
        f.write("\n")
    print(f"wrote {os.path.relpath(OUT)}: {len(cs)} cases, {os.path.getsize(OUT) // 1024} KiB")


if __name__ == "__main__":
    main()

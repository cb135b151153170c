"""A slow, literal reference of the wire contract (shared/API.md) in numpy, window by window.

It is what the differential tester falls back on where PyTorch cannot express a request
(asymmetric or "same" padding, padding over half the kernel, avg or lp with dilation, lp with
padding or ceil mode, ties "last"/"split", nan "ignore", column-major indices), and what the golden
generators use for gradients a framework does not give. Where PyTorch can express a request, the
tester checks this reference against PyTorch too, so the reference is itself under test.

Everything is computed in float64 on channels_first arrays; callers convert layouts.

`geometry(params, spatial)` returns per-axis windows or raises `Invalid(pointer, detail)`;
`forward(x, params)` and `backward(x, g, params)` follow the contract's formulas.
"""
import itertools
import math

import numpy as np


class Invalid(Exception):
    """A request the contract refuses (422), with the JSON pointer of the field to blame."""

    def __init__(self, pointer, detail):
        super().__init__(f"{pointer}: {detail}")
        self.pointer = pointer
        self.detail = detail


class Axis:
    """The windows of one spatial axis: taps (positions, possibly outside [0, n)), divisors."""

    def __init__(self, n, taps, border):
        self.n = n
        self.taps = taps  # list of lists of positions
        self.border = border  # (lo, hi): positions lo <= p < hi are real or padding
        self.real = [[p for p in t if 0 <= p < n] for t in taps]
        self.in_border = [[p for p in t if border[0] <= p < border[1]] for t in taps]

    @property
    def extent(self):
        return len(self.taps)


def per_axis(value, d, name):
    if value is None:
        return None
    if isinstance(value, bool):
        raise Invalid(f"/{name}", "must be an integer or a list")
    if isinstance(value, (int, float)):
        return [value] * d
    if len(value) != d:
        raise Invalid(f"/{name}", f"needs {d} values, got {len(value)}")
    return list(value)


def resolve_padding(padding, d, n, k, s, dil):
    """(begin, end) lists from any of the contract's padding forms."""
    if padding is None:
        return [0] * d, [0] * d
    if isinstance(padding, str):
        if padding == "valid":
            return [0] * d, [0] * d
        begin, end = [], []
        for a in range(d):
            out = -(-n[a] // s[a])
            total = max((out - 1) * s[a] + dil[a] * (k[a] - 1) + 1 - n[a], 0)
            small = total // 2
            if padding == "same":
                begin.append(small), end.append(total - small)
            elif padding == "same_lower":
                begin.append(total - small), end.append(small)
            else:
                raise Invalid("/padding", f"unknown padding {padding!r}")
        return begin, end
    if isinstance(padding, dict):
        return list(padding["begin"]), list(padding["end"])
    p = per_axis(padding, d, "padding")
    return p, list(p)


def fractional_starts(u, n, m, k, dtype):
    """(v2) Window starts of one axis from a sample u: alpha = (n-k)/(m-1) in the compute dtype,
    start_i = floor((i+u)*alpha) - floor(u*alpha), the last n-k (PyTorch's rule)."""
    dt = np.float32 if dtype == "float32" else np.float64
    u = dt(u)
    out = []
    if m > 1:
        alpha = dt(n - k) / dt(m - 1)
        for i in range(m - 1):
            out.append(int(np.floor(dt(dt(i) + u) * alpha)) - int(np.floor(u * alpha)))
    out.append(n - k)
    return out


def fractional_out(frac, spatial):
    d = len(spatial)
    if frac.get("outputSize") is not None:
        return per_axis(frac["outputSize"], d, "fractional/outputSize")
    r = per_axis(frac["outputRatio"], d, "fractional/outputRatio")
    return [int(math.floor(n * q)) for n, q in zip(spatial, r)]


def plane_geometry(params, spatial, b, c):
    """The windows of plane (b, c): the same for every plane except with fractional samples."""
    frac = params.get("fractional")
    if frac is None or frac.get("samples") is None:
        return geometry(params, spatial)
    d = len(spatial)
    k = per_axis(params["kernelSize"], d, "kernelSize")
    out = fractional_out(frac, spatial)
    s = np.asarray(frac["samples"]["data"], dtype=np.float64).reshape(frac["samples"]["shape"])
    dtype = params.get("dtype", "float32")
    axes = []
    for a, n in enumerate(spatial):
        st = fractional_starts(s[b, c, a], n, out[a], k[a], dtype)
        axes.append(Axis(n, [list(range(q, q + k[a])) for q in st], (0, n)))
    return axes


def geometry(params, spatial):
    """The windows of every axis, or Invalid (fractional samples: plane 0's, see plane_geometry)."""
    d = len(spatial)
    frac = params.get("fractional")
    if frac is not None:
        if frac.get("boundaries") is not None:
            axes = []
            for a, (n, bnd) in enumerate(zip(spatial, frac["boundaries"])):
                if bnd[0] != 0 or bnd[-1] != n or any(q >= r for q, r in zip(bnd, bnd[1:])):
                    raise Invalid(f"/fractional/boundaries/{a}", "must rise from 0 to the input size")
                hi = (lambda i: min(bnd[i + 1], n - 1) + 1) if frac.get("overlapping") else (lambda i: bnd[i + 1])
                axes.append(Axis(n, [list(range(bnd[i], hi(i))) for i in range(len(bnd) - 1)], (0, n)))
            return axes
        k = per_axis(params.get("kernelSize"), d, "kernelSize")
        out = fractional_out(frac, spatial)
        for a, n in enumerate(spatial):
            if out[a] < 1 or out[a] > n - k[a] + 1:
                raise Invalid("/fractional", f"axis {a}: output {out[a]} not in [1, {n - k[a] + 1}]")
        return plane_geometry(params, spatial, 0, 0)
    if params.get("global"):
        return [Axis(n, [list(range(n))], (0, n)) for n in spatial]
    if params.get("outputSize") is not None:
        out = per_axis(params["outputSize"], d, "outputSize")
        axes = []
        for a, (n, m) in enumerate(zip(spatial, out)):
            if m < 1:
                raise Invalid(f"/outputSize/{a}" if isinstance(params["outputSize"], list) else "/outputSize", "must be >= 1")
            taps = [list(range((i * n) // m, -(-((i + 1) * n) // m))) for i in range(m)]
            axes.append(Axis(n, taps, (0, n)))
        return axes
    k = per_axis(params.get("kernelSize"), d, "kernelSize")
    if k is None:
        raise Invalid("/kernelSize", "required")
    s = per_axis(params.get("stride"), d, "stride") or list(k)
    dil = per_axis(params.get("dilation"), d, "dilation") or [1] * d
    for name, vals in (("kernelSize", k), ("stride", s), ("dilation", dil)):
        for a, v in enumerate(vals):
            if v < 1:
                raise Invalid(f"/{name}" if not isinstance(params.get(name), list) else f"/{name}/{a}", "must be >= 1")
    pb, pe = resolve_padding(params.get("padding"), d, spatial, k, s, dil)
    for a in range(d):
        if pb[a] < 0 or pe[a] < 0:
            raise Invalid("/padding", "must be >= 0")
    ceil = bool(params.get("ceilMode"))
    axes = []
    for a, n in enumerate(spatial):
        eff = dil[a] * (k[a] - 1) + 1
        num = n + pb[a] + pe[a] - eff
        if ceil:
            m = math.floor((num + s[a] - 1) / s[a]) + 1
            if m >= 1 and (m - 1) * s[a] >= n + pb[a]:
                m -= 1
        else:
            m = math.floor(num / s[a]) + 1
        if m < 1:
            raise Invalid("/kernelSize", f"axis {a}: output extent {m} < 1")
        taps = [[i * s[a] - pb[a] + j * dil[a] for j in range(k[a])] for i in range(m)]
        ax = Axis(n, taps, (-pb[a], n + pe[a]))
        for i, r in enumerate(ax.real):
            if not r:
                raise Invalid("/padding", f"axis {a}: window {i} holds no input cell")
        axes.append(ax)
    return axes


def _windows(axes):
    """Every output position with its real cells (spatial tuples) in row-major kernel order."""
    for o in itertools.product(*[range(ax.extent) for ax in axes]):
        cells = list(itertools.product(*[ax.real[a_i] for ax, a_i in zip(axes, o)]))
        yield o, cells


def _spatial_index(pos, spatial, order):
    if order == "column_major":
        return int(np.ravel_multi_index(tuple(pos), tuple(spatial), order="F"))
    return int(np.ravel_multi_index(tuple(pos), tuple(spatial)))


def _select(vals, ties, nan):
    """Selected position(s) in a window's value list: (primary, shares) per the contract."""
    isnan = [math.isnan(v) for v in vals]
    if nan != "ignore" and any(isnan):
        nans = [i for i, f in enumerate(isnan) if f]
        primary = nans[-1]  # v2: the last NaN in scan order, whatever ties says
        share = nans if ties == "split" else [primary]
        return primary, share
    cand = [i for i, f in enumerate(isnan) if not f]
    if not cand:  # nothing but NaN under "ignore"
        return 0, [0]
    best = max(vals[i] for i in cand)
    tied = [i for i in cand if vals[i] == best]
    if ties == "last":
        return tied[-1], [tied[-1]]
    if ties == "split":
        return tied[0], tied
    return tied[0], [tied[0]]


def forward(x, params):
    """Contract forward on channels_first float64 x: dict of output, plane indices, mask (max)."""
    x = np.asarray(x, dtype=np.float64)
    N, C = x.shape[:2]
    spatial = x.shape[2:]
    axes = geometry(params, spatial)
    out_shape = (N, C) + tuple(ax.extent for ax in axes)
    frac = params.get("fractional") is not None
    mode = params.get("mode", "max")
    y = np.zeros(out_shape)
    res = {"output": y}
    if mode == "max":
        idx = np.zeros(out_shape, dtype=np.int64)
        mask = np.zeros(x.shape)
        ties, nan = params.get("ties", "first"), params.get("nan", "propagate")
        order = params.get("indexOrder", "row_major")
        for b, c in itertools.product(range(N), range(C)):
            if frac:
                axes = plane_geometry(params, spatial, b, c)
            for o, cells in _windows(axes):
                vals = [x[(b, c) + p] for p in cells]
                primary, share = _select(vals, ties, nan)
                y[(b, c) + o] = vals[primary]
                i = _spatial_index(cells[primary], spatial, order)
                idx[(b, c) + o] = i
                for q in share:
                    mask[(b, c) + cells[q]] += 1.0 / len(share)
        res["indices"], res["mask"] = idx, mask  # plane space; tensor_index_for_layout for "tensor"
        return res
    for b, c in itertools.product(range(N), range(C)):
        for o, cells in _windows(axes):
            vals = np.array([x[(b, c) + p] for p in cells])
            if mode == "avg":
                y[(b, c) + o] = vals.sum() / _divisor(params, axes, o)
            else:
                y[(b, c) + o] = _lp(vals, params)
    return res


def _divisor(params, axes, o):
    if params.get("divisorOverride") is not None:
        return params["divisorOverride"]
    include = params.get("countIncludePad", True)
    count = 1
    for ax, i in zip(axes, o):
        count *= len(ax.in_border[i]) if include else len(ax.real[i])
    return count


def _lp(vals, params):
    p = float(params.get("p", 2))
    a = np.abs(vals) if params.get("lpAbs", True) else vals
    if params.get("lpAbs", True):
        if np.isnan(a).any():
            return math.nan
        m = a.max()
        if m == 0 or math.isinf(m):
            return m
        return m * float(((a / m) ** p).sum()) ** (1.0 / p)
    # PyTorch's sum of x^p (no ceil-mode rescaling here: the lp golden file comes from PyTorch)
    with np.errstate(all="ignore"):
        return float(np.power((a ** p).sum(), 1.0 / p))


def backward(x, g, params, indices=None):
    """Contract gradInput on channels_first float64 arrays."""
    x = np.asarray(x, dtype=np.float64)
    g = np.asarray(g, dtype=np.float64)
    N, C = x.shape[:2]
    spatial = x.shape[2:]
    axes = geometry(params, spatial)
    mode = params.get("mode", "max")
    gx = np.zeros(x.shape)
    acc = np.zeros(x.shape)  # lpAbs false: dL/ds summed over the windows of each cell
    ties, nan = params.get("ties", "first"), params.get("nan", "propagate")
    for b, c in itertools.product(range(N), range(C)):
        if params.get("fractional") is not None:
            axes = plane_geometry(params, spatial, b, c)
        for o, cells in _windows(axes):
            go = g[(b, c) + o]
            vals = np.array([x[(b, c) + p] for p in cells])
            if mode == "max":
                _, share = _select(list(vals), ties, nan)
                for q in share:
                    gx[(b, c) + cells[q]] += go / len(share)
            elif mode == "avg":
                div = _divisor(params, axes, o)
                for p in cells:
                    gx[(b, c) + p] += go / div
            elif not params.get("lpAbs", True):
                # PyTorch's autograd graph: s = sum x^p, y = (sign(s) relu(|s|))^(1/p). dL/ds is
                # 0 where s = 0 (relu's threshold); where s is NaN it is NaN * sign(NaN) = NaN * 0,
                # so NaN unless p = 1 (then 1 * 0 = 0); each cell gets sum(dL/ds) * p * x^(p-1)
                pw = float(params.get("p", 2))
                with np.errstate(all="ignore"):
                    ssum = float(np.sum(np.power(vals, pw)))
                    if ssum == 0:
                        G = 0.0
                    elif math.isnan(ssum):
                        G = 0.0 if pw == 1 else math.nan
                    else:
                        G = go * (1 / pw) * np.power(ssum, 1 / pw - 1)
                    for p in cells:
                        acc[(b, c) + p] += G
            else:
                pw = float(params.get("p", 2))
                y = _lp(vals, params)
                with np.errstate(all="ignore"):
                    for p, v in zip(cells, vals):
                        if y == 0:
                            continue
                        if params.get("lpAbs", True):
                            d = np.sign(v) * abs(v) ** (pw - 1) / y ** (pw - 1)
                        else:  # PyTorch's x^p without abs
                            d = np.power(v, pw - 1) / np.power(y, pw - 1)
                        gx[(b, c) + p] += go * d
    if mode == "lp" and not params.get("lpAbs", True):
        pw = float(params.get("p", 2))
        with np.errstate(all="ignore"):
            gx = acc * pw * np.power(x, pw - 1)  # also the zero of a cell in no window: NaN if x^(p-1) is
    return gx


def to_channels_first(a, layout):
    if layout != "channels_last":
        return a
    d = a.ndim - 2
    return np.transpose(a, (0, d + 1) + tuple(range(1, d + 1)))


def to_layout(a, layout):
    if layout != "channels_last":
        return a
    d = a.ndim - 2
    return np.transpose(a, (0,) + tuple(range(2, d + 2)) + (1,))


def tensor_index_for_layout(plane_idx, in_shape_cf, layout):
    """Tensor-space indices (contract) from plane indices, for channels_first output arrays."""
    N, C = in_shape_cf[:2]
    plane = int(np.prod(in_shape_cf[2:]))
    b = np.arange(N).reshape((N, 1) + (1,) * (plane_idx.ndim - 2))
    c = np.arange(C).reshape((1, C) + (1,) * (plane_idx.ndim - 2))
    if layout == "channels_last":
        return (b * plane + plane_idx) * C + c
    return (b * C + c) * plane + plane_idx

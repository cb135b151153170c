"""Shared helpers of the convention generators (conventions_tensorflow.py, conventions_onnx.py,
conventions_jax.py): inputs with NaN / ±Inf / ±0 / ties, layout moves, the file writer for
Tests/Fixtures/conventions, and small literal *rule models* of each framework's max pooling.

The rule models are what Tests/Fixtures/conventions/README.md and research/conventions-empirical.md
state; every generator checks the framework against them on every case it writes (and stops when
one disagrees), so the written rules are the observed ones, not only the ones the small examples
showed. Everything here works on channels_first numpy arrays (N, C, D1..Dd).

Run the generators with the framework virtualenv (scripts/setup/install-framework-venv.sh), e.g.
`.venv-frameworks/bin/python conventions_jax.py` (from the repository root); `make conventions-golden` runs them all.
"""
import itertools
import json
import math
import os
import sys

import numpy as np

from golden_common import flat, number  # noqa: F401  (re-exported for the generators)

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.normpath(os.path.join(HERE, "..", "..", "Tests", "Fixtures", "conventions"))

NAN, INF = float("nan"), float("inf")


# ---------------------------------------------------------------- inputs

def randn(rng, shape, dtype=np.float32):
    """Distinct-ish values rounded to 1/8 (exact in float32 and float64, few accidental ties)."""
    return (np.round(rng.standard_normal(shape) * 16) / 8).astype(dtype)


def small_int_input(rng, shape, dtype=np.float32, low=-2, high=3):
    """Small integers: many ties inside each window."""
    return rng.integers(low, high, size=shape).astype(dtype)


def sprinkle(rng, x, fraction, values):
    """Copy of x with about `fraction` of its cells replaced by values drawn from `values`."""
    x = x.copy()
    flat_x = x.reshape(-1)
    n = max(1, int(round(fraction * flat_x.size)))
    where = rng.choice(flat_x.size, size=n, replace=False)
    flat_x[where] = rng.choice(np.array(values, dtype=np.float64), size=n).astype(x.dtype)
    return x


def grad_output(rng, shape, dtype=np.float32):
    """gradOutput: small nonzero integers, so that every sum is exact and a lost gradient shows."""
    g = rng.integers(1, 4, size=shape) * rng.choice([-1, 1], size=shape)
    return g.astype(dtype)


def distinct_grad(rng, shape, dtype=np.float32):
    """Distinct nonzero integers (the cell that got a window's gradient can be read back)."""
    n = int(np.prod(shape))
    g = (rng.permutation(n) + 1) * rng.choice([-1, 1], size=n)
    return g.reshape(shape).astype(dtype)


def to_last(a):
    """(N, C, D...) -> (N, D..., C)."""
    return np.moveaxis(a, 1, -1)


def to_first(a):
    """(N, D..., C) -> (N, C, D...)."""
    return np.moveaxis(a, -1, 1)


# ---------------------------------------------------------------- geometry

def out_extent(n, k, s, pb, pe, d, ceil=False, drop=True):
    """Output extent of one axis; `drop` = PyTorch's rule for ceil mode (a last window that would
    start in the end padding or beyond is dropped)."""
    eff = d * (k - 1) + 1
    num = n + pb + pe - eff + (s - 1 if ceil else 0)
    out = num // s + 1
    if ceil and drop and (out - 1) * s >= n + pb:
        out -= 1
    return out


def same_pads(n, k, s, d=1, lower=False):
    """TensorFlow SAME / ONNX SAME_UPPER (lower=False) padding of one axis (dilated kernel)."""
    eff = d * (k - 1) + 1
    out = -(-n // s)
    need = max(0, (out - 1) * s + eff - n)
    small, big = need // 2, need - need // 2
    return (big, small) if lower else (small, big)


def window_taps(spatial, k, s, pb, d, out):
    """For each output position (row-major), the list of window taps in row-major kernel order;
    a tap is a tuple of spatial coordinates, possibly outside the input (padding or overhang)."""
    axes = []
    for i in range(len(spatial)):
        axes.append([[o * s[i] - pb[i] + j * d[i] for j in range(k[i])] for o in range(out[i])])
    for opos in itertools.product(*[range(o) for o in out]):
        yield opos, list(itertools.product(*[axes[i][opos[i]] for i in range(len(spatial))]))


def inside(tap, spatial):
    return all(0 <= t < n for t, n in zip(tap, spatial))


# ---------------------------------------------------------------- rule models (max)
# Each returns (output, selected) with selected[n, c, o...] = the flat row-major spatial index of
# the selected cell, or -1 when no real cell is selected (or the gradient goes nowhere).

def _model(x, k, s, pb, d, out, step, init, pad_value=None):
    """Generic fold over the window taps in row-major order. `step(acc, sel, v, tap_index)`
    returns the new (acc, sel); padding taps are fed as `pad_value` with tap index -1 (or skipped
    when pad_value is None)."""
    N, C = x.shape[:2]
    spatial = x.shape[2:]
    y = np.zeros((N, C) + tuple(out), dtype=x.dtype)
    sel = np.full((N, C) + tuple(out), -1, dtype=np.int64)
    for opos, taps in window_taps(spatial, k, s, pb, d, out):
        for n in range(N):
            for c in range(C):
                acc, si = init, -1
                for tap in taps:
                    if inside(tap, spatial):
                        acc, si = step(acc, si, x[(n, c) + tap], int(np.ravel_multi_index(tap, spatial)))
                    elif pad_value is not None:
                        acc, si = step(acc, si, x.dtype.type(pad_value), -1)
                y[(n, c) + opos] = acc
                sel[(n, c) + opos] = si
    return y, sel


def first_cell_rule(x, k, s, pb, d, out):
    """TensorFlow MaxPoolWithArgmax / MaxPoolGrad and onnxruntime MaxPool-with-Indices: the first
    real cell of the window is taken whatever it is (NaN included), a later cell replaces it only
    when strictly greater (so a NaN wins only as the first real cell, and a NaN first cell is never
    replaced); ties and ±0 keep the first. A window with no real cell keeps `lowest` and -1."""
    lowest = np.finfo(x.dtype).min

    def step(acc, si, v, t):
        if si < 0 or v > acc:
            return v, t
        return acc, si
    return _model(x, k, s, pb, d, out, step, x.dtype.type(lowest))


def tf_maxpool_forward_rule(x, k, s, pb, d, out):
    """TensorFlow MaxPool (tf.nn.max_pool2d / max_pool1d / tf.nn.pool 'MAX', 1-D and 2-D), forward
    value only: acc starts at the dtype's lowest finite value and acc = v if acc < v: NaN never
    enters, and a window whose real cells are all NaN or -inf gives lowest (-3.4028235e38)."""
    lowest = x.dtype.type(np.finfo(x.dtype).min)

    def step(acc, si, v, t):
        return (v, t) if acc < v else (acc, si)
    return _model(x, k, s, pb, d, out, step, lowest)


def tf_maxpool3d_forward_rule(x, k, s, pb, d, out):
    """TensorFlow MaxPool3D (Eigen CuboidMaxPooling), forward value: padding cells hold lowest and
    take part; acc starts at -inf and acc = acc if v < acc else v, so a later cell replaces the
    accumulator unless strictly smaller: a NaN cell replaces it, a NaN accumulator is replaced by
    the next cell, ties keep the *last* (visible on ±0)."""
    lowest = np.finfo(x.dtype).min

    def step(acc, si, v, t):
        return (acc, si) if v < acc else (v, t)
    return _model(x, k, s, pb, d, out, step, x.dtype.type(-np.inf), pad_value=lowest)


def jax_grad_rule(x, k, s, pb, d, out):
    """JAX reduce_window max, reverse mode (XLA SelectAndScatter with select = ge, padding cells
    fed as -inf): the first tap is selected, a later tap replaces the selection unless
    selected >= tap; so NaN takes the selection and the next tap takes it back, a tie keeps the
    first, ±0 keeps the first, and padding (-inf) selected first keeps the selection against real
    -inf cells (its gradient is then dropped). Returns the selection's cell (-1 = padding)."""
    def step(acc, si, v, t):
        if acc is None or not (acc >= v):
            return v, t
        return acc, si
    y, sel = _model(x, k, s, pb, d, out, step, None, pad_value=-np.inf)
    return y, sel


def scatter(sel, g, in_shape):
    """gradInput (channels_first) from a selection (plane indices, -1 = nowhere) and gradOutput."""
    N, C = in_shape[:2]
    plane = int(np.prod(in_shape[2:]))
    gx = np.zeros((N, C, plane), dtype=np.float64)
    for n in range(N):
        for c in range(C):
            for si, gv in zip(sel[n, c].reshape(-1), g[n, c].reshape(-1)):
                if si >= 0:
                    gx[n, c, si] += gv
    return gx.reshape(in_shape)


def same_bits(a, b):
    """Bit-identical float arrays (NaN == NaN, -0 != +0)."""
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return False
    if a.dtype != b.dtype:
        b = b.astype(a.dtype)
    return a.tobytes() == b.tobytes() or bool(np.all(
        (np.isnan(a) & np.isnan(b)) | ((a == b) & (np.signbit(a) == np.signbit(b)))))


# ---------------------------------------------------------------- writing

def params_of(convention, mode, k, s, padding, extra=None, opset=None):
    """A case's params in the service's vocabulary; always with convention and an explicit stride."""
    p = {"convention": convention}
    if opset is not None:
        p["opset"] = opset
    p.update({"mode": mode, "kernelSize": list(k), "stride": list(s)})
    if padding is not None:
        p["padding"] = padding
    if extra:
        p.update(extra)
    return p


def padding_param(pb, pe):
    """Explicit padding in the contract's forms: [int]*d when symmetric, else {begin, end}."""
    pb, pe = [int(v) for v in pb], [int(v) for v in pe]
    if not any(pb) and not any(pe):
        return None
    return pb if pb == pe else {"begin": pb, "end": pe}


def write(name, generator, seed, cases):
    """Writes Tests/Fixtures/conventions/NAME and says what it wrote."""
    names = [c["name"] for c in cases]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        sys.exit(f"{name}: duplicate case names {dup}")
    os.makedirs(FIXTURES, exist_ok=True)
    path = os.path.join(FIXTURES, name)
    body = {"generator": generator, "seed": seed, "cases": cases}
    with open(path, "w") as f:
        json.dump(body, f, separators=(", ", ": "), allow_nan=False)
        f.write("\n")
    size = os.path.getsize(path)
    print(f"wrote {os.path.relpath(path)}: {len(cases)} cases, {size // 1024} KiB")
    return path

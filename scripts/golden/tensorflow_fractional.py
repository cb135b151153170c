#!/usr/bin/env python3
"""Golden fractional max pooling from TensorFlow: Tests/Fixtures/golden/tensorflow-fractional.json.

tf.raw_ops.FractionalMaxPool (NHWC, so `layout: channels_last`) with `overlapping` true and false,
`pseudo_random` true and false and fixed seeds; its returned row_pooling_sequence and
col_pooling_sequence are the contract's `fractional.boundaries`. Backward is
tf.raw_ops.FractionalMaxPoolGrad given those sequences.

TensorFlow returns no indices. The cases' `indices` (`indexSpace: "tensor"`, TensorFlow's own
((b*H + h)*W + w)*C + c numbering) are computed here from the boundaries with the first maximum of
each window in row-major scan order; they are listed in the case's `derived` field, and the
generator checks them against TensorFlow: scattering gradOutput through them must give
FractionalMaxPoolGrad's gradInput exactly (gradOutput holds distinct nonzero integers).

NaN: TensorFlow's forward never lets a NaN win (its running max ignores NaN), and its gradient
op fails when a window starts with a NaN; so the one NaN case keeps NaNs off window starts and says
`nan: "ignore"`, whose rule (a NaN never wins unless the window has nothing else) it then follows.
"""
import itertools
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import tensorflow as tf

from golden_common import flat, write

SEED = 31


def windows(bounds, n, overlapping):
    """Cell ranges [lo, hi] of one axis's windows (TensorFlow's rule, clipped to the input)."""
    out = []
    for i in range(len(bounds) - 1):
        hi = bounds[i + 1] if overlapping else bounds[i + 1] - 1
        out.append((bounds[i], min(hi, n - 1)))
    return out


def derived_indices(x, rows, cols, overlapping):
    """Tensor-space indices of each window's first maximum (NaNs skipped), NHWC."""
    n_, h, w, c = x.shape
    rw, cw = windows(rows, h, overlapping), windows(cols, w, overlapping)
    idx = np.zeros((n_, len(rw), len(cw), c), dtype=np.int64)
    for b, (i, (r0, r1)), (j, (c0, c1)), ch in itertools.product(range(n_), enumerate(rw), enumerate(cw), range(c)):
        best, best_i = None, None
        for hh in range(r0, r1 + 1):
            for ww in range(c0, c1 + 1):
                v = x[b, hh, ww, ch]
                if np.isnan(v):
                    continue
                if best is None or v > best:
                    best, best_i = v, ((b * h + hh) * w + ww) * c + ch
        idx[b, i, j, ch] = best_i
    return idx


def run_case(name, x, ratio, overlapping, pseudo_random, seed, rng, nan_ignore=False):
    out, rows, cols = tf.raw_ops.FractionalMaxPool(
        value=x, pooling_ratio=[1.0, ratio[0], ratio[1], 1.0], pseudo_random=pseudo_random,
        overlapping=overlapping, deterministic=True, seed=seed, seed2=seed + 1)
    rows, cols = rows.numpy().tolist(), cols.numpy().tolist()
    # distinct nonzero integers, so that a gradient sent to a wrong cell cannot go unnoticed
    size = int(np.prod(out.shape))
    g = (rng.permutation(size) + 1) * rng.choice([-1, 1], size=size)
    g = g.astype(x.dtype).reshape(out.shape)
    gx = tf.raw_ops.FractionalMaxPoolGrad(orig_input=x, orig_output=out, out_backprop=g,
                                          row_pooling_sequence=rows, col_pooling_sequence=cols,
                                          overlapping=overlapping).numpy()
    idx = derived_indices(x, rows, cols, overlapping)
    scattered = np.zeros(x.size, dtype=np.float64)
    np.add.at(scattered, idx.reshape(-1), g.reshape(-1).astype(np.float64))
    if not np.array_equal(scattered.reshape(x.shape), gx.astype(np.float64)):
        raise SystemExit(f"{name}: derived indices disagree with FractionalMaxPoolGrad")
    if not np.array_equal(x.reshape(-1)[idx.reshape(-1)].reshape(out.shape), out.numpy()):
        raise SystemExit(f"{name}: derived indices do not select TensorFlow's output")
    params = {"mode": "max", "layout": "channels_last", "indexSpace": "tensor",
              "fractional": {"boundaries": [rows, cols], "overlapping": overlapping}}
    if nan_ignore:
        params["nan"] = "ignore"
    case = {"name": name, "dtype": "float32" if x.dtype == np.float32 else "float64", "params": params,
            "input": flat(x), "output": flat(out.numpy()), "indices": flat(idx, integer=True),
            "gradOutput": flat(g), "gradInput": flat(gx), "derived": ["indices"],
            "tensorflow": {"pooling_ratio": [1.0, ratio[0], ratio[1], 1.0], "pseudo_random": pseudo_random,
                           "overlapping": overlapping, "seed": seed, "seed2": seed + 1}}
    return case


def main():
    rng = np.random.default_rng(SEED)
    cases = []
    n = 0
    ratios = [(1.44, 1.73), (2.0, 1.5), (1.2, 2.5), (1.6, 1.0)]
    for dtype in (np.float32, np.float64):
        for overlapping in (False, True):
            for pseudo_random in (False, True):
                for kind in ("randn", "ties"):
                    ratio = ratios[n % len(ratios)]
                    shape = (int(rng.integers(1, 3)), int(rng.integers(4, 11)), int(rng.integers(4, 11)),
                             int(rng.integers(1, 4)))
                    if kind == "ties":
                        x = rng.integers(0, 3, size=shape).astype(dtype)
                    else:
                        x = rng.standard_normal(shape).astype(np.float32).astype(dtype)
                    ov = "overlapping" if overlapping else "disjoint"
                    pr = "pseudo" if pseudo_random else "random"
                    cases.append(run_case(f"tf_frac_{n}_{ov}_{pr}_{kind}", x, ratio, overlapping, pseudo_random,
                                          seed=100 + n, rng=rng))
                    n += 1
    # NaNs off every window start: TensorFlow skips them, as `nan: "ignore"` does
    x = rng.standard_normal((1, 8, 9, 2)).astype(np.float32)
    probe = run_case("probe", x, (2.0, 2.0), False, False, seed=7, rng=rng)
    rows, cols = probe["params"]["fractional"]["boundaries"]
    starts_h, starts_w = set(rows[:-1]), set(cols[:-1])
    for hh, ww in itertools.product(range(8), range(9)):
        if hh not in starts_h and ww not in starts_w and (hh + ww) % 2 == 0:
            x[0, hh, ww, (hh // 2) % 2] = np.nan
    cases.append(run_case(f"tf_frac_{n}_nan_ignore", x, (2.0, 2.0), False, False, seed=7, rng=rng, nan_ignore=True))
    write("tensorflow-fractional.json", f"TensorFlow {tf.__version__} CPU", SEED, cases)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""JAX's own pooling numbers under `convention: "jax"`: Tests/Fixtures/conventions/jax.json.

- max: jax.lax.reduce_window(x, -inf, lax.max, ...) on channels_first tensors (window 1 on N and
  C), padding given as explicit (low, high) pairs or lax's 'SAME' / 'VALID'; gradient
  jax.vjp (XLA SelectAndScatter). JAX has no indices: cases have none. Dilated max has no VJP in
  JAX (NotImplementedError): those cases have output only.
- avg: reduce_window(add) / count, as flax.linen.avg_pool does: count = prod(window) with
  countIncludePad true (flax's default), reduce_window of ones (the real cells) with false.
- `flax_*` cases are computed by flax.linen.max_pool / avg_pool on channels_last tensors
  (`layout: "channels_last"`); every lax case is also recomputed with flax (on the transposed
  tensor) and must agree bit for bit, gradient included.

Every max case is checked against the rule models of conventions_common.py (forward = IEEE
maximum over the taps, padding = -inf; gradient = the SelectAndScatter fold with `ge`).
Stride is always written explicitly (the convention's default is flax's 1).
"""
import numpy as np
import jax

jax.config.update("jax_enable_x64", True)
jax.config.update("jax_platforms", "cpu")

import jax.numpy as jnp  # noqa: E402
from jax import lax  # noqa: E402
import flax  # noqa: E402
import jaxlib  # noqa: E402
import flax.linen as nn  # noqa: E402

import conventions_common as cc  # noqa: E402
from conventions_common import NAN, INF, flat  # noqa: E402

SEED = 2503


def lax_pads(x, k, s, padding, d):
    nd = x.ndim - 2
    if isinstance(padding, str):
        pairs = lax.padtype_to_pads(x.shape[2:], [d[i] * (k[i] - 1) + 1 for i in range(nd)], s, padding)
    else:
        pairs = list(zip(padding[0], padding[1]))
    return [int(p[0]) for p in pairs], [int(p[1]) for p in pairs]


def lax_max(k, s, pb, pe, d):
    return lambda t: lax.reduce_window(t, -jnp.inf, lax.max, (1, 1) + tuple(k), (1, 1) + tuple(s),
                                       [(0, 0), (0, 0)] + list(zip(pb, pe)), window_dilation=(1, 1) + tuple(d))


def lax_avg(k, s, pb, pe, d, cip):
    def f(t):
        args = ((1, 1) + tuple(k), (1, 1) + tuple(s), [(0, 0), (0, 0)] + list(zip(pb, pe)))
        total = lax.reduce_window(t, jnp.zeros((), t.dtype), lax.add, *args, window_dilation=(1, 1) + tuple(d))
        if cip:
            return total / np.prod(k)
        ones = jnp.ones(t.shape, t.dtype)
        return total / lax.reduce_window(ones, jnp.zeros((), t.dtype), lax.add, *args, window_dilation=(1, 1) + tuple(d))
    return f


def flax_fn(mode, k, s, pb, pe, cip):
    pad = list(zip(pb, pe))
    if mode == "max":
        return lambda t: nn.max_pool(t, tuple(k), strides=tuple(s), padding=pad)
    return lambda t: nn.avg_pool(t, tuple(k), strides=tuple(s), padding=pad, count_include_pad=cip)


def ieee_max_model(x, k, s, pb, d, out):
    """Forward model: IEEE-754 maximum over the taps, padding = -inf (NaN if any tap is NaN; +0
    over -0)."""
    N, C = x.shape[:2]
    sp = x.shape[2:]
    y = np.zeros((N, C) + tuple(out), x.dtype)
    for opos, taps in cc.window_taps(sp, k, s, pb, d, out):
        for n in range(N):
            for c in range(C):
                vals = np.array([x[(n, c) + t] if cc.inside(t, sp) else -np.inf for t in taps], x.dtype)
                if np.isnan(vals).any():
                    v = np.nan
                else:
                    v = vals.max()
                    if v == 0:
                        v = 0.0 if (~np.signbit(vals[vals == 0])).any() else -0.0
                y[(n, c) + opos] = v
    return y


def run(f, x, g):
    y, vjp = jax.vjp(f, jnp.asarray(x))
    if g is None:
        return np.asarray(y), None
    return np.asarray(y), np.asarray(vjp(jnp.asarray(g, dtype=y.dtype))[0])


def case(name, mode, x, k, s, padding, rng, d=None, cip=True, via_flax=False, grad=True):
    """x channels_first (N, C, D...). float32 cases run with x64 off (JAX's default), so that
    flax's float32 arithmetic is what a float32 user gets (with x64 on, flax's avg_pool with
    count_include_pad=False divides by a float64 count and returns float64)."""
    with jax.enable_x64(x.dtype == np.float64):
        return _case(name, mode, x, k, s, padding, rng, d, cip, via_flax, grad)


def _case(name, mode, x, k, s, padding, rng, d, cip, via_flax, grad):
    nd = x.ndim - 2
    d = list(d or [1] * nd)
    pb, pe = lax_pads(x, k, s, padding, d)
    out = [cc.out_extent(x.shape[2 + i], k[i], s[i], pb[i], pe[i], d[i]) for i in range(nd)]
    dilated = any(v != 1 for v in d)
    can_grad = grad and not (mode == "max" and dilated)
    g = None
    if can_grad:
        g = (cc.distinct_grad if mode == "max" else cc.grad_output)(rng, x.shape[:2] + tuple(out), x.dtype)
    f = lax_max(k, s, pb, pe, d) if mode == "max" else lax_avg(k, s, pb, pe, d, cip)
    y, gx = run(f, x, g)
    evaluator = "jax.lax.reduce_window" + (" + jax.vjp" if can_grad else "")
    if not dilated:  # flax has no dilation
        yf, gxf = run(flax_fn(mode, k, s, pb, pe, cip), cc.to_last(x), None if g is None else cc.to_last(g))
        if mode == "max":
            agree = cc.same_bits(cc.to_first(yf), y) and (g is None or cc.same_bits(cc.to_first(gxf), gx))
        else:  # XLA sums a window in a layout-dependent order: the last bit may differ
            rtol = 1e-6 if x.dtype == np.float32 else 1e-14
            agree = (np.allclose(cc.to_first(yf), y, rtol=rtol, atol=0, equal_nan=True)
                     and (g is None or np.allclose(cc.to_first(gxf), gx, rtol=rtol, atol=0)))
        if not agree:
            raise SystemExit(f"{name}: flax.linen {mode}_pool disagrees with lax.reduce_window")
        if via_flax:  # the case's numbers are flax's own
            y, gx = cc.to_first(yf), (None if g is None else cc.to_first(gxf))
            evaluator = f"flax.linen.{mode}_pool (NHWC)" + (" + jax.vjp" if g is not None else "") + "; lax.reduce_window on NCHW agrees"
        else:
            evaluator += f"; flax.linen.{mode}_pool agrees" + (" bit for bit" if mode == "max" else " to the last bit or so")
    if mode == "max":
        want = ieee_max_model(x, k, s, pb, d, out)
        if not cc.same_bits(y, want):
            raise SystemExit(f"{name}: forward differs from the IEEE max model\n{y.ravel()}\n{want.ravel()}")
        if g is not None:
            _, sel = cc.jax_grad_rule(x, k, s, pb, d, out)
            want_gx = cc.scatter(sel, g, x.shape).astype(x.dtype)
            if not cc.same_bits(gx, want_gx):
                raise SystemExit(f"{name}: gradient differs from the SelectAndScatter(ge) model\n{gx.ravel()}\n{want_gx.ravel()}")
    extra = {}
    if via_flax:
        extra["layout"] = "channels_last"
    if dilated:
        extra["dilation"] = d
    if mode == "avg":
        extra["countIncludePad"] = cip
    pad = padding.lower() if isinstance(padding, str) else cc.padding_param(pb, pe)
    params = cc.params_of("jax", mode, k, s, pad, extra)
    conv = cc.to_last if via_flax else (lambda a: a)
    c = {"name": name, "dtype": str(x.dtype), "evaluator": evaluator, "params": params,
         "input": flat(conv(x)), "output": flat(conv(y))}
    if g is not None:
        c["gradOutput"] = flat(conv(g))
        c["gradInput"] = flat(conv(gx))
    elif mode == "max" and dilated:
        c["note"] = "JAX has no VJP for dilated max pooling (NotImplementedError): output only"
    return c


def main():
    rng = np.random.default_rng(SEED)
    f32, f64 = np.float32, np.float64
    cases = []
    for dt, tag in ((f32, "f32"), (f64, "f64")):
        x = cc.randn(rng, (2, 2, 5, 6), dt)
        cases.append(case(f"max2d_random_k2s2_{tag}", "max", x, [2, 2], [2, 2], "VALID", rng))
        cases.append(case(f"max2d_random_k3s1_pad1_{tag}", "max", x, [3, 3], [1, 1], ([1, 1], [1, 1]), rng))
        cases.append(case(f"max2d_random_k3s2_asym_{tag}", "max", x, [3, 2], [2, 2], ([0, 1], [2, 1]), rng))
        cases.append(case(f"max2d_random_k3s2_same_{tag}", "max", x, [3, 3], [2, 2], "SAME", rng))
        x = cc.small_int_input(rng, (1, 2, 5, 5), dt)
        cases.append(case(f"max2d_ties_k3s1_pad1_{tag}", "max", x, [3, 3], [1, 1], ([1, 1], [1, 1]), rng))
        cases.append(case(f"max2d_ties_k2s1_{tag}", "max", x, [2, 2], [1, 1], "VALID", rng))
        x = cc.randn(rng, (2, 3, 8), dt)
        cases.append(case(f"max1d_random_k3s2_asym_{tag}", "max", x, [3], [2], ([2], [1]), rng))
    # NaN: the patterns of the brief, one window each, then mixed
    x = np.array([1, NAN, 3, 2, NAN, 3, NAN, 1, 1, NAN, NAN, 2, 3, NAN, 1, -5, 1, 3, 2, NAN, NAN, NAN, NAN, NAN], f32)
    cases.append(case("max1d_nan_windows_k4", "max", x.reshape(1, 1, -1), [4], [4], "VALID", rng))
    x = np.array([NAN, 1, 1, NAN, NAN, NAN, -INF, NAN, NAN, -INF, 2, 2], f32)
    cases.append(case("max1d_nan_pairs_k2", "max", x.reshape(1, 1, -1), [2], [2], "VALID", rng))
    cases.append(case("max1d_nan_pairs_k2_f64", "max", x.astype(f64).reshape(1, 1, -1), [2], [2], "VALID", rng))
    cases.append(case("max1d_nan_overlap_k3s1_pad1", "max", x.reshape(1, 1, -1), [3], [1], ([1], [1]), rng))
    for dt, tag in ((f32, "f32"), (f64, "f64")):
        x = cc.sprinkle(rng, cc.randn(rng, (1, 2, 6, 6), dt), 0.25, [NAN])
        cases.append(case(f"max2d_nan_k2s2_{tag}", "max", x, [2, 2], [2, 2], "VALID", rng))
        cases.append(case(f"max2d_nan_k3s1_same_{tag}", "max", x, [3, 3], [1, 1], "SAME", rng))
    x = cc.sprinkle(rng, cc.randn(rng, (1, 1, 5, 5), f32), 0.6, [NAN])
    cases.append(case("max2d_many_nan_k2s1", "max", x, [2, 2], [1, 1], "VALID", rng))
    # ±Inf; windows whose real cells are all -inf next to padding; all-padding windows
    x = cc.sprinkle(rng, cc.randn(rng, (1, 2, 6, 6), f32), 0.3, [INF, -INF])
    cases.append(case("max2d_inf_k2s2_pad1", "max", x, [2, 2], [2, 2], ([1, 1], [1, 1]), rng))
    x = np.array([-INF, -INF, 1, -INF, -INF, -INF, NAN, -INF], f32).reshape(1, 1, -1)
    cases.append(case("max1d_neginf_next_to_padding_k2s1_pad1", "max", x, [2], [1], ([1], [1]), rng))
    cases.append(case("max1d_neginf_k3s2_pad2", "max", x, [3], [2], ([2], [2]), rng))
    x = np.full((1, 1, 3, 3), -INF, f32)
    x[0, 0, 1, 1] = 2
    cases.append(case("max2d_all_neginf_corners_k2s1_pad1", "max", x, [2, 2], [1, 1], ([1, 1], [1, 1]), rng))
    x = cc.randn(rng, (1, 1, 3), f32)
    cases.append(case("max1d_all_padding_windows_k2s2_pad3", "max", x, [2], [2], ([3], [3]), rng))
    x = cc.randn(rng, (1, 1, 2, 2), f64)
    cases.append(case("max2d_all_padding_windows_k2s1_pad2_f64", "max", x, [2, 2], [1, 1], ([2, 3], [2, 0]), rng))
    # signed zeros
    z = [-0.0, 0.0, 0.0, -0.0, -0.0, -0.0, 0.0, 0.0, -0.0, 0.0, 0.0, -0.0]
    for dt, tag in ((f32, "f32"), (f64, "f64")):
        cases.append(case(f"max1d_signed_zero_k2_{tag}", "max", np.array(z, dt).reshape(1, 1, -1), [2], [2], "VALID", rng))
        cases.append(case(f"max1d_signed_zero_k3s1_pad1_{tag}", "max", np.array(z, dt).reshape(1, 1, -1), [3], [1], ([1], [1]), rng))
    x = np.array([-0.0, 0.0, 0.0, -0.0, -0.0, -0.0, 0.0, 0.0], f32).reshape(1, 1, 2, 4)
    cases.append(case("max2d_signed_zero_k2s2", "max", x, [2, 2], [2, 2], "VALID", rng))
    # dilation (forward only for max)
    x = cc.sprinkle(rng, cc.randn(rng, (1, 2, 7, 7), f32), 0.1, [NAN])
    cases.append(case("max2d_dilation2_k2s1_pad1", "max", x, [2, 2], [1, 1], ([1, 1], [1, 1]), rng, d=[2, 2]))
    cases.append(case("max2d_dilation_1x3_k2s2_same", "max", x, [2, 2], [2, 2], "SAME", rng, d=[1, 3]))
    # 3-D
    x = cc.sprinkle(rng, cc.randn(rng, (1, 1, 3, 4, 4), f32), 0.1, [NAN, -0.0])
    cases.append(case("max3d_k2s2_pad1_nan", "max", x, [2, 2, 2], [2, 2, 2], ([1, 0, 1], [0, 1, 1]), rng))
    x = cc.small_int_input(rng, (1, 1, 3, 3, 3), f64)
    cases.append(case("max3d_ties_k2s1_f64", "max", x, [2, 2, 2], [1, 1, 1], "VALID", rng))
    # avg
    for dt, tag in ((f32, "f32"), (f64, "f64")):
        x = cc.randn(rng, (2, 2, 5, 5), dt)
        for cip in (True, False):
            ct = "cip" if cip else "nocip"
            cases.append(case(f"avg2d_k3s2_pad1_{ct}_{tag}", "avg", x, [3, 3], [2, 2], ([1, 1], [1, 1]), rng, cip=cip))
            cases.append(case(f"avg2d_k2s1_asym_{ct}_{tag}", "avg", x, [2, 3], [1, 2], ([1, 0], [0, 2]), rng, cip=cip))
            cases.append(case(f"avg2d_k3s2_same_{ct}_{tag}", "avg", x, [3, 3], [2, 2], "SAME", rng, cip=cip))
    x = cc.randn(rng, (1, 1, 3), f32)
    for cip in (True, False):
        cases.append(case(f"avg1d_all_padding_windows_k2s2_pad3_{'cip' if cip else 'nocip'}", "avg", x, [2], [2], ([3], [3]), rng, cip=cip))
    x = cc.sprinkle(rng, cc.randn(rng, (1, 2, 4, 4), f32), 0.2, [NAN, INF, -INF])
    cases.append(case("avg2d_nan_inf_k2s1_pad1_nocip", "avg", x, [2, 2], [1, 1], ([1, 1], [1, 1]), rng, cip=False))
    x = cc.randn(rng, (1, 2, 7, 6), f32)
    cases.append(case("avg2d_dilation2_k2s1_pad1_cip", "avg", x, [2, 2], [1, 1], ([1, 1], [1, 1]), rng, d=[2, 2], cip=True))
    cases.append(case("avg2d_dilation2_k2s2_pad1_nocip", "avg", x, [2, 2], [2, 2], ([1, 0], [1, 2]), rng, d=[2, 1], cip=False))
    x = cc.randn(rng, (1, 1, 3, 4, 4), f64)
    cases.append(case("avg3d_k2s2_pad1_nocip_f64", "avg", x, [2, 2, 2], [2, 2, 2], ([1, 1, 1], [0, 1, 1]), rng, cip=False))
    # flax on channels_last (the layout flax pools)
    x = cc.sprinkle(rng, cc.randn(rng, (2, 3, 5, 5), f32), 0.15, [NAN, -INF, -0.0])
    cases.append(case("flax_max2d_k3s2_pad1", "max", x, [3, 3], [2, 2], ([1, 1], [1, 1]), rng, via_flax=True))
    cases.append(case("flax_max2d_k2s1_same", "max", x, [2, 2], [1, 1], "SAME", rng, via_flax=True))
    x = cc.randn(rng, (2, 3, 5, 5), f32)
    cases.append(case("flax_avg2d_k3s2_pad1_cip", "avg", x, [3, 3], [2, 2], ([1, 1], [1, 1]), rng, via_flax=True, cip=True))
    cases.append(case("flax_avg2d_k2s1_same_nocip", "avg", x, [2, 2], [1, 1], "SAME", rng, via_flax=True, cip=False))
    x = cc.randn(rng, (1, 2, 7), f64)
    cases.append(case("flax_max1d_k2s1_valid_f64", "max", x, [2], [1], "VALID", rng, via_flax=True))
    cc.write("jax.json", f"JAX {jax.__version__} (jaxlib {jaxlib.__version__}) "
             f"CPU, flax {flax.__version__}, numpy {np.__version__}", SEED, cases)


if __name__ == "__main__":
    main()

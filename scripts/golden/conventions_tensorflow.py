#!/usr/bin/env python3
"""TensorFlow's own pooling numbers under `convention: "tensorflow"`:
Tests/Fixtures/conventions/tensorflow.json.

TensorFlow pools NHWC on CPU, so every case is `layout: "channels_last"` and its tensors are
(N, W, C), (N, H, W, C) or (N, D, H, W, C). Each case names the ops that made it in `evaluator`:

- `max_pool_with_argmax`: tf.nn.max_pool_with_argmax (1-D as H = 1) gives output and indices, in
  TensorFlow's own form ((y*W + x)*C + c; with include_batch_in_index ((n*H + y)*W + x)*C + c,
  written `indexSpace: "tensor"`); gradInput is the tape gradient through it
  (MaxPoolGradWithArgmax). The generator checks that the tape gradient through tf.nn.max_pool2d
  (MaxPoolGrad) is the same, and where tf.nn.max_pool2d's *forward* value differs (NaN windows,
  windows whose cells are all -inf) writes it as `outputMaxPool2d`.
- `max_pool2d`: tf.nn.max_pool2d / max_pool1d with explicit padding (the argmax op has none), tape
  gradient (MaxPoolGrad). No indices.
- `pool`: tf.nn.pool with dilation (TensorFlow allows it only with stride 1 and VALID).
- `avg_pool`: tf.nn.avg_pool1d/2d/3d (padding never counts: countIncludePad false).
- `max_pool3d`: tf.nn.max_pool3d (float32 only), tape gradient (MaxPool3DGrad). Its rules differ
  from the 2-D ops (see the README of the fixtures folder): keep them apart.

Every max case is checked against the rule models of conventions_common.py.
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np
import tensorflow as tf

import conventions_common as cc
from conventions_common import NAN, INF, flat

SEED = 2501
REJECTED = []


def tape(f, x, g):
    xt = tf.constant(x)
    with tf.GradientTape() as t:
        t.watch(xt)
        y = f(xt)
    return y.numpy(), t.gradient(y, xt, output_gradients=tf.constant(g)).numpy()


def dims(x):
    return x.shape[1:-1]


def geometry(x, k, s, padding, d=None):
    """(pad begin, pad end, out) per spatial axis for TF's VALID / SAME / explicit pairs."""
    sp = dims(x)
    nd = len(sp)
    d = d or [1] * nd
    if padding == "VALID":
        pb = pe = [0] * nd
    elif padding == "SAME":
        pairs = [cc.same_pads(sp[i], k[i], s[i], d[i]) for i in range(nd)]
        pb, pe = [p[0] for p in pairs], [p[1] for p in pairs]
    else:
        pb, pe = padding
    out = [cc.out_extent(sp[i], k[i], s[i], pb[i], pe[i], d[i]) for i in range(nd)]
    return list(pb), list(pe), out


def pad_param(padding, pb, pe):
    if padding in ("VALID", "SAME"):
        return padding.lower()
    return cc.padding_param(pb, pe)


def base(name, x, params, evaluator):
    return {"name": name, "dtype": str(x.dtype), "evaluator": evaluator, "params": params,
            "input": flat(x)}


def check(name, what, got, want):
    if not cc.same_bits(got, want):
        raise SystemExit(f"{name}: {what} differs from the rule model:\n got {np.ravel(got)}\n want {np.ravel(want)}")


def argmax_case(name, x, k, s, padding, rng, batch_index=False):
    """x: (N, W, C) or (N, H, W, C)."""
    one_d = x.ndim == 3
    x4 = x[:, None] if one_d else x
    k2, s2 = ([1] + list(k), [1] + list(s)) if one_d else (list(k), list(s))
    y, arg = tf.nn.max_pool_with_argmax(tf.constant(x4), [1] + k2 + [1], [1] + s2 + [1], padding,
                                        include_batch_in_index=batch_index)
    y, arg = y.numpy(), arg.numpy()
    g = cc.distinct_grad(rng, y.shape, x.dtype)
    _, gx = tape(lambda t: tf.nn.max_pool_with_argmax(t, [1] + k2 + [1], [1] + s2 + [1], padding,
                                                      include_batch_in_index=batch_index)[0], x4, g)
    y2, gx2 = tape(lambda t: tf.nn.max_pool2d(t, k2, s2, padding), x4, g)
    if not cc.same_bits(gx, gx2):
        raise SystemExit(f"{name}: MaxPoolGradWithArgmax and MaxPoolGrad disagree")
    # rule models, on channels_first
    xf = cc.to_first(x4)
    pb, pe, out = geometry(x4, k2, s2, padding)
    want_y, sel = cc.first_cell_rule(xf, k2, s2, pb, [1, 1], out)
    check(name, "argmax output", y, cc.to_last(want_y))
    N, H, W, C = x4.shape
    cidx = np.arange(C).reshape(1, C, 1, 1)
    nidx = np.arange(N).reshape(N, 1, 1, 1)
    want_arg = sel * C + cidx + (nidx * H * W * C if batch_index else 0)
    check(name, "argmax indices", arg, cc.to_last(want_arg))
    want_gx = cc.scatter(sel, cc.to_first(g), xf.shape)
    check(name, "gradient", gx, cc.to_last(want_gx).astype(x.dtype))
    want_y2, _ = cc.tf_maxpool_forward_rule(xf, k2, s2, pb, [1, 1], out)
    check(name, "max_pool2d output", y2, cc.to_last(want_y2))
    if one_d:
        y, arg, g, gx, y2 = y[:, 0], arg[:, 0], g[:, 0], gx[:, 0], y2[:, 0]
    extra = {"layout": "channels_last"}
    if batch_index:
        extra["indexSpace"] = "tensor"
    params = cc.params_of("tensorflow", "max", k, s, pad_param(padding, pb, pe), extra)
    case = base(name, x, params, "tf.nn.max_pool_with_argmax; gradient MaxPoolGradWithArgmax (= MaxPoolGrad)")
    case.update({"output": flat(y), "indices": flat(arg, integer=True), "gradOutput": flat(g),
                 "gradInput": flat(gx)})
    if not cc.same_bits(y, y2):
        case["outputMaxPool2d"] = flat(y2)
        case["note"] = ("tf.nn.max_pool2d's forward value differs here (NaN never wins, a window of "
                        "NaN/-inf cells gives the lowest float); `output` is max_pool_with_argmax's")
    return case


def max_pool_case(name, x, k, s, padding, rng, d=None):
    """tf.nn.max_pool1d/2d (explicit padding) or tf.nn.pool (dilation); no indices."""
    nd = x.ndim - 2
    pb, pe, out = geometry(x, k, s, padding, d)
    if d is None:
        tf_pad = padding if isinstance(padding, str) else [[0, 0]] + [[pb[i], pe[i]] for i in range(nd)] + [[0, 0]]
        f = (lambda t: tf.nn.max_pool1d(t, k, s, tf_pad)) if nd == 1 else (lambda t: tf.nn.max_pool2d(t, k, s, tf_pad))
        evaluator = f"tf.nn.max_pool{nd}d; gradient MaxPoolGrad"
    else:
        f = lambda t: tf.nn.pool(t, k, "MAX", strides=s, padding=padding, dilations=d)
        evaluator = "tf.nn.pool('MAX', dilations); gradient by tape"
    g = cc.distinct_grad(rng, [x.shape[0]] + out + [x.shape[-1]], x.dtype)
    y, gx = tape(f, x, g)
    xf = cc.to_first(x)
    dd = d or [1] * nd
    want_y, _ = cc.tf_maxpool_forward_rule(xf, k, s, pb, dd, out)
    check(name, "forward", y, cc.to_last(want_y))
    _, sel = cc.first_cell_rule(xf, k, s, pb, dd, out)
    check(name, "gradient", gx, cc.to_last(cc.scatter(sel, cc.to_first(g), xf.shape)).astype(x.dtype))
    extra = {"layout": "channels_last"}
    if d is not None:
        extra["dilation"] = list(d)
    params = cc.params_of("tensorflow", "max", k, s, pad_param(padding, pb, pe), extra)
    case = base(name, x, params, evaluator)
    case.update({"output": flat(y), "gradOutput": flat(g), "gradInput": flat(gx)})
    return case


def avg_case(name, x, k, s, padding, rng, d=None):
    nd = x.ndim - 2
    pb, pe, out = geometry(x, k, s, padding, d)
    if d is None:
        f = {1: tf.nn.avg_pool1d, 2: tf.nn.avg_pool2d, 3: tf.nn.avg_pool3d}[nd]
        fn = lambda t: f(t, k, s, padding)
        evaluator = f"tf.nn.avg_pool{nd}d; gradient by tape"
    else:
        fn = lambda t: tf.nn.pool(t, k, "AVG", strides=s, padding=padding, dilations=d)
        evaluator = "tf.nn.pool('AVG', dilations); gradient by tape"
    g = cc.grad_output(rng, [x.shape[0]] + out + [x.shape[-1]], x.dtype)
    y, gx = tape(fn, x, g)
    extra = {"layout": "channels_last", "countIncludePad": False}
    if d is not None:
        extra["dilation"] = list(d)
    params = cc.params_of("tensorflow", "avg", k, s, pad_param(padding, pb, pe), extra)
    case = base(name, x, params, evaluator)
    case.update({"output": flat(y), "gradOutput": flat(g), "gradInput": flat(gx)})
    return case


def max3d_case(name, x, k, s, padding, rng, g=None):
    pb, pe, out = geometry(x, k, s, padding)
    if g is None:
        g = cc.distinct_grad(rng, [x.shape[0]] + out + [x.shape[-1]], x.dtype)
    y, gx = tape(lambda t: tf.nn.max_pool3d(t, k, s, padding), x, g)
    xf = cc.to_first(x)
    want_y, _ = cc.tf_maxpool3d_forward_rule(xf, k, s, pb, [1, 1, 1], out)
    check(name, "max_pool3d forward", y, cc.to_last(want_y))
    # MaxPool3DGrad: every real cell with |x - out| < 1e-5 gets the window's whole gradient
    yf, gf = cc.to_first(y), cc.to_first(g)
    want = np.zeros(xf.shape, dtype=np.float64)
    sp = xf.shape[2:]
    for opos, taps in cc.window_taps(sp, k, s, pb, [1, 1, 1], out):
        for n in range(xf.shape[0]):
            for c in range(xf.shape[1]):
                for tap in taps:
                    if cc.inside(tap, sp):
                        with np.errstate(invalid="ignore"):
                            hit = abs(xf[(n, c) + tap] - yf[(n, c) + opos]) < np.float32(1e-5)
                        if hit:
                            want[(n, c) + tap] += gf[(n, c) + opos]
    check(name, "MaxPool3DGrad", gx, cc.to_last(want).astype(x.dtype))
    params = cc.params_of("tensorflow", "max", k, s, pad_param(padding, pb, pe), {"layout": "channels_last"})
    case = base(name, x, params, "tf.nn.max_pool3d; gradient MaxPool3DGrad")
    case.update({"output": flat(y), "gradOutput": flat(g), "gradInput": flat(gx),
                 "note": "MaxPool3D's rules, not the 2-D ops': padding cells are the lowest float and take part; "
                         "acc starts at -inf and each tap in row-major order replaces it unless strictly "
                         "smaller (so a NaN tap replaces it, the tap after a NaN replaces the NaN, ties keep "
                         "the last: [-0, +0] gives +0); the gradient goes, whole, to every real cell with "
                         "|x - output| < 1e-5 (all tied cells; none when the output is NaN or -inf)"})
    return case


def rejected(what, f):
    try:
        f()
    except Exception as e:  # noqa: BLE001  (what TF says is the point)
        REJECTED.append(f"{what}: {type(e).__name__}: {str(e).splitlines()[0][:160]}")
        return
    raise SystemExit(f"expected TensorFlow to reject {what}")


def main():
    rng = np.random.default_rng(SEED)
    cases = []
    f32, f64 = np.float32, np.float64
    # --- max_pool_with_argmax: random, ties, both index forms, both dtypes, VALID / SAME
    for dt in (f32, f64):
        tag = "f32" if dt is f32 else "f64"
        x = cc.randn(rng, (2, 5, 6, 3), dt)
        cases.append(argmax_case(f"argmax2d_random_k2s2_valid_{tag}", x, [2, 2], [2, 2], "VALID", rng))
        cases.append(argmax_case(f"argmax2d_random_k3s2_same_batchindex_{tag}", x, [3, 3], [2, 2], "SAME", rng, True))
        x = cc.small_int_input(rng, (1, 6, 5, 2), dt)
        cases.append(argmax_case(f"argmax2d_ties_k3s1_same_{tag}", x, [3, 3], [1, 1], "SAME", rng))
        cases.append(argmax_case(f"argmax2d_ties_k2x3_s1x2_valid_batchindex_{tag}", x, [2, 3], [1, 2], "VALID", rng, True))
        x = cc.randn(rng, (2, 9, 2), dt)
        cases.append(argmax_case(f"argmax1d_random_k3s2_same_{tag}", x, [3], [2], "SAME", rng))
    # --- NaN: one per window, several per window, NaN first / last in the window, all-NaN
    x = np.array([[1, NAN, 3, 2], [NAN, 1, 1, NAN], [NAN, NAN, 5, NAN], [2, 4, NAN, NAN]], f32)
    cases.append(argmax_case("argmax1d_nan_windows_k4", x.reshape(1, 16, 1), [4], [4], "VALID", rng))
    x = np.array([NAN, 1, 1, NAN, NAN, NAN, 3, NAN, 2, NAN, NAN, 7], f32).reshape(1, 12, 1)
    cases.append(argmax_case("argmax1d_nan_first_last_k2", x, [2], [2], "VALID", rng))
    cases.append(argmax_case("argmax1d_nan_overlap_k3s1_same", x, [3], [1], "SAME", rng))
    for dt in (f32, f64):
        tag = "f32" if dt is f32 else "f64"
        x = cc.sprinkle(rng, cc.randn(rng, (2, 6, 6, 2), dt), 0.25, [NAN])
        cases.append(argmax_case(f"argmax2d_nan_k2s2_valid_{tag}", x, [2, 2], [2, 2], "VALID", rng))
        cases.append(argmax_case(f"argmax2d_nan_k3s2_same_{tag}", x, [3, 3], [2, 2], "SAME", rng, True))
    x = cc.sprinkle(rng, cc.randn(rng, (1, 5, 5, 2), f32), 0.6, [NAN])
    cases.append(argmax_case("argmax2d_many_nan_k2s1_valid", x, [2, 2], [1, 1], "VALID", rng))
    # --- ±Inf, windows of -inf only (also next to SAME padding)
    x = cc.sprinkle(rng, cc.randn(rng, (1, 6, 6, 2), f32), 0.3, [INF, -INF])
    cases.append(argmax_case("argmax2d_inf_k2s2_valid", x, [2, 2], [2, 2], "VALID", rng))
    x = np.full((1, 3, 5, 1), -INF, f32)
    x[0, 0, 0, 0] = 1
    x[0, 2, 4, 0] = NAN
    cases.append(argmax_case("argmax2d_all_neginf_windows_k2s2_same", x, [2, 2], [2, 2], "SAME", rng))
    x = np.array([-INF, -INF, NAN, -INF, INF, NAN, -INF, NAN], f32).reshape(1, 8, 1)
    cases.append(argmax_case("argmax1d_inf_nan_k2s2", x, [2], [2], "VALID", rng))
    # --- signed zeros: windows of -0/+0 only, both orders; f64 too
    z = [-0.0, 0.0, 0.0, -0.0, -0.0, -0.0, 0.0, 0.0, 0.0, -0.0, -0.0, 0.0]
    for dt in (f32, f64):
        tag = "f32" if dt is f32 else "f64"
        cases.append(argmax_case(f"argmax1d_signed_zero_k2_{tag}", np.array(z, dt).reshape(1, 12, 1), [2], [2], "VALID", rng))
        cases.append(argmax_case(f"argmax1d_signed_zero_k3s1_same_{tag}", np.array(z, dt).reshape(1, 12, 1), [3], [1], "SAME", rng))
    x = np.array([-0.0, 0.0, 0.0, -0.0, -0.0, 0.0, 0.0, -0.0], f32).reshape(1, 2, 4, 1)
    cases.append(argmax_case("argmax2d_signed_zero_k2s2", x, [2, 2], [2, 2], "VALID", rng))
    # --- explicit padding: tf.nn.max_pool2d / max_pool1d (pad < window)
    for dt in (f32, f64):
        tag = "f32" if dt is f32 else "f64"
        x = cc.randn(rng, (2, 5, 4, 2), dt)
        cases.append(max_pool_case(f"maxpool2d_explicit_asym_{tag}", x, [3, 2], [2, 1], ([1, 0], [2, 1]), rng))
    x = cc.sprinkle(rng, cc.randn(rng, (1, 4, 5, 2), f32), 0.3, [NAN, -INF])
    cases.append(max_pool_case("maxpool2d_explicit_nan_neginf", x, [2, 3], [1, 2], ([1, 2], [1, 2]), rng))
    x = np.array([-INF, -INF, NAN, 1, -INF, NAN, NAN, -0.0, 0.0], f32).reshape(1, 9, 1)
    cases.append(max_pool_case("maxpool1d_explicit_neginf_next_to_padding", x, [2], [1], ([1], [1]), rng))
    x = cc.small_int_input(rng, (1, 7, 2), f32)
    cases.append(max_pool_case("maxpool1d_explicit_ties_k3s2", x, [3], [2], ([2], [1]), rng))
    # --- dilation: tf.nn.pool, stride 1, VALID
    x = cc.randn(rng, (1, 6, 7, 2), f32)
    cases.append(max_pool_case("pool_max2d_dilation2_valid", x, [2, 2], [1, 1], "VALID", rng, d=[2, 2]))
    x = cc.sprinkle(rng, cc.randn(rng, (1, 9, 2), f32), 0.3, [NAN, -INF])
    cases.append(max_pool_case("pool_max1d_dilation3_nan", x, [2], [1], "VALID", rng, d=[3]))
    x = cc.small_int_input(rng, (1, 5, 6, 1), f64)
    cases.append(max_pool_case("pool_max2d_dilation_1x2_ties_f64", x, [2, 3], [1, 1], "VALID", rng, d=[1, 2]))
    # --- avg: VALID / SAME (padding never counts), NaN / Inf propagate, dilation via tf.nn.pool
    for dt in (f32, f64):
        tag = "f32" if dt is f32 else "f64"
        x = cc.randn(rng, (2, 5, 5, 2), dt)
        cases.append(avg_case(f"avg2d_k2s2_valid_{tag}", x, [2, 2], [2, 2], "VALID", rng))
        cases.append(avg_case(f"avg2d_k3s2_same_{tag}", x, [3, 3], [2, 2], "SAME", rng))
        cases.append(avg_case(f"avg2d_k2x3_s1_same_{tag}", x, [2, 3], [1, 1], "SAME", rng))
        x = cc.randn(rng, (1, 7, 3), dt)
        cases.append(avg_case(f"avg1d_k4s3_same_{tag}", x, [4], [3], "SAME", rng))
    x = cc.sprinkle(rng, cc.randn(rng, (1, 4, 4, 2), f32), 0.2, [NAN, INF, -INF])
    cases.append(avg_case("avg2d_nan_inf_k2s1_same", x, [2, 2], [1, 1], "SAME", rng))
    x = cc.randn(rng, (1, 6, 6, 1), f32)
    cases.append(avg_case("pool_avg2d_dilation2_valid", x, [2, 2], [1, 1], "VALID", rng, d=[2, 2]))
    x = cc.randn(rng, (1, 3, 4, 5, 1), f32)
    cases.append(avg_case("avg3d_k2s2_same", x, [2, 2, 2], [2, 2, 2], "SAME", rng))
    # --- 3-D max: MaxPool3D's own rules
    x = cc.randn(rng, (1, 3, 4, 4, 2), f32)
    cases.append(max3d_case("max3d_random_k2s2_valid", x, [2, 2, 2], [2, 2, 2], "VALID", rng))
    x = cc.small_int_input(rng, (1, 2, 4, 4, 1), f32)
    cases.append(max3d_case("max3d_ties_k2s1_same", x, [2, 2, 2], [1, 1, 1], "SAME", rng))
    x = np.array([1, NAN, 3, 2, NAN, 1, 1, NAN, NAN, 3, NAN, 1, NAN, NAN, -INF, -INF,
                  -0.0, 0.0, 0.0, -0.0, -INF, NAN, NAN, -INF], f32).reshape(1, 1, 1, 24, 1)
    cases.append(max3d_case("max3d_nan_zero_inf_k2", x, [1, 1, 2], [1, 1, 2], "VALID", rng))
    cases.append(max3d_case("max3d_nan_zero_inf_k4", x, [1, 1, 4], [1, 1, 4], "VALID", rng))
    x = np.array([INF, 1, 2, INF, INF, INF, NAN, INF, -0.0, -0.0], f32).reshape(1, 1, 1, 10, 1)
    cases.append(max3d_case("max3d_posinf_k2", x, [1, 1, 2], [1, 1, 2], "VALID", rng))
    x = np.array([-INF, -INF, -INF, 2, 2.000001, 5, 5.00002, 1], f32).reshape(1, 1, 1, 8, 1)
    cases.append(max3d_case("max3d_neginf_same_and_near_ties", x, [1, 1, 3], [1, 1, 3], "SAME", rng))
    # --- what TensorFlow rejects (recorded in the report, no case)
    x = tf.constant(cc.randn(rng, (1, 4, 4, 1), f32))
    rejected("avg_pool2d with explicit padding", lambda: tf.nn.avg_pool2d(x, 2, 2, [[0, 0], [1, 1], [1, 1], [0, 0]]))
    rejected("max_pool_with_argmax with explicit padding", lambda: tf.nn.max_pool_with_argmax(x, 2, 2, [[0, 0], [1, 1], [1, 1], [0, 0]]))
    rejected("max_pool2d with padding == window", lambda: tf.nn.max_pool2d(x, 2, 2, [[0, 0], [2, 2], [0, 0], [0, 0]]))
    rejected("tf.nn.pool with dilation and stride > 1", lambda: tf.nn.pool(x, [2, 2], "MAX", strides=[2, 2], padding="VALID", dilations=[2, 2]))
    rejected("tf.nn.pool with dilation and SAME", lambda: tf.nn.pool(x, [2, 2], "MAX", strides=[1, 1], padding="SAME", dilations=[2, 2]))
    rejected("max_pool3d float64", lambda: tf.nn.max_pool3d(tf.zeros((1, 2, 2, 2, 1), tf.float64), 2, 2, "VALID"))
    rejected("max_pool3d explicit padding", lambda: tf.nn.max_pool3d(tf.zeros((1, 2, 2, 2, 1)), 2, 2, [[0, 0], [1, 1], [1, 1], [1, 1], [0, 0]]))
    rejected("max_pool2d NCHW on CPU", lambda: tf.nn.max_pool2d(tf.zeros((1, 1, 4, 4)), 2, 2, "VALID", data_format="NCHW"))
    print("TensorFlow rejects:")
    for r in REJECTED:
        print("  -", r)
    cc.write("tensorflow.json", f"TensorFlow {tf.__version__} CPU (TF_ENABLE_ONEDNN_OPTS="
             f"{os.environ['TF_ENABLE_ONEDNN_OPTS']}), numpy {np.__version__}", SEED, cases)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Golden fractional max pooling from PyTorch: Tests/Fixtures/golden/pytorch-fractional.json.

F.fractional_max_pool2d / fractional_max_pool3d with explicit `_random_samples`, forward (output,
indices) and autograd backward, float32 and float64, kernel sizes 1-4, `output_size` and
`output_ratio`, ties (integer inputs), several NaNs per window, both layouts; 1-D cases through
fractional_max_pool2d with a unit height (PyTorch has no 1-D fractional pooling).

Sample order (checked below against PyTorch's own windows, not only read from its source):
- 2-D: PyTorch's samples per plane are (W, H); the fixture's `fractional.samples` are the
  contract's spatial order (H, W), i.e. reversed.
- 3-D: PyTorch's samples per plane are (T, H, W), already spatial order; kept as they are.

Every case is also recomputed from the contract's formula (alpha = (n-k)/(m-1) in the compute
dtype, start_i = floor((i+u)*alpha) - floor(u*alpha), last n-k; first maximum in row-major scan
order, the last NaN wins) and must equal PyTorch's output and indices, or the generator stops.
"""
import itertools

import numpy as np
import torch
import torch.nn.functional as F

from golden_common import flat, small_ints, write

SEED = 23
NP_DTYPE = {"float32": np.float32, "float64": np.float64}
TORCH_DTYPE = {"float32": torch.float32, "float64": torch.float64}


def starts(u, n, m, k, dtype):
    """Window starts of one axis, in the arithmetic of `dtype` (PyTorch's generate_intervals)."""
    dt = NP_DTYPE[dtype]
    u = dt(u)
    out = []
    if m > 1:
        alpha = dt(n - k) / dt(m - 1)
        for i in range(m - 1):
            out.append(int(np.floor(dt(dt(i) + u) * alpha)) - int(np.floor(u * alpha)))
    out.append(n - k)
    return out


def contract_forward(x, kernel, out_size, samples, dtype):
    """Output and plane indices from the contract's rule, channels_first, spatial-order samples."""
    x = np.asarray(x)
    n_, c_ = x.shape[:2]
    spatial = x.shape[2:]
    d = len(spatial)
    out = np.zeros((n_, c_) + tuple(out_size), dtype=x.dtype)
    idx = np.zeros((n_, c_) + tuple(out_size), dtype=np.int64)
    for b in range(n_):
        for c in range(c_):
            seqs = [starts(samples[b, c, a], spatial[a], out_size[a], kernel[a], dtype) for a in range(d)]
            plane = x[b, c]
            for o in itertools.product(*[range(m) for m in out_size]):
                best, best_i = -np.inf, None
                for off in itertools.product(*[range(k) for k in kernel]):
                    pos = tuple(seqs[a][o[a]] + off[a] for a in range(d))
                    v = plane[pos]
                    if best_i is None or v > best or np.isnan(v):
                        best, best_i = v, int(np.ravel_multi_index(pos, spatial))
                out[(b, c) + o] = best
                idx[(b, c) + o] = best_i
    return out, idx


def make_input(rng, kind, shape, dtype):
    dt = NP_DTYPE[dtype]
    if kind == "ties":
        x = rng.integers(0, 3, size=shape).astype(dt)
    elif kind == "negative":
        x = (-np.abs(rng.standard_normal(shape)) - 1).astype(np.float32).astype(dt)
    else:
        x = rng.standard_normal(shape).astype(np.float32).astype(dt)
    if kind == "nan":
        flat_x = x.reshape(-1)
        # runs of NaNs so that several fall into one window
        for s in rng.choice(flat_x.size - 2, size=max(2, flat_x.size // 10), replace=False):
            flat_x[s:s + 2] = np.nan
    if kind == "inf":
        flat_x = x.reshape(-1)
        flat_x[rng.choice(flat_x.size, size=max(1, flat_x.size // 8), replace=False)] = -np.inf
        flat_x[rng.integers(flat_x.size)] = np.inf
    return x


def run_case(name, x, kernel, dtype, samples_spatial, output_size=None, output_ratio=None,
             layout="channels_first", gseed=0, note=None):
    """PyTorch forward/backward for one case; returns the fixture entry."""
    d = x.ndim - 2
    tdt = TORCH_DTYPE[dtype]
    xt = torch.tensor(x, dtype=tdt, requires_grad=True)
    s = np.asarray(samples_spatial)
    one_d = d == 1
    if one_d:  # through 2-D with a unit height: kernel 1, output 1 (its window starts at 0)
        xin = xt.unsqueeze(2)
        k2 = (1, kernel[0])
        # PyTorch's 2-D samples are (W, H); the unit H gets 0.5 (irrelevant: its only window is 0)
        ts = torch.tensor(np.stack([s[..., 0], np.full(s.shape[:2], 0.5)], axis=-1), dtype=tdt)
        m = output_size[0] if output_size else int(x.shape[-1] * output_ratio[0])
        kw = {"output_size": (1, m)}
        y, i = F.fractional_max_pool2d(xin, k2, _random_samples=ts, return_indices=True, **kw)
        y, i = y.squeeze(2), i.squeeze(2)
    elif d == 2:
        ts = torch.tensor(s[..., ::-1].copy(), dtype=tdt)  # spatial (H, W) -> PyTorch (W, H)
        kw = {"output_size": tuple(output_size)} if output_size else {"output_ratio": tuple(output_ratio)}
        xin = xt.contiguous(memory_format=torch.channels_last) if layout == "channels_last" else xt
        y, i = F.fractional_max_pool2d(xin, tuple(kernel), _random_samples=ts, return_indices=True, **kw)
    else:
        ts = torch.tensor(s, dtype=tdt)  # PyTorch's 3-D samples are (T, H, W): spatial order
        kw = {"output_size": tuple(output_size)} if output_size else {"output_ratio": tuple(output_ratio)}
        xin = xt.contiguous(memory_format=torch.channels_last_3d) if layout == "channels_last" else xt
        y, i = F.fractional_max_pool3d(xin, tuple(kernel), _random_samples=ts, return_indices=True, **kw)
    out_size = list(y.shape[2:])
    # the contract's rule must give PyTorch's numbers
    want_y, want_i = contract_forward(x, kernel, out_size, s, dtype)
    got_y = y.detach().numpy()
    if not (np.array_equal(want_i, i.numpy()) and np.array_equal(want_y, got_y, equal_nan=True)):
        raise SystemExit(f"{name}: the contract's windows differ from PyTorch's")
    rng = np.random.default_rng(gseed)
    g = torch.tensor(small_ints(rng, tuple(y.shape)), dtype=tdt)
    (gx,) = torch.autograd.grad(y, xt, g)
    frac = {"samples": flat(s.astype(NP_DTYPE[dtype]))}
    if output_size:
        frac["outputSize"] = list(output_size)
    else:
        frac["outputRatio"] = list(output_ratio)
    params = {"mode": "max", "kernelSize": list(kernel), "fractional": frac}
    tensors = {"input": x, "output": got_y, "indices": i.numpy(), "gradOutput": g.numpy(), "gradInput": gx.numpy()}
    if layout == "channels_last":
        params["layout"] = "channels_last"
        perm = (0,) + tuple(range(2, d + 2)) + (1,)
        tensors = {k: np.transpose(v, perm) for k, v in tensors.items()}
    case = {"name": name, "dtype": dtype, "params": params,
            "input": flat(tensors["input"]), "output": flat(tensors["output"]),
            "indices": flat(tensors["indices"], integer=True),
            "gradOutput": flat(tensors["gradOutput"]), "gradInput": flat(tensors["gradInput"])}
    if note:
        case["note"] = note
    return case


def main():
    rng = np.random.default_rng(SEED)
    torch.manual_seed(SEED)
    cases = []
    kinds = ["randn", "ties", "nan", "negative", "randn", "ties", "inf", "randn"]

    # 2-D, output_size
    n = 0
    for dtype in ("float32", "float64"):
        for j, kind in enumerate(kinds):
            kh, kw = int(rng.integers(1, 5)), int(rng.integers(1, 5))
            h, w = int(rng.integers(kh + 1, kh + 9)), int(rng.integers(kw + 1, kw + 9))
            oh, ow = int(rng.integers(1, h - kh + 2)), int(rng.integers(1, w - kw + 2))
            shape = (int(rng.integers(1, 3)), int(rng.integers(1, 3)), h, w)
            x = make_input(rng, kind, shape, dtype)
            u = rng.random((shape[0], shape[1], 2)).astype(NP_DTYPE[dtype])
            layout = "channels_last" if j in (3, 5) else "channels_first"
            cases.append(run_case(f"frac2d_{n}_{kind}", x, (kh, kw), dtype, u, output_size=(oh, ow),
                                  layout=layout, gseed=n))
            n += 1
    # 2-D, output_ratio
    for dtype in ("float32", "float64"):
        for kind, ratio, shape, k in [("randn", (0.5, 0.7), (1, 2, 9, 10), (2, 2)),
                                       ("ties", (0.75, 0.6), (2, 1, 8, 7), (2, 3)),
                                       ("randn", (0.4, 0.8), (1, 1, 10, 6), (4, 1))]:
            x = make_input(rng, kind, shape, dtype)
            u = rng.random((shape[0], shape[1], 2)).astype(NP_DTYPE[dtype])
            cases.append(run_case(f"frac2d_{n}_ratio_{kind}", x, k, dtype, u, output_ratio=ratio, gseed=n))
            n += 1
    # floor(100 * 0.29) is 28 in double arithmetic (100 * 0.29 = 28.999999999999996), not 29
    x = make_input(rng, "randn", (1, 1, 4, 100), "float64")
    u = rng.random((1, 1, 2))
    cases.append(run_case("frac2d_ratio_floor_0.29x100", x, (2, 3), "float64", u, output_ratio=(0.5, 0.29),
                          gseed=n, note="outputRatio 0.29 on 100 cells: floor(100 * 0.29) in double is 28, not 29"))

    # float32 and float64 arithmetic pick different windows for these samples (same input values)
    for tag, shape, kernel, out_size, u in [
            ("2d", (1, 1, 6, 7), (2, 2), (3, 3), [0.4999999701976776, 0.19999998807907104]),
            ("1d", (1, 1, 7), (1,), (3,), [0.6666666269302368]),
            ("3d", (1, 1, 6, 8, 7), (2, 2, 2), (3, 5, 3),
             [0.4999999701976776, 0.3333333134651184, 0.19999998807907104])]:
        base = make_input(rng, "randn", shape, "float32")
        spatial = shape[2:]
        st = {dt: [starts(u[a], spatial[a], out_size[a], kernel[a], dt) for a in range(len(u))]
              for dt in ("float32", "float64")}
        assert st["float32"] != st["float64"], tag
        for dtype in ("float32", "float64"):
            cases.append(run_case(f"frac{tag}_alpha_{dtype}", base.astype(NP_DTYPE[dtype]), kernel, dtype,
                                  np.array([[u]], dtype=NP_DTYPE[dtype]), output_size=out_size, gseed=90,
                                  note=f"alpha computed in {dtype}; window starts per spatial axis: "
                                       f"float32 {st['float32']}, float64 {st['float64']} (same input and samples)"))

    # the largest output the contract allows, input - kernel + 1 (every window start is used)
    x = make_input(rng, "ties", (1, 1, 6, 5), "float32")
    u = rng.random((1, 1, 2)).astype(np.float32)
    cases.append(run_case("frac2d_largest_output", x, (3, 2), "float32", u, output_size=(4, 4), gseed=93))

    # 1-D (through 2-D with a unit height)
    for dtype in ("float32", "float64"):
        for kind in ("randn", "ties", "nan"):
            k = int(rng.integers(1, 5))
            w = int(rng.integers(k + 2, k + 14))
            m = int(rng.integers(2, w - k + 2))
            shape = (int(rng.integers(1, 3)), int(rng.integers(1, 3)), w)
            x = make_input(rng, kind, shape, dtype)
            u = rng.random((shape[0], shape[1], 1)).astype(NP_DTYPE[dtype])
            cases.append(run_case(f"frac1d_{n}_{kind}", x, (k,), dtype, u, output_size=(m,), gseed=n))
            n += 1

    # 3-D
    for dtype in ("float32", "float64"):
        for j, kind in enumerate(["randn", "ties", "nan", "randn"]):
            k = tuple(int(v) for v in rng.integers(1, 4, size=3))
            sp = tuple(int(k[a] + rng.integers(2, 6)) for a in range(3))
            # PyTorch's 3-D check is strict (output + kernel - 1 < input), its 2-D one is not
            m = tuple(int(rng.integers(1, sp[a] - k[a] + 1)) for a in range(3))
            shape = (1, int(rng.integers(1, 3))) + sp
            x = make_input(rng, kind, shape, dtype)
            u = rng.random((shape[0], shape[1], 3)).astype(NP_DTYPE[dtype])
            layout = "channels_last" if j == 3 else "channels_first"
            cases.append(run_case(f"frac3d_{n}_{kind}", x, k, dtype, u, output_size=m, layout=layout, gseed=n))
            n += 1
    x = make_input(rng, "randn", (1, 2, 7, 6, 8), "float32")
    u = rng.random((1, 2, 3)).astype(np.float32)
    cases.append(run_case(f"frac3d_{n}_ratio", x, (2, 1, 3), "float32", u, output_ratio=(0.5, 0.6, 0.7), gseed=n))

    write("pytorch-fractional.json", f"PyTorch {torch.__version__} CPU", SEED, cases)


if __name__ == "__main__":
    main()

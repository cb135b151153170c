#!/usr/bin/env python3
"""Golden 16-bit pooling from PyTorch: Tests/Fixtures/golden/pytorch-half.json.

The contract computes a float16 / bfloat16 b64 input in float32 and rounds the results to the
wire type (nearest even, +-Infinity on overflow). Each candidate case runs PyTorch twice on the
same 16-bit values: natively on `.half()` / `.bfloat16()` tensors, and in float32 followed by
`.to(wire type)` (the contract's rule). A case is kept only when the two agree bit for bit, forward
and backward; every disagreement is printed with a small example and counted.

What PyTorch 2.15 (CPU) does differently, and so is not in the file:
- avg/max backward with overlapping windows: PyTorch accumulates gradInput in the 16-bit type, so
  sums of several windows' shares round more than once. Such cases are kept with small-integer
  gradOutputs (sums exact in both), and the same case with random gradOutputs is reported.
- adaptive_avg_pool3d forward, lp_pool forward (x ** p is rounded to 16 bits first, and can
  overflow: 300 ** 2 is Infinity in float16); avg_pool3d has no 16-bit CPU kernel.

Fixture fields: `dtype` is the compute dtype (float32), `wireDtype` the b64 dtype of every
tensor of the request and the response (indices stay int64); tensor values are written as
numbers (every 16-bit value is exact in JSON).
"""
import numpy as np
import torch
import torch.nn.functional as F

from golden_common import flat, write

SEED = 61
WIRE = {"float16": torch.float16, "bfloat16": torch.bfloat16}


def same(a, b):
    return torch.equal(torch.isnan(a), torch.isnan(b)) and torch.equal(torch.nan_to_num(a, 0.0), torch.nan_to_num(b, 0.0)) \
        and torch.equal(torch.signbit(a) & (a == 0), torch.signbit(b) & (b == 0))


def evaluate(fn, x16, g16, max_mode):
    """Native 16-bit results and float32-then-round results of fn, forward and backward."""
    xa = x16.clone().requires_grad_(True)
    ya = fn(xa)
    ia = None
    if max_mode:
        ya, ia = ya
    (ga,) = torch.autograd.grad(ya, xa, g16)
    xb = x16.float().requires_grad_(True)
    yb = fn(xb)
    ib = None
    if max_mode:
        yb, ib = yb
    (gb,) = torch.autograd.grad(yb, xb, g16.float())
    return (ya.detach(), ia, ga), (yb.detach().to(x16.dtype), ib, gb.to(x16.dtype))


def make_input(rng, kind, shape, wire):
    if kind == "ties":
        x = rng.integers(-2, 3, size=shape).astype(np.float32)
    elif kind == "large":
        big = 60000.0 if wire == "float16" else 3.0e38
        x = (rng.choice([-1.0, 1.0], size=shape) * big * rng.uniform(0.5, 1.0, size=shape)).astype(np.float32)
    elif kind == "small":  # subnormals of float16, tiny values of bfloat16
        x = (rng.standard_normal(shape) * (1e-6 if wire == "float16" else 1e-38)).astype(np.float32)
    else:
        x = (rng.standard_normal(shape) * 3).astype(np.float32)
    if kind == "nonfinite":
        f = x.reshape(-1)
        f[rng.choice(f.size, size=max(2, f.size // 8), replace=False)] = np.nan
        f[rng.integers(f.size)] = np.inf
        f[rng.integers(f.size)] = -np.inf
    return torch.tensor(x).to(WIRE[wire])


def candidates(rng):
    """(name, mode, params, op, input shape, kind) for every candidate."""
    out = []
    kinds = ["randn", "ties", "nonfinite", "large", "small"]
    for j, kind in enumerate(kinds):
        k, s = int(rng.integers(2, 4)), int(rng.integers(1, 4))
        pad = int(rng.integers(0, k // 2 + 1))
        ceil = bool(j % 2)
        out.append((f"max1d_{kind}", "max", {"kernelSize": [k], "stride": [s], "padding": [pad], "ceilMode": ceil},
                    lambda x, k=k, s=s, pad=pad, ceil=ceil: F.max_pool1d(x, k, s, pad, ceil_mode=ceil, return_indices=True),
                    (2, 2, int(rng.integers(k + 1, 14))), kind))
        kh, kw = int(rng.integers(1, 4)), int(rng.integers(2, 4))
        out.append((f"max2d_{kind}", "max", {"kernelSize": [kh, kw], "stride": [2, 1], "ceilMode": ceil},
                    lambda x, kh=kh, kw=kw, ceil=ceil: F.max_pool2d(x, (kh, kw), (2, 1), ceil_mode=ceil, return_indices=True),
                    (1, 3, int(rng.integers(4, 8)), int(rng.integers(4, 8))), kind))
        out.append((f"avg1d_{kind}", "avg", {"kernelSize": [k], "stride": [s], "padding": [pad], "ceilMode": ceil,
                                             "countIncludePad": bool(j % 3)},
                    lambda x, k=k, s=s, pad=pad, ceil=ceil, j=j: F.avg_pool1d(x, k, s, pad, ceil, bool(j % 3)),
                    (2, 2, int(rng.integers(k + 1, 14))), kind))
        div = {"ties": 3, "nonfinite": 1, "large": 1}.get(kind)  # large with 1: sums overflow the wire type
        prm = {"kernelSize": [2, 3], "stride": [2, 3]}
        if div:
            prm["divisorOverride"] = div
        out.append((f"avg2d_{kind}" + (f"_div{div}" if div else ""), "avg", prm,
                    lambda x, div=div: F.avg_pool2d(x, (2, 3), (2, 3), divisor_override=div),
                    (1, 2, int(rng.integers(4, 9)), int(rng.integers(6, 10))), kind))
        out.append((f"avg2d_overlap_{kind}", "avg", {"kernelSize": [3, 3], "stride": [1, 2], "padding": [1, 1]},
                    lambda x: F.avg_pool2d(x, 3, (1, 2), 1), (1, 2, 5, 6), kind))
        m = int(rng.integers(2, 5))
        out.append((f"adaptive_avg1d_{kind}", "avg", {"outputSize": [m]},
                    lambda x, m=m: F.adaptive_avg_pool1d(x, m), (1, 3, int(rng.integers(m, 12))), kind))
        out.append((f"adaptive_max2d_{kind}", "max", {"outputSize": [2, 3]},
                    lambda x: F.adaptive_max_pool2d(x, (2, 3), return_indices=True), (2, 1, 5, 7), kind))
        out.append((f"adaptive_avg2d_{kind}", "avg", {"outputSize": [3, 2]},
                    lambda x: F.adaptive_avg_pool2d(x, (3, 2)), (1, 2, 7, 5), kind))
        out.append((f"global_avg2d_{kind}", "avg", {"global": True},
                    lambda x: F.adaptive_avg_pool2d(x, 1), (2, 2, 3, 4), kind))
    return out


def channels_last(t):
    d = t.ndim - 2
    return t.permute((0,) + tuple(range(2, d + 2)) + (1,))


def main():
    rng = np.random.default_rng(SEED)
    torch.manual_seed(SEED)
    cases, disagreements = [], []
    for wire in ("float16", "bfloat16"):
        for j, (name, mode, params, fn, shape, kind) in enumerate(candidates(rng)):
            x16 = make_input(rng, kind, shape, wire)
            probe = fn(x16.float())
            y_shape = (probe[0] if mode == "max" else probe).shape
            g_rand = torch.tensor(rng.standard_normal(tuple(y_shape)).astype(np.float32)).to(WIRE[wire])
            g_int = torch.tensor(rng.integers(-3, 4, size=tuple(y_shape)).astype(np.float32)).to(WIRE[wire])
            kept = None
            for g, tag in ((g_rand, "random"), (g_int, "integer")):
                (ya, ia, ga), (yb, ib, gb) = evaluate(fn, x16, g, mode == "max")
                fwd_ok = same(ya, yb) and (ia is None or torch.equal(ia, ib))
                bwd_ok = same(ga, gb)
                if not fwd_ok:
                    diff = (~((ya == yb) | (torch.isnan(ya) & torch.isnan(yb)))).nonzero()
                    if len(diff):
                        bad = diff[0].tolist()
                        disagreements.append(f"{wire} {name}: forward at {bad}: PyTorch {ya[tuple(bad)].item()!r}, "
                                             f"float32-then-round {yb[tuple(bad)].item()!r}")
                    elif ia is not None and not torch.equal(ia, ib):
                        bad = (ia != ib).nonzero()[0].tolist()
                        disagreements.append(f"{wire} {name}: indices at {bad}: PyTorch {ia[tuple(bad)].item()}, "
                                             f"float32 {ib[tuple(bad)].item()} (input {x16.float().flatten().tolist()})")
                    else:
                        disagreements.append(f"{wire} {name}: forward differs in the sign of a zero")
                    break
                if not bwd_ok:
                    bad = (~((ga == gb) | (torch.isnan(ga) & torch.isnan(gb)))).nonzero()[0].tolist()
                    disagreements.append(f"{wire} {name} ({tag} gradOutput): gradInput at {bad}: PyTorch "
                                         f"{ga[tuple(bad)].item()!r}, float32-then-round {gb[tuple(bad)].item()!r}")
                    continue
                kept = (ya, ia, g, ga, tag)
                break
            if kept is None:
                continue
            ya, ia, g, ga, tag = kept
            layout = "channels_last" if j % 4 == 3 else "channels_first"
            conv = channels_last if layout == "channels_last" else (lambda t: t)
            p = {"mode": mode, **params}
            if layout == "channels_last":
                p["layout"] = "channels_last"
            case = {"name": f"{wire}_{name}", "dtype": "float32", "wireDtype": wire, "params": p,
                    "input": flat(conv(x16)), "output": flat(conv(ya)), "gradOutput": flat(conv(g)),
                    "gradInput": flat(conv(ga))}
            if ia is not None:
                case["indices"] = flat(conv(ia), integer=True)
            if tag == "integer":
                case["note"] = ("small-integer gradOutput: with random ones PyTorch's 16-bit gradient accumulation "
                                "differs from float32-then-round")
            cases.append(case)
    # what PyTorch computes differently outright
    for wire in ("float16", "bfloat16"):
        x = make_input(rng, "randn", (1, 1, 3, 4, 5), wire)
        a, b = F.adaptive_avg_pool3d(x, 2), F.adaptive_avg_pool3d(x.float(), 2).to(x.dtype)
        if not same(a, b):
            i = (a != b).nonzero()[0].tolist()
            disagreements.append(f"{wire} adaptive_avg_pool3d forward at {i}: PyTorch {a[tuple(i)].item()!r}, "
                                 f"float32-then-round {b[tuple(i)].item()!r}")
        x = torch.tensor([[[300.0, 300.0]]]).to(WIRE[wire])
        a, b = F.lp_pool1d(x, 2, 2), F.lp_pool1d(x.float(), 2, 2).to(x.dtype)
        if not same(a, b):
            disagreements.append(f"{wire} lp_pool1d(p=2, k=2) of [300, 300]: PyTorch {a.item()!r}, "
                                 f"float32-then-round {b.item()!r}")
        try:
            F.avg_pool3d(make_input(rng, "randn", (1, 1, 2, 2, 2), wire), 2)
        except (RuntimeError, NotImplementedError) as e:
            disagreements.append(f"{wire} avg_pool3d: PyTorch refuses: {str(e).splitlines()[0]}")
    write("pytorch-half.json", f"PyTorch {torch.__version__} CPU", SEED, cases)
    print(f"  {len(disagreements)} disagreements between PyTorch's 16-bit kernels and float32-then-round:")
    for d in disagreements:
        print("   ", d)


if __name__ == "__main__":
    main()

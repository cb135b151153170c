#!/usr/bin/env python3
"""Golden PyTorch lp pooling: Tests/Fixtures/golden/pytorch-lp.json, with `lpAbs: false`.

PyTorch's F.lp_pool1d/2d/3d is not the contract's default lp. It computes
    y = (K * avg_pool(x ** p))  ** (1/p)        (K = the kernel's cell count; sign(s)*relu(|s|) = s)
that is:
- x ** p without the absolute value: p = 1 gives the plain window sum (negative too); a
  non-integer p gives NaN for every negative cell; an odd p gives NaN where the window's sum
  of x^p is negative (the 1/p-th power of a negative number);
- in ceil mode avg_pool divides a partial window by its real cell count, so the partial window's
  sum is scaled by K / (its real cell count): (K/count * sum x^p)^(1/p);
- the gradient is autograd's through those operations: 0 for a window whose sum is 0 (sign(0) = 0),
  NaN wherever the forward is NaN.
The cases below record PyTorch's numbers, forward and autograd backward, for p = 1, 2, 3, 1.5,
negative inputs, floor and ceil mode (the ceil-mode cases say so in `note`). Every case's `nan`
field counts the NaNs of its output and gradInput.
"""
import numpy as np
import torch
import torch.nn.functional as F

from golden_common import flat, small_ints, write

SEED = 53
FN = {1: F.lp_pool1d, 2: F.lp_pool2d, 3: F.lp_pool3d}


def run(name, x, p, kernel, stride, ceil, rng, dtype):
    d = x.ndim - 2
    xt = torch.tensor(x, requires_grad=True)
    y = FN[d](xt, p, tuple(kernel) if d > 1 else kernel[0], stride=tuple(stride) if d > 1 else stride[0],
              ceil_mode=ceil)
    g = torch.tensor(small_ints(rng, tuple(y.shape)), dtype=xt.dtype)
    (gx,) = torch.autograd.grad(y, xt, g)
    params = {"mode": "lp", "p": p, "kernelSize": list(kernel), "stride": list(stride), "ceilMode": ceil,
              "lpAbs": False}
    case = {"name": name, "dtype": dtype, "params": params, "input": flat(x), "output": flat(y),
            "gradOutput": flat(g), "gradInput": flat(gx),
            "nan": {"output": int(torch.isnan(y).sum()), "gradInput": int(torch.isnan(gx).sum())}}
    # does ceil mode leave a partial window? then PyTorch rescaled it
    spatial = x.shape[2:]
    partial = any((o - 1) * s + k > n for o, s, k, n in zip(y.shape[2:], stride, kernel, spatial))
    if ceil and partial:
        case["note"] = ("ceil mode with partial windows: PyTorch scales a partial window's sum of x^p by "
                        "kernel cells / real cells before the 1/p-th power")
    return case


def main():
    rng = np.random.default_rng(SEED)
    torch.manual_seed(SEED)
    cases = []
    n = 0
    for dtype, npdt in (("float32", np.float32), ("float64", np.float64)):
        for d in (1, 2, 3):
            for p in (1.0, 2.0, 3.0, 1.5):
                for kind in ("randn", "negative", "ints"):
                    if d == 3 and kind == "negative":
                        continue
                    k = [int(v) for v in rng.integers(1, 4 if d < 3 else 3, size=d)]
                    s = [int(v) for v in rng.integers(1, 4, size=d)]
                    sp = [int(k[a] + rng.integers(0, 6 if d < 3 else 3)) for a in range(d)]
                    shape = (int(rng.integers(1, 3)), int(rng.integers(1, 3))) + tuple(sp)
                    if kind == "ints":
                        x = rng.integers(-2, 3, size=shape).astype(npdt)
                    elif kind == "negative":
                        x = (-np.abs(rng.standard_normal(shape)) - 0.5).astype(np.float32).astype(npdt)
                    else:
                        x = rng.standard_normal(shape).astype(np.float32).astype(npdt)
                    ceil = bool(n % 2)
                    cases.append(run(f"lp{d}d_{n}_p{p:g}_{kind}" + ("_ceil" if ceil else ""), x, p, k, s, ceil, rng,
                                     dtype))
                    n += 1
    # the plain sum and ceil-mode rescaling, by hand-checkable numbers
    x = np.array([[[1.0, -2.0, 3.0, 4.0, 5.0]]])
    cases.append(run("lp1d_p1_sum_ceil_scaled", x, 1.0, [2], [2], True, rng, "float64"))
    x = np.array([[[-1.0, -2.0, 3.0, -4.0, 0.0, 0.0]]])
    for p in (1.0, 2.0, 3.0, 1.5):
        cases.append(run(f"lp1d_p{p:g}_signs_and_zero_window", x, p, [2], [2], False, rng, "float64"))
    write("pytorch-lp.json", f"PyTorch {torch.__version__} CPU", SEED, cases)
    total_nan = sum(c["nan"]["output"] for c in cases)
    print(f"  {sum(1 for c in cases if c['nan']['output'])} cases with NaN outputs ({total_nan} NaN cells), "
          f"{sum(1 for c in cases if 'note' in c)} ceil-mode cases with rescaled partial windows")


if __name__ == "__main__":
    main()

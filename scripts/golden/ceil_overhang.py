#!/usr/bin/env python3
"""Golden cases of ceil-mode windows longer than the padded input (issue 18 item 0): PyTorch's
extent ⌊(in + pb + pe − d·(k−1) − 1 + s − 1)/s⌋ + 1 (toward −∞), minus one when the last window
starts at or past in + pb, is ≥ 1 in each case although the (effective) kernel exceeds the padded
input on at least one axis. max (with dilation) 1-D/2-D/3-D and avg (countIncludePad both ways,
a divisorOverride) 1-D/2-D, both layouts, float32 and float64. (PyTorch's avg_pool3d refuses an
input smaller than the kernel, "input image smaller than kernel size", so there is no 3-D avg case.)
Writes Tests/Fixtures/golden/pytorch-ceil-overhang.json.
Usage: scripts/golden/ceil_overhang.py [FIXTURE_DIR]"""
import os, sys
import torch
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import pool_case, write

SEED = 18
FIXTURES = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../Tests/Fixtures/golden")

# name, mode, logical (N, C, D...) shape, params (ceilMode true), dtype, integer values (ties)
CASES = [
    ("ceil_long_max1d", "max", [2, 3, 4], dict(kernelSize=[5], stride=[2], padding=[0], dilation=[1]), torch.float32, False),
    ("ceil_long_max1d_dilated", "max", [1, 2, 2], dict(kernelSize=[3], stride=[2], padding=[1], dilation=[2]), torch.float64, False),
    ("ceil_long_max1d_ties", "max", [2, 2, 4], dict(kernelSize=[7], stride=[3], padding=[1], dilation=[1]), torch.float32, True),
    ("ceil_long_max2d", "max", [2, 3, 3, 7], dict(kernelSize=[6, 3], stride=[2, 2], padding=[1, 1], dilation=[1, 1]), torch.float32, False),
    ("ceil_long_max2d_both", "max", [1, 4, 4, 3], dict(kernelSize=[6, 6], stride=[3, 4], padding=[1, 1], dilation=[1, 1]), torch.float64, True),
    ("ceil_long_max2d_dilated", "max", [2, 2, 5, 4], dict(kernelSize=[3, 2], stride=[2, 3], padding=[1, 0], dilation=[3, 4]), torch.float32, False),
    ("ceil_long_max3d", "max", [1, 3, 3, 4, 5], dict(kernelSize=[4, 2, 6], stride=[2, 2, 3], padding=[0, 1, 1], dilation=[1, 1, 1]), torch.float32, False),
    ("ceil_long_avg1d", "avg", [2, 2, 4], dict(kernelSize=[5], stride=[2], padding=[0], countIncludePad=True), torch.float32, False),
    ("ceil_long_avg1d_padded", "avg", [1, 3, 3], dict(kernelSize=[7], stride=[3], padding=[1], countIncludePad=True), torch.float64, False),
    ("ceil_long_avg1d_exclude", "avg", [1, 3, 3], dict(kernelSize=[7], stride=[3], padding=[1], countIncludePad=False), torch.float32, False),
    ("ceil_long_avg2d", "avg", [2, 3, 4, 6], dict(kernelSize=[7, 3], stride=[3, 2], padding=[1, 1], countIncludePad=True), torch.float32, False),
    ("ceil_long_avg2d_exclude", "avg", [1, 2, 5, 3], dict(kernelSize=[4, 6], stride=[2, 4], padding=[2, 1], countIncludePad=False), torch.float64, False),
    ("ceil_long_avg2d_override", "avg", [1, 2, 3, 3], dict(kernelSize=[6, 5], stride=[2, 2], padding=[1, 1], countIncludePad=True, divisorOverride=4), torch.float32, False),
]

def longer_than_padded(shape, p):
    d = p.get("dilation", [1] * len(p["kernelSize"]))
    return any(di * (k - 1) + 1 > n + 2 * pad for n, k, di, pad in zip(shape[2:], p["kernelSize"], d, p["padding"]))

def main():
    gen = torch.Generator().manual_seed(SEED)
    cases = []
    for i, (name, mode, shape, params, dtype, ties) in enumerate(CASES):
        params = dict(params, ceilMode=True)
        assert longer_than_padded(shape, params), name
        x = (torch.randint(-2, 3, shape, generator=gen) if ties else torch.randn(shape, generator=gen)).to(dtype)
        for channels_last in (False, True):
            xs = x.permute(0, *range(2, x.dim()), 1).contiguous() if channels_last else x
            cases.append(pool_case(name + ("_cl" if channels_last else ""), mode, xs, params, grad_seed=SEED * 100 + 2 * i + channels_last,
                                   channels_last=channels_last))
    write(os.path.join(FIXTURES, "pytorch-ceil-overhang.json"), SEED, cases)

if __name__ == "__main__":
    main()

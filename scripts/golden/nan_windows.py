#!/usr/bin/env python3
"""Golden cases with several NaNs per max window (issue 9 item 8): PyTorch's CPU kernels replace
the running maximum with every NaN they meet, so the LAST NaN of a window (row-major order of
the kernel offsets) is selected; the contract says the same under `nan: propagate`.

Writes Tests/Fixtures/golden/pytorch-nan-windows.json (1-D/2-D/3-D, both layouts, overlapping
windows, padding, dilation, ceil mode, float32 and float64), and recomputes with PyTorch the
indices and gradInput of the NaN cases of pytorch-pooling.json, which used to hold the old
first-NaN rule's (their inputs and gradOutputs are kept).
Usage: scripts/golden/nan_windows.py [FIXTURE_DIR]"""
import json, os, sys
import torch
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import pool_case, write

SEED = 9
FIXTURES = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../Tests/Fixtures/golden")

def with_nans(shape, dtype, density, gen, ties=False):
    """Random values (small integers with `ties`, so that numbers tie too) with a `density`
    share of NaNs, and a few ±Inf and -0."""
    x = (torch.randint(-2, 3, shape, generator=gen) if ties else torch.randn(shape, generator=gen)).to(dtype)
    u = torch.rand(shape, generator=gen)
    x[u < density] = float("nan")
    x[(u >= density) & (u < density + 0.03)] = float("inf")
    x[(u >= density + 0.03) & (u < density + 0.06)] = float("-inf")
    x[(u >= density + 0.06) & (u < density + 0.09)] = -0.0
    return x

# name, logical (N, C, D...) shape, params, dtype, NaN density, ties
CASES = [
    ("nan_max1d_overlap", [2, 3, 13], dict(kernelSize=[4], stride=[1], padding=[2], dilation=[1], ceilMode=False), torch.float32, 0.4, False),
    ("nan_max1d_dilated_ceil", [1, 4, 12], dict(kernelSize=[3], stride=[2], padding=[1], dilation=[2], ceilMode=True), torch.float64, 0.45, True),
    ("nan_max2d_overlap", [2, 3, 7, 8], dict(kernelSize=[3, 3], stride=[1, 1], padding=[1, 1], dilation=[1, 1], ceilMode=False), torch.float32, 0.35, False),
    ("nan_max2d_stem", [1, 4, 9, 10], dict(kernelSize=[3, 3], stride=[2, 2], padding=[1, 1], dilation=[1, 1], ceilMode=True), torch.float32, 0.3, True),
    ("nan_max2d_dilated", [2, 2, 8, 9], dict(kernelSize=[3, 2], stride=[2, 1], padding=[1, 0], dilation=[1, 2], ceilMode=True), torch.float64, 0.4, False),
    ("nan_max3d_overlap", [1, 3, 5, 6, 5], dict(kernelSize=[2, 3, 2], stride=[1, 1, 1], padding=[1, 1, 0], dilation=[1, 1, 1], ceilMode=False), torch.float32, 0.3, True),
    ("nan_max3d_strided", [2, 2, 6, 5, 7], dict(kernelSize=[3, 2, 3], stride=[2, 1, 2], padding=[1, 0, 1], dilation=[1, 2, 1], ceilMode=True), torch.float64, 0.35, False),
]

def main():
    gen = torch.Generator().manual_seed(SEED)
    cases = []
    for i, (name, shape, params, dtype, density, ties) in enumerate(CASES):
        x = with_nans(shape, dtype, density, gen, ties)
        for channels_last in (False, True):
            xs = x.permute(0, *range(2, x.dim()), 1).contiguous() if channels_last else x
            cases.append(pool_case(name + ("_cl" if channels_last else ""), "max", xs, params, grad_seed=SEED * 100 + 2 * i + channels_last,
                                   channels_last=channels_last))
    write(os.path.join(FIXTURES, "pytorch-nan-windows.json"), SEED, cases)
    refresh_noted_cases(os.path.join(FIXTURES, "pytorch-pooling.json"))

def tensor(flat, dtype):
    data = [float("nan") if v == "NaN" else float("inf") if v == "Infinity" else float("-inf") if v == "-Infinity" else v for v in flat["data"]]
    return torch.tensor(data, dtype=dtype).reshape(flat["shape"])

def refresh_noted_cases(path):
    """The cases of pytorch-pooling.json that carry a `note` (the old first-NaN rule's indices):
    indices and gradInput recomputed by PyTorch from their own input and gradOutput, note dropped."""
    with open(path) as f:
        doc = json.load(f)
    for n, c in enumerate(doc["cases"]):
        if "note" not in c:
            continue
        dtype = torch.float32 if c["dtype"] == "float32" else torch.float64
        fresh = pool_case(c["name"], c["params"]["mode"], tensor(c["input"], dtype), {k: v for k, v in c["params"].items() if k != "mode"},
                          grad_seed=0, grad_output=tensor(c["gradOutput"], dtype))
        assert fresh["output"] == c["output"], c["name"]
        doc["cases"][n] = fresh
        print(f"{path}: {c['name']} recomputed")
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"), allow_nan=False)

if __name__ == "__main__":
    main()

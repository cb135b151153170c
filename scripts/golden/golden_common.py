"""Shared helpers of the golden generators: flat tensors in the fixture format, and writing a file.

A fixture file is {"generator", "seed", "cases": [...]}; tensors are {"shape", "data"} in row-major
order with NaN written "NaN" and infinities "Infinity" / "-Infinity" (the wire contract's strings).
"""
import json
import math
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.normpath(os.path.join(HERE, "..", "..", "Tests", "Fixtures", "golden"))


def number(v):
    """One value for JSON: int for integral index tensors, the contract's strings for non-finite."""
    if isinstance(v, (int, np.integer)):
        return int(v)
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def flat(t, integer=False):
    """A tensor (torch, tf or numpy) as {"shape", "data"}; `integer` writes ints (indices)."""
    if hasattr(t, "detach"):
        import torch
        if t.dtype in (torch.float16, torch.bfloat16):
            t = t.float()  # 16-bit values are exact in float32
        a = t.detach().cpu().numpy()
    elif hasattr(t, "numpy"):
        a = t.numpy()
    else:
        a = np.asarray(t)
    data = a.reshape(-1).tolist()
    if integer:
        data = [int(v) for v in data]
    else:
        data = [number(v) for v in data]
    return {"shape": [int(s) for s in a.shape], "data": data}


def small_ints(rng, shape, low=-3, high=4):
    """gradOutput values: small integers, so that sums of several are exact in every dtype."""
    return rng.integers(low, high, size=shape)


def write(name, generator, seed, cases):
    """Writes Tests/Fixtures/golden/NAME and says what it wrote."""
    names = [c["name"] for c in cases]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        sys.exit(f"{name}: duplicate case names {sorted(dup)}")
    path = os.path.join(FIXTURES, name)
    body = {"generator": generator, "seed": seed, "cases": cases}
    with open(path, "w") as f:
        json.dump(body, f, separators=(", ", ": "), allow_nan=False)
        f.write("\n")
    size = os.path.getsize(path)
    print(f"wrote {os.path.relpath(path)}: {len(cases)} cases, {size // 1024} KiB")
    return path

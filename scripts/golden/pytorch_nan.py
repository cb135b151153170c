#!/usr/bin/env python3
"""Golden max pooling with several NaNs per window: Tests/Fixtures/golden/pytorch-nan.json.

PyTorch's CPU kernels replace the running maximum with every NaN they meet, so among several NaNs
of a window the last in scan order is selected; the contract (v2) says the same. The cases of
pytorch-pooling.json marked "first-NaN" hold no window with two NaNs, so they cannot tell the
rules apart; every case here has windows where the first and the last NaN are different cells
(the generator checks it), in 1-D, 2-D and 3-D, fixed (with padding, dilation, ceil mode and
overlapping windows), adaptive and global windows, both layouts (PyTorch run in its channels_last
memory format for those), float32 and float64, forward (output, indices) and autograd backward.
"""
import numpy as np
import torch
import torch.nn.functional as F

from golden_common import flat, small_ints, write
import contract_ref as ref

SEED = 71


def first_differs(x, params):
    """Whether some window's first NaN and last NaN are different cells."""
    axes = ref.geometry(params, x.shape[2:])
    for b in range(x.shape[0]):
        for c in range(x.shape[1]):
            for _, cells in ref._windows(axes):
                nans = [q for q in cells if np.isnan(x[(b, c) + q])]
                if len(nans) > 1:
                    return True
    return False


def run(name, x, params, dtype, layout, rng):
    d = x.ndim - 2
    xt = torch.tensor(x, dtype=torch.float32 if dtype == "float32" else torch.float64, requires_grad=True)
    xin = xt
    if layout == "channels_last" and d > 1:
        xin = xt.contiguous(memory_format=torch.channels_last if d == 2 else torch.channels_last_3d)
    if params.get("global"):
        y, i = getattr(F, f"adaptive_max_pool{d}d")(xin, 1, return_indices=True)
    elif "outputSize" in params:
        y, i = getattr(F, f"adaptive_max_pool{d}d")(xin, params["outputSize"], return_indices=True)
    else:
        y, i = getattr(F, f"max_pool{d}d")(xin, params["kernelSize"], params["stride"], params["padding"],
                                           params["dilation"], ceil_mode=params["ceilMode"], return_indices=True)
    g = torch.tensor(small_ints(rng, tuple(y.shape)), dtype=xt.dtype)
    (gx,) = torch.autograd.grad(y, xt, g)
    want = ref.forward(x, params)
    if not np.array_equal(want["indices"], i.numpy()):
        raise SystemExit(f"{name}: PyTorch's indices differ from the contract's last-NaN rule")
    p = {"mode": "max", **params}
    t = {"input": x, "output": y.detach().numpy(), "indices": i.numpy(), "gradOutput": g.numpy(), "gradInput": gx.numpy()}
    if layout == "channels_last":
        p["layout"] = "channels_last"
        t = {k: ref.to_layout(v, layout) for k, v in t.items()}
    return {"name": name, "dtype": dtype, "params": p, "input": flat(t["input"]), "output": flat(t["output"]),
            "indices": flat(t["indices"], integer=True), "gradOutput": flat(t["gradOutput"]),
            "gradInput": flat(t["gradInput"])}


def main():
    rng = np.random.default_rng(SEED)
    cases = []
    specs = [
        (1, {"kernelSize": [3], "stride": [1], "padding": [1], "dilation": [1], "ceilMode": False}, (2, 2, 9)),
        (1, {"kernelSize": [2], "stride": [2], "padding": [0], "dilation": [2], "ceilMode": True}, (1, 3, 10)),
        (2, {"kernelSize": [2, 3], "stride": [1, 2], "padding": [1, 1], "dilation": [1, 1], "ceilMode": True}, (1, 2, 5, 6)),
        (2, {"kernelSize": [3, 3], "stride": [2, 2], "padding": [0, 1], "dilation": [1, 2], "ceilMode": False}, (2, 3, 7, 8)),
        (3, {"kernelSize": [2, 2, 2], "stride": [1, 2, 1], "padding": [0, 1, 0], "dilation": [1, 1, 1], "ceilMode": True}, (1, 2, 3, 4, 4)),
        (1, {"outputSize": [3]}, (2, 2, 8)),
        (2, {"outputSize": [2, 3]}, (1, 3, 5, 7)),
        (3, {"outputSize": [2, 1, 2]}, (1, 2, 3, 4, 5)),
        (2, {"global": True}, (2, 3, 3, 3)),
    ]
    n = 0
    for dtype in ("float32", "float64"):
        for d, params, shape in specs:
            for layout in (("channels_first", "channels_last") if d > 1 else ("channels_first",)):
                for attempt in range(100):
                    x = rng.standard_normal(shape).astype(np.float32).astype(np.float64)
                    f = x.reshape(-1)
                    f[rng.random(f.size) < 0.3] = np.nan
                    f[rng.integers(f.size)] = -np.inf
                    if first_differs(x, params):
                        break
                else:
                    raise SystemExit("no input with several NaNs per window")
                kind = "global" if params.get("global") else "adaptive" if "outputSize" in params else "fixed"
                cases.append(run(f"nan_max{d}d_{n}_{kind}_{layout}", x, params, dtype, layout, rng))
                n += 1
    write("pytorch-nan.json", f"PyTorch {torch.__version__} CPU", SEED, cases)


if __name__ == "__main__":
    main()

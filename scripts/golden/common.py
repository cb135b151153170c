"""Shared helpers of the golden-case generators: PyTorch (CPU) computes each case's output,
indices and gradInput (autograd), written in the flat form of Tests/Fixtures/golden/README.md.

A case is built from an input tensor in the service's layout ((N, C, D...) for channels_first,
(N, D..., C) for channels_last) and pooling parameters in the service's vocabulary."""
import json, math
import torch
import torch.nn.functional as F

GENERATOR = f"PyTorch {torch.__version__} CPU"

def flat(t):
    """{"shape", "data"} of a tensor in its logical order; NaN as "NaN"."""
    values = t.detach().reshape(-1).tolist()
    data = ["NaN" if isinstance(v, float) and math.isnan(v) else
            ("Infinity" if v == math.inf else "-Infinity" if v == -math.inf else v) for v in values]
    return {"shape": list(t.shape), "data": data}

def to_service(t, channels_last):
    """A logical (N, C, D...) tensor in the service's layout."""
    if not channels_last:
        return t
    return t.permute(0, *range(2, t.dim()), 1)

def from_service(t, channels_last):
    """The service's layout back to a logical (N, C, D...) tensor (a view)."""
    if not channels_last:
        return t
    return t.permute(0, t.dim() - 1, *range(1, t.dim() - 1))

def memory_format(nd):
    return {2: torch.channels_last, 3: torch.channels_last_3d}.get(nd)

def pool_case(name, mode, x_service, params, grad_seed, channels_last=False, grad_output=None):
    """One golden case: `x_service` in the service's layout, `params` in the service's
    vocabulary (mode, kernelSize, stride, padding, dilation, ceilMode, countIncludePad, p).
    channels_last inputs are computed by PyTorch's channels_last kernels (memory format) for
    2-D and 3-D, and on the permuted view for 1-D (PyTorch has no 1-D channels_last format)."""
    nd = x_service.dim() - 2
    x = from_service(x_service, channels_last)
    fmt = memory_format(nd)
    if channels_last and fmt is not None:
        x = x.contiguous(memory_format=fmt)
    elif not channels_last:
        x = x.contiguous()
    x = x.detach().clone(memory_format=torch.preserve_format).requires_grad_(True)
    k, s = params["kernelSize"], params.get("stride", params["kernelSize"])
    pad = params.get("padding", [0] * nd)
    ceil = params.get("ceilMode", False)
    indices = None
    if mode == "max":
        pool = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}[nd]
        y, indices = pool(x, k, s, pad, params.get("dilation", [1] * nd), ceil_mode=ceil, return_indices=True)
    elif mode == "avg":
        pool = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}[nd]
        extra = {} if nd == 1 or params.get("divisorOverride") is None else {"divisor_override": params["divisorOverride"]}
        y = pool(x, k, s, pad, ceil_mode=ceil, count_include_pad=params.get("countIncludePad", True), **extra)
    else:
        pool = {1: F.lp_pool1d, 2: F.lp_pool2d, 3: F.lp_pool3d}[nd]
        y = pool(x, params["p"], k, s, ceil_mode=ceil)
    if channels_last and fmt is not None:
        assert y.is_contiguous(memory_format=fmt), "PyTorch took its channels_last kernel"
    if grad_output is None:
        gen = torch.Generator().manual_seed(grad_seed)
        gy = torch.randint(-3, 4, y.shape, generator=gen).to(y.dtype)
    else:
        gy = from_service(grad_output, channels_last).to(y.dtype)
    gx, = torch.autograd.grad(y, x, gy)
    case = {"name": name, "dtype": "float32" if x.dtype == torch.float32 else "float64",
            "params": dict(mode=mode, **({"layout": "channels_last"} if channels_last else {}),
                           **{k2: v for k2, v in params.items() if k2 != "mode"}),
            "input": flat(x_service),
            "output": flat(to_service(y, channels_last))}
    if indices is not None:
        case["indices"] = flat(to_service(indices, channels_last))
    case["gradOutput"] = flat(to_service(gy, channels_last))
    case["gradInput"] = flat(to_service(gx, channels_last))
    return case

def write(path, seed, cases):
    with open(path, "w") as f:
        json.dump({"generator": GENERATOR, "seed": seed, "cases": cases}, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    print(f"{path}: {len(cases)} cases")

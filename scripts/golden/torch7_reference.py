#!/usr/bin/env python3
"""torch7 (Lua torch/nn, THNN) pooling, ported line by line to numpy, for float32 and float64.

Torch7 cannot be installed any more, so its rules come from its source:

  torch/nn     @ 872682558c48ee661ebff693aa5a41fcdefa7873 (2017-10-02, the last commit)
  torch/torch7 @ 814ea4afd6beb110705d2456de03876841fcf1fd (HEAD; the TH files used here --
               THGenerateFloatType.h, THGenerateDoubleType.h, THGeneral.h.in, THMath.h and
               THTensor_(pow) in THTensorMath.c -- are unchanged since 89ede3b, 2017-09-26, the
               torch7 commit current when torch/nn made its last commit)

Every computation is done in the tensor's own dtype (`real` = float or double), one C operation at
a time, in the C loop order, so that the results are the C code's bit for bit (IEEE arithmetic;
powf/sqrtf of the platform libm via numpy). The one place where the C code computes in float
whatever `real` is, the output-size formula `(long)ceil((float)(...) / dW)`, is float32 here too.

Ported (function names follow THNN's):
  SpatialDilatedMaxPooling_updateOutput / _updateGradInput   (nn.SpatialMaxPooling = dilation 1,
      nn.SpatialDilatedMaxPooling)
  SpatialAveragePooling_updateOutput / _updateGradInput      (nn.SpatialAveragePooling)
  SpatialLPPooling (Lua Sequential: Power/Square, SpatialAveragePooling, MulConstant, Power/Sqrt)
  VolumetricDilatedMaxPooling_updateOutput / _updateGradInput (nn.VolumetricMaxPooling,
      nn.VolumetricDilatedMaxPooling)
  VolumetricAveragePooling_updateOutput / _updateGradInput   (nn.VolumetricAveragePooling)
  1-D = the Spatial modules on a (N, C, 1, L) view (kH = 1, dH = 1, padH = 0, dilationH = 1);
      nn.TemporalMaxPooling is NOT ported (it is time-major (L, C), has no padding / ceil /
      dilation, and its indices are 0-based offsets inside the window, -1 = none:
      TemporalMaxPooling.c `xp[y] = (real)maxindex`).

Usage: python3 torch7_reference.py --self-test    (compares with torch.nn.functional where
       torch7 and PyTorch agree by design, and checks the torch7-only rules on hand-made inputs)
"""
import math
import sys

import numpy as np

NN_COMMIT = "872682558c48ee661ebff693aa5a41fcdefa7873"
TORCH7_COMMIT = "814ea4afd6beb110705d2456de03876841fcf1fd"

# torch7 lib/TH/THGeneral.h.in: `#ifndef TH_INDEX_BASE / #define TH_INDEX_BASE 1`.
TH_INDEX_BASE = 1


def THInf(dt):
    """torch7 lib/TH/THGenerateFloatType.h `#define THInf FLT_MAX`; THGenerateDoubleType.h
    `#define THInf DBL_MAX` (type-specific since torch7 971014c "Make THInf type-specific",
    2016-04-10; before it was DBL_MAX for every type, i.e. -inf once converted to float).
    So the max-pooling start value `-THInf` is the LOWEST FINITE value, not -infinity."""
    return dt(np.finfo(dt).max)


def _fminf(a, b):
    """C `long v = fminf(long a, long b)`: both converted to float, the min converted back
    (truncation). Exact for the small sizes used here."""
    return int(min(np.float32(a), np.float32(b)))


def _fmaxf(a, b):
    return int(max(np.float32(a), np.float32(b)))


def _pooled_size(in_size, eff_kernel, pad, stride, ceil_mode):
    """SpatialDilatedMaxPooling.c `_shapeCheck` and `_updateOutput`:
        outputHeight = (long)(ceil((float)(inputHeight - (dilationH * (kH - 1) + 1) + 2*padH) / dH)) + 1;
    (floor instead of ceil without ceil_mode). SpatialAveragePooling.c has the same with kH in
    place of the dilated extent. The numerator is an integer made float, divided in FLOAT by the
    int stride, rounded by ceil/floor (a double function of the float quotient), then (long)
    truncates. A negative numerator in ceil mode rounds toward zero: ceil(-0.5) = -0 -> 0 -> one
    output window (an input shorter than the kernel by less than the stride is accepted)."""
    q = np.float32(np.float32(in_size - eff_kernel + 2 * pad) / np.float32(stride))
    r = math.ceil(float(q)) if ceil_mode else math.floor(float(q))
    return int(r) + 1


def _last_window_guard(out, stride, in_size, pad):
    """`if ((outputHeight - 1)*dH >= inputHeight + padH) --outputHeight;` -- the comment in the C
    says "ensure that the last pooling starts inside the image / needed to avoid problems in ceil
    mode". It is applied only inside `if (padW || padH)` (3-D: `if (pT || pW || pH)`), i.e. only
    when SOME padding is nonzero, and then to every axis (even an axis whose own pad is 0).
    With all pads 0 it never runs: in ceil mode a last window may start at or past the end of the
    input (e.g. in=4, k=1, s=2 -> 3 windows starting at 0, 2, 4)."""
    if (out - 1) * stride >= in_size + pad:
        out -= 1
    return out


def _as4d(x):
    if x.ndim == 3:
        return x[None], True
    if x.ndim != 4:
        raise ValueError("3D or 4D input tensor expected")  # THNN_ARGCHECK(ndim == 3 || ndim == 4)
    return x, False


# --------------------------------------------------------------------------------------------
# Spatial max: lib/THNN/generic/SpatialDilatedMaxPooling.c (SpatialMaxPooling.c calls it with
# dilation 1, 1; SpatialMaxPooling.lua: `dW = dW or kW`, `dH = dH or kH` -- max stride defaults
# to the kernel; `:ceil()` sets ceil_mode; padW/padH default 0).
# --------------------------------------------------------------------------------------------

def spatial_max_output_size(iH, iW, kW, kH, dW, dH, padW, padH, dilW, dilH, ceil_mode):
    """SpatialDilatedMaxPooling_shapeCheck: argument checks, output size, guard, size >= 1."""
    if not (kW > 0 and kH > 0):
        raise ValueError("kernel size should be greater than zero")
    if not (dW > 0 and dH > 0):
        raise ValueError("stride should be greater than zero")
    if not (dilH > 0 and dilW > 0):
        raise ValueError("dilation should be greater than zero")
    # THArgCheck(kW/2 >= padW && kH/2 >= padH, ...): C int division; uses the UNDILATED kernel.
    if not (kW // 2 >= padW and kH // 2 >= padH):
        raise ValueError("pad should be smaller than half of kernel size")
    oH = _pooled_size(iH, dilH * (kH - 1) + 1, padH, dH, ceil_mode)
    oW = _pooled_size(iW, dilW * (kW - 1) + 1, padW, dW, ceil_mode)
    if padW or padH:
        oH = _last_window_guard(oH, dH, iH, padH)
        oW = _last_window_guard(oW, dW, iW, padW)
    if oW < 1 or oH < 1:
        raise ValueError("Output size is too small")
    return oH, oW


def spatial_max_update_output(x, kW, kH, dW=None, dH=None, padW=0, padH=0, dilW=1, dilH=1,
                              ceil_mode=False):
    """SpatialDilatedMaxPooling_updateOutput (+ _updateOutput_frame). x: (N, C, H, W) or (C, H, W).
    Returns (output, indices); indices are int64, `maxindex + TH_INDEX_BASE` with
    maxindex = y*iwidth + x inside the (n, c) plane: 1-based, row-major, per plane; 0 = no cell."""
    dW = kW if dW is None else dW
    dH = kH if dH is None else dH
    x4, squeeze = _as4d(x)
    dt = x4.dtype.type
    N, C, iH, iW = x4.shape
    oH, oW = spatial_max_output_size(iH, iW, kW, kH, dW, dH, padW, padH, dilW, dilH, ceil_mode)
    out = np.empty((N, C, oH, oW), dtype=x4.dtype)
    ind = np.empty((N, C, oH, oW), dtype=np.int64)
    for n in range(N):
        for k in range(C):
            ip = x4[n, k].reshape(-1)
            for i in range(oH):
                for j in range(oW):
                    hstart = i * dH - padH
                    wstart = j * dW - padW
                    # `long hend = fminf(hstart + (kH - 1) * dilationH + 1, iheight);` -- the end
                    # is clipped to the INPUT (not the padded input); computed before the shift.
                    hend = _fminf(hstart + (kH - 1) * dilH + 1, iH)
                    wend = _fminf(wstart + (kW - 1) * dilW + 1, iW)
                    # `while(hstart < 0) hstart += dilationH;` -- skip the taps in the padding.
                    while hstart < 0:
                        hstart += dilH
                    while wstart < 0:
                        wstart += dilW
                    # `long maxindex = -1; real maxval = -THInf;` -- -FLT_MAX / -DBL_MAX.
                    maxindex = -1
                    maxval = -THInf(dt)
                    # `for(y = hstart; y < hend; y += dilationH) for(x = wstart; x < wend; ...)`
                    for yy in range(hstart, hend, dilH):
                        for xx in range(wstart, wend, dilW):
                            tcntr = yy * iW + xx
                            val = ip[tcntr]
                            # `if (val > maxval)`: strict, so the FIRST of equal maxima wins (and
                            # +0/-0 tie: the first zero), a NaN never wins (NaN > m is false), and
                            # neither -inf nor -FLT_MAX itself ever beats the start value -FLT_MAX.
                            if val > maxval:
                                maxval = val
                                maxindex = tcntr
                    # `*op = maxval;` -- an empty, all-NaN, all -inf (or all -FLT_MAX) window
                    # gives -FLT_MAX (-DBL_MAX for double), never -inf or NaN.
                    out[n, k, i, j] = maxval
                    # `*indp = maxindex + TH_INDEX_BASE;` -- 0 when no cell was selected.
                    ind[n, k, i, j] = maxindex + TH_INDEX_BASE
    if squeeze:
        return out[0], ind[0]
    return out, ind


def spatial_max_update_grad_input(x, grad_output, indices):
    """SpatialDilatedMaxPooling_updateGradInput (+ _frame): gradInput zeroed (`THTensor_(zero)`),
    then for each output cell in (plane, i, j) order:
        long maxp = ind_p_k[i*outputWidth + j] - TH_INDEX_BASE;
        if (maxp != -1) gradInput_p_k[maxp] += gradOutput_p_k[i*outputWidth + j];
    (the `maxp != -1` test came with nn 315026e "fix corner-case in MaxPooling", 2017-05-04):
    a window that selected no cell sends its gradient nowhere. The sizes come from gradOutput."""
    x4, squeeze = _as4d(x)
    go4, _ = _as4d(grad_output)
    ind4, _ = _as4d(indices)
    dt = x4.dtype.type
    N, C, iH, iW = x4.shape
    gi = np.zeros_like(x4)
    for n in range(N):
        for k in range(C):
            gik = gi[n, k].reshape(-1)  # a view
            gok = go4[n, k].reshape(-1)
            indk = ind4[n, k].reshape(-1)
            for o in range(gok.shape[0]):
                maxp = int(indk[o]) - TH_INDEX_BASE
                if maxp != -1:
                    gik[maxp] = dt(gik[maxp] + gok[o])
    return gi[0] if squeeze else gi


# --------------------------------------------------------------------------------------------
# Spatial avg: lib/THNN/generic/SpatialAveragePooling.c. SpatialAveragePooling.lua:
# `self.dW = dW or 1`, `self.dH = dH or 1` -- avg stride defaults to ONE (max: the kernel);
# `self.count_include_pad = true` (`:setCountExcludePad()` sets false); `:ceil()`; pads default 0;
# no dilation; `divide = true` (a legacy `divide = false` multiplies by kW*kH).
# --------------------------------------------------------------------------------------------

def spatial_avg_output_size(iH, iW, kW, kH, dW, dH, padW, padH, ceil_mode):
    """SpatialAveragePooling_shapeCheck / _updateOutput: same formula and guard as max, with the
    plain kernel: `(long)(ceil((float)(inputHeight - kH + 2*padH) / dH)) + 1`."""
    if not (kW > 0 and kH > 0):
        raise ValueError("kernel size should be greater than zero")
    if not (dW > 0 and dH > 0):
        raise ValueError("stride should be greater than zero")
    if not (kW // 2 >= padW and kH // 2 >= padH):
        raise ValueError("pad should be smaller than half of kernel size")
    oH = _pooled_size(iH, kH, padH, dH, ceil_mode)
    oW = _pooled_size(iW, kW, padW, dW, ceil_mode)
    if padW or padH:
        oH = _last_window_guard(oH, dH, iH, padH)
        oW = _last_window_guard(oW, dW, iW, padW)
    if oW < 1 or oH < 1:
        raise ValueError("Output size is too small")
    return oH, oW


def _avg_window(yy, xx, kW, kH, dW, dH, padW, padH, iH, iW, count_include_pad):
    """The window bounds and divisor, as both avg functions compute them:
        long hstart = yy * dH - padH;  long hend = fminf(hstart + kH, inputHeight + padH);
        int pool_size = (hend - hstart) * (wend - wstart);      -- clipped to the PADDED input
        hstart = fmaxf(hstart, 0); hend = fminf(hend, inputHeight);   -- clipped to the input
        divide_factor = count_include_pad ? pool_size : (hend - hstart) * (wend - wstart);
    A ceil-mode window past the padded border: its overhang never counts (pool_size stops at
    inputHeight + padH). A window that starts at or past the end of the input (possible only with
    all pads 0 in ceil mode, see _last_window_guard) has a factor hend - hstart <= 0: the
    divisor is 0 (window starts exactly at the end) or NEGATIVE (starts further out), and the
    cell loops do not run."""
    hstart = yy * dH - padH
    wstart = xx * dW - padW
    hend = _fminf(hstart + kH, iH + padH)
    wend = _fminf(wstart + kW, iW + padW)
    pool_size = (hend - hstart) * (wend - wstart)
    hstart = _fmaxf(hstart, 0)
    wstart = _fmaxf(wstart, 0)
    hend = _fminf(hend, iH)
    wend = _fminf(wend, iW)
    divide_factor = pool_size if count_include_pad else (hend - hstart) * (wend - wstart)
    return hstart, hend, wstart, wend, divide_factor


def spatial_avg_update_output(x, kW, kH, dW=1, dH=1, padW=0, padH=0, ceil_mode=False,
                              count_include_pad=True):
    """SpatialAveragePooling_updateOutput. Per window: `real sum = 0;` then `sum += ptr_input[...]`
    row-major in `real`; then `*ptr_output++ += sum/divide_factor;` onto an output zeroed first
    (`ptr_output[i] = 0`), so the result is 0 + sum/divisor: a -0 average comes out +0.
    An empty window (see _avg_window) gives 0/0 = NaN when its divisor is 0 and 0/negative = -0
    -> (0 + -0) = +0 when the divisor is negative; 0/positive = 0 when both axes are past."""
    x4, squeeze = _as4d(x)
    dt = x4.dtype.type
    N, C, iH, iW = x4.shape
    oH, oW = spatial_avg_output_size(iH, iW, kW, kH, dW, dH, padW, padH, ceil_mode)
    out = np.empty((N, C, oH, oW), dtype=x4.dtype)
    with np.errstate(all="ignore"):
        for n in range(N):
            for k in range(C):
                ip = x4[n, k].reshape(-1)
                for yy in range(oH):
                    for xx in range(oW):
                        hs, he, ws, we, div = _avg_window(yy, xx, kW, kH, dW, dH, padW, padH, iH, iW,
                                                          count_include_pad)
                        s = dt(0)
                        for ky in range(hs, he):
                            for kx in range(ws, we):
                                s = dt(s + ip[ky * iW + kx])
                        # `sum/divide_factor`: the int divisor converted to real, real division.
                        out[n, k, yy, xx] = dt(dt(0) + dt(s / dt(div)))
    return out[0] if squeeze else out


def spatial_avg_update_grad_input(x, grad_output, kW, kH, dW=1, dH=1, padW=0, padH=0,
                                  ceil_mode=False, count_include_pad=True):
    """SpatialAveragePooling_updateGradInput: gradInput zeroed, then per window (row-major) and per
    cell `ptr_gradInput[ky*inputWidth + kx] += z/divide_factor;` (z = the window's gradOutput).
    An empty window adds nothing (its loops do not run), whatever its divisor."""
    x4, squeeze = _as4d(x)
    go4, _ = _as4d(grad_output)
    dt = x4.dtype.type
    N, C, iH, iW = x4.shape
    oH, oW = spatial_avg_output_size(iH, iW, kW, kH, dW, dH, padW, padH, ceil_mode)
    assert go4.shape[2:] == (oH, oW), "THNN_CHECK_DIM_SIZE(gradOutput, ...)"
    gi = np.zeros_like(x4)
    with np.errstate(all="ignore"):
        for n in range(N):
            for k in range(C):
                gik = gi[n, k].reshape(-1)
                for yy in range(oH):
                    for xx in range(oW):
                        hs, he, ws, we, div = _avg_window(yy, xx, kW, kH, dW, dH, padW, padH, iH, iW,
                                                          count_include_pad)
                        z = go4[n, k, yy, xx]
                        for ky in range(hs, he):
                            for kx in range(ws, we):
                                c = ky * iW + kx
                                gik[c] = dt(gik[c] + dt(z / dt(div)))
    return gi[0] if squeeze else gi


# --------------------------------------------------------------------------------------------
# Lp: SpatialLPPooling.lua is an nn.Sequential:
#     if pnorm == 2 then self:add(nn.Square()) else self:add(nn.Power(pnorm)) end
#     self:add(nn.SpatialAveragePooling(kW, kH, dW, dH))     -- pad 0, floor, count_include_pad
#     self:add(nn.MulConstant(kW*kH))
#     if pnorm == 2 then self:add(nn.Sqrt()) else self:add(nn.Power(1/pnorm)) end
# with `dW = dW or kW` (stride defaults to the kernel). No abs: x^p of a negative x keeps its sign
# for odd p, and a negative window sum raised to 1/p is NaN. No padding, no ceil mode (the inner
# avg module is built with neither). Backward = the modules' updateGradInput in reverse order.
# --------------------------------------------------------------------------------------------

def th_pow(t, value):
    """THTensor_(pow)(r_, t, value) (torch7 lib/TH/generic/THTensorMath.c; the special cases came
    with f73bb16 "Optimize pow for different exponents", 2017-09-10). `value` is a `real`: the Lua
    number is converted to float for a FloatTensor. Branches:
        value == 1: copy;  == 2: cmul(t, t);  == 3: t*t*t;  == 0.5: sqrt;  == -0.5: rsqrt
        (1/sqrt);  == -1: cinv (1/t);  == -2: 1/(t*t);  else powf(t, value) / pow(t, value)."""
    dt = t.dtype.type
    v = dt(value)
    with np.errstate(all="ignore"):
        if v == 1:
            return t.copy()
        if v == 2:
            return (t * t).astype(t.dtype)
        if v == 3:
            return ((t * t) * t).astype(t.dtype)
        if v == 0.5:
            return np.sqrt(t)
        if v == -0.5:
            return (dt(1) / np.sqrt(t)).astype(t.dtype)
        if v == -1:
            return (dt(1) / t).astype(t.dtype)
        if v == -2:
            return (dt(1) / (t * t)).astype(t.dtype)
        return np.power(t, v).astype(t.dtype)


def power_update_output(x, p):
    """Power.lua: `self.output:resizeAs(input):copy(input); self.output:pow(self.pow)`."""
    return th_pow(x, p)


def power_update_grad_input(x, grad_output, p):
    """Power.lua: `gradInput:copy(input); gradInput:pow(self.pow - 1);
    gradInput:cmul(gradOutput):mul(self.pow)` -- (x^(p-1) * g) * p, each step rounded to real;
    `self.pow - 1` is computed in Lua (double) then made real. For Power(1/p) at a zero input,
    0^(1/p - 1) = +inf (p > 1), so the gradient is inf * g (NaN when g = 0)."""
    dt = x.dtype.type
    with np.errstate(all="ignore"):
        g = th_pow(x, p - 1)
        g = (g * grad_output).astype(x.dtype)          # THTensor_(cmul)
        return (g * dt(p)).astype(x.dtype)             # THTensor_(mul)(r, t, (real)value)


def square_update_output(x):
    """THNN Square.c: `output_data[i] = input_data[i]*input_data[i];`."""
    return (x * x).astype(x.dtype)


def square_update_grad_input(x, grad_output):
    """THNN Square.c: `gradInput_data[i] = 2.0 * gradOutput_data[i] * input_data[i];` -- the
    literal 2.0 is a double, so for float the product is formed in double and rounded once."""
    with np.errstate(all="ignore"):
        r = np.float64(2.0) * grad_output.astype(np.float64) * x.astype(np.float64)
    return r.astype(x.dtype)


def sqrt_update_output(x):
    """THNN Sqrt.c `Sqrt_updateOutput`: THTensor_(sqrt)(output, input) (sqrtf; eps unused)."""
    with np.errstate(all="ignore"):
        return np.sqrt(x)


def sqrt_update_grad_input(output, grad_output):
    """THNN Sqrt.c `Sqrt_updateGradInput`:
        gradInput_data[i] = (output_data[i] == 0.0) ? 0.0 : 0.5 * (gradOutput_data[i] / output_data[i]);
    -- the gradient at a ZERO output is 0 (not inf/NaN); g/out in real, times the double 0.5."""
    dt = output.dtype.type
    with np.errstate(all="ignore"):
        q = (grad_output / output).astype(output.dtype)
        r = (np.float64(0.5) * q.astype(np.float64)).astype(output.dtype)
    r[output == 0.0] = dt(0)
    return r


def mulconstant(x, c):
    """MulConstant.lua (not in place): `output:copy(input); output:mul(self.constant_scalar)`;
    updateGradInput: `gradInput:copy(gradOutput); gradInput:mul(self.constant_scalar)`."""
    return (x * x.dtype.type(c)).astype(x.dtype)


def spatial_lp_update_output(x, p, kW, kH, dW=None, dH=None):
    """SpatialLPPooling: returns (output, the four intermediate outputs for the backward)."""
    dW = kW if dW is None else dW
    dH = kH if dH is None else dH
    a = square_update_output(x) if p == 2 else power_update_output(x, p)
    b = spatial_avg_update_output(a, kW, kH, dW, dH, 0, 0, False, True)
    c = mulconstant(b, kW * kH)
    y = sqrt_update_output(c) if p == 2 else power_update_output(c, 1.0 / p)
    return y, (a, b, c)


def spatial_lp_update_grad_input(x, grad_output, p, kW, kH, dW=None, dH=None):
    """nn.Sequential:updateGradInput: the modules in reverse, each with its own input.
    At a window whose sum c is 0: p == 2 -> Sqrt's gradient is 0, so every cell of it gets 0;
    p != 2 (Power(1/p), p > 1) -> c^(1/p - 1) = +inf, the window's gradient is inf*g (NaN if
    g = 0), and Power(p)'s backward then gives x^(p-1) * (+-inf) * p: NaN at a zero cell (0 * inf),
    +-inf at a non-zero cell (a zero sum of cancelling x^p). p == 1: Power(1)'s gradient is
    x^0 * g * 1 = g everywhere (powf(x, 0) = 1, even for NaN x). A negative sum with p = 3 gives a
    NaN output and NaN gradients (powf(neg, non-integer))."""
    dW = kW if dW is None else dW
    dH = kH if dH is None else dH
    y, (a, b, c) = spatial_lp_update_output(x, p, kW, kH, dW, dH)
    gc = sqrt_update_grad_input(y, grad_output) if p == 2 else power_update_grad_input(c, grad_output, 1.0 / p)
    gb = mulconstant(gc, kW * kH)
    ga = spatial_avg_update_grad_input(a, gb, kW, kH, dW, dH, 0, 0, False, True)
    gx = square_update_grad_input(x, ga) if p == 2 else power_update_grad_input(x, ga, p)
    return gx


# --------------------------------------------------------------------------------------------
# 1-D: the Spatial modules on a (N, C, 1, L) view. kH = 1, dH = 1, padH = 0, dilationH = 1.
# The guard `if (padW || padH)` then depends on padW alone; indices are y*W + x + 1 = x + 1.
# --------------------------------------------------------------------------------------------

def max1d_update_output(x, k, s=None, pad=0, dil=1, ceil_mode=False):
    out, ind = spatial_max_update_output(x[:, :, None, :], k, 1, k if s is None else s, 1, pad, 0, dil, 1, ceil_mode)
    return out[:, :, 0, :], ind[:, :, 0, :]


def max1d_update_grad_input(x, grad_output, indices):
    return spatial_max_update_grad_input(x[:, :, None, :], grad_output[:, :, None, :], indices[:, :, None, :])[:, :, 0, :]


def avg1d_update_output(x, k, s=1, pad=0, ceil_mode=False, count_include_pad=True):
    return spatial_avg_update_output(x[:, :, None, :], k, 1, s, 1, pad, 0, ceil_mode, count_include_pad)[:, :, 0, :]


def avg1d_update_grad_input(x, grad_output, k, s=1, pad=0, ceil_mode=False, count_include_pad=True):
    return spatial_avg_update_grad_input(x[:, :, None, :], grad_output[:, :, None, :], k, 1, s, 1, pad, 0,
                                         ceil_mode, count_include_pad)[:, :, 0, :]


# --------------------------------------------------------------------------------------------
# 3-D max: lib/THNN/generic/VolumetricDilatedMaxPooling.c (VolumetricMaxPooling.c = dilation 1).
# VolumetricMaxPooling.lua: `nn.VolumetricMaxPooling(kT, kW, kH, dT, dW, dH, padT, padW, padH)`,
# strides default to the kernel, `:ceil()`. Input (N, C, T, H, W) or (C, T, H, W).
# Indices: torch7 stores FOUR BYTES into each int64 index: ((unsigned char*)indzp)[0..3] =
# (mz, my, mx, 0), the offsets INSIDE THE KERNEL (the other 4 bytes are left as they were).
# A window with no cell stores mz = my = mx = -1 -> 255, and updateGradInput's `maxti != -1`
# test (maxti = 255*dilationT + ti*dT - pT) does not catch it: torch7 writes the gradient out of
# bounds (undefined behaviour). This port returns the offsets and, as the service's torch7 form,
# flat per-plane 1-based indices t*H*W + h*W + w + 1 (0 for a window with no cell), and refuses
# the backward of a window with no cell.
# Also a quirk: with a negative start the C shrinks the kernel by |start| cells
# (`kernel_t = fminf(kT, kT + start_t)`) but moves the start by whole dilation steps; with
# pad >= 2 and dilation >= 2 it then skips real taps and the stored offset points at another cell
# (the port reproduces the forward; the backward follows the stored offsets like the C).
# --------------------------------------------------------------------------------------------

def volumetric_max_output_size(iT, iH, iW, kT, kW, kH, dT, dW, dH, pT, pW, pH, dilT, dilW, dilH, ceil_mode):
    """VolumetricDilatedMaxPooling_shapeCheck (the same float formula, `(int)` cast, and the guard
    inside `if (pT || pW || pH)`)."""
    if not (kT // 2 >= pT and kW // 2 >= pW and kH // 2 >= pH):
        raise ValueError("pad should be smaller than half of kernel size")
    oT = _pooled_size(iT, dilT * (kT - 1) + 1, pT, dT, ceil_mode)
    oH = _pooled_size(iH, dilH * (kH - 1) + 1, pH, dH, ceil_mode)
    oW = _pooled_size(iW, dilW * (kW - 1) + 1, pW, dW, ceil_mode)
    if pT or pW or pH:
        oT = _last_window_guard(oT, dT, iT, pT)
        oH = _last_window_guard(oH, dH, iH, pH)
        oW = _last_window_guard(oW, dW, iW, pW)
    if oT < 1 or oW < 1 or oH < 1:
        raise ValueError("Output size is too small")
    return oT, oH, oW


def volumetric_max_update_output(x, kT, kW, kH, dT=None, dW=None, dH=None, pT=0, pW=0, pH=0,
                                 dilT=1, dilW=1, dilH=1, ceil_mode=False):
    """VolumetricDilatedMaxPooling_updateOutput_frame. Returns (output, offsets, flat_indices):
    offsets (N, C, oT, oH, oW, 3) int = torch7's (mz, my, mx) bytes (255 = -1 = none);
    flat_indices = the selected cell as t*H*W + h*W + w + TH_INDEX_BASE, 0 = none."""
    dT = kT if dT is None else dT
    dW = kW if dW is None else dW
    dH = kH if dH is None else dH
    squeeze = x.ndim == 4
    x5 = x[None] if squeeze else x
    dt = x5.dtype.type
    N, C, iT, iH, iW = x5.shape
    oT, oH, oW = volumetric_max_output_size(iT, iH, iW, kT, kW, kH, dT, dW, dH, pT, pW, pH, dilT, dilW, dilH, ceil_mode)
    out = np.empty((N, C, oT, oH, oW), dtype=x5.dtype)
    offs = np.empty((N, C, oT, oH, oW, 3), dtype=np.int64)
    flat = np.empty((N, C, oT, oH, oW), dtype=np.int64)
    for n in range(N):
        for k in range(C):
            ip = x5[n, k].reshape(-1)
            for ti in range(oT):
                for i in range(oH):
                    for j in range(oW):
                        start_t = ti * dT - pT
                        start_h = i * dH - pH
                        start_w = j * dW - pW
                        # `long kernel_t = fminf(kT, kT + start_t);`
                        kernel_t = _fminf(kT, kT + start_t)
                        kernel_h = _fminf(kH, kH + start_h)
                        kernel_w = _fminf(kW, kW + start_w)
                        while start_t < 0:
                            start_t += dilT
                        while start_h < 0:
                            start_h += dilH
                        while start_w < 0:
                            start_w += dilW
                        maxval = -THInf(dt)
                        mx = my = mz = -1
                        cell = -1
                        for z in range(kernel_t):
                            for y in range(kernel_h):
                                for xx in range(kernel_w):
                                    tt, hh, ww = start_t + z * dilT, start_h + y * dilH, start_w + xx * dilW
                                    # `if ((start_t + z * dilationT < itime) && ...)`: end clip only.
                                    if tt < iT and hh < iH and ww < iW:
                                        val = ip[(tt * iH + hh) * iW + ww]
                                        if val > maxval:  # strict, as in 2-D
                                            maxval = val
                                            # "Store indices w.r.t the kernel dimension"
                                            mz = z + (kT - kernel_t)
                                            my = y + (kH - kernel_h)
                                            mx = xx + (kW - kernel_w)
                                            cell = (tt * iH + hh) * iW + ww
                        # `((unsigned char*)(indzp))[0] = mz;` ... [3] = 0: -1 becomes 255.
                        offs[n, k, ti, i, j] = (mz & 0xFF, my & 0xFF, mx & 0xFF)
                        flat[n, k, ti, i, j] = cell + TH_INDEX_BASE
                        out[n, k, ti, i, j] = maxval
    if squeeze:
        return out[0], offs[0], flat[0]
    return out, offs, flat


def volumetric_max_update_grad_input(x, grad_output, offsets, kT, kW, kH, dT=None, dW=None, dH=None,
                                     pT=0, pW=0, pH=0, dilT=1, dilW=1, dilH=1):
    """VolumetricDilatedMaxPooling_updateGradInput_frame:
        long maxti = ((unsigned char*)(indzp))[0] * dilationT + ti * dT - pT;   (maxi, maxj alike)
        if (maxti != -1) gradInput_p_k[maxti*iheight*iwidth + maxi*iwidth + maxj] += gradOutput;"""
    dT = kT if dT is None else dT
    dW = kW if dW is None else dW
    dH = kH if dH is None else dH
    squeeze = x.ndim == 4
    x5 = x[None] if squeeze else x
    go5 = grad_output[None] if squeeze else grad_output
    of5 = offsets[None] if squeeze else offsets
    dt = x5.dtype.type
    N, C, iT, iH, iW = x5.shape
    _, _, oT, oH, oW = go5.shape
    gi = np.zeros_like(x5)
    for n in range(N):
        for k in range(C):
            gik = gi[n, k].reshape(-1)
            for ti in range(oT):
                for i in range(oH):
                    for j in range(oW):
                        bz, by, bx = (int(v) for v in of5[n, k, ti, i, j])
                        maxti = bz * dilT + ti * dT - pT
                        maxi = by * dilH + i * dH - pH
                        maxj = bx * dilW + j * dW - pW
                        if maxti != -1:
                            if not (0 <= maxti < iT and 0 <= maxi < iH and 0 <= maxj < iW):
                                raise ValueError("torch7 writes this gradient out of bounds (undefined behaviour)")
                            c = (maxti * iH + maxi) * iW + maxj
                            gik[c] = dt(gik[c] + go5[n, k, ti, i, j])
    return gi[0] if squeeze else gi


# --------------------------------------------------------------------------------------------
# 3-D avg: lib/THNN/generic/VolumetricAveragePooling.c. VolumetricAveragePooling.lua:
# `nn.VolumetricAveragePooling(kT, kW, kH, dT, dW, dH)`, strides default to the KERNEL (unlike
# 2-D avg's 1), and the module always calls THNN with pads 0, 0, 0, ceil_mode false,
# count_include_pad true: from Lua, 3-D avg has no padding, no ceil mode, no exclude-pad.
# The C supports them (same window rule as 2-D, `long pool_size`); ported in full.
# --------------------------------------------------------------------------------------------

def volumetric_avg_output_size(iT, iH, iW, kT, kW, kH, dT, dW, dH, pT, pW, pH, ceil_mode):
    if not (kT // 2 >= pT and kW // 2 >= pW and kH // 2 >= pH):
        raise ValueError("pad should not be greater than half of kernel size")
    oT = _pooled_size(iT, kT, pT, dT, ceil_mode)
    oH = _pooled_size(iH, kH, pH, dH, ceil_mode)
    oW = _pooled_size(iW, kW, pW, dW, ceil_mode)
    if pT or pW or pH:
        oT = _last_window_guard(oT, dT, iT, pT)
        oH = _last_window_guard(oH, dH, iH, pH)
        oW = _last_window_guard(oW, dW, iW, pW)
    if oT < 1 or oW < 1 or oH < 1:
        raise ValueError("Output size is too small")
    return oT, oH, oW


def _avg3_window(ti, i, j, kT, kW, kH, dT, dW, dH, pT, pW, pH, iT, iH, iW, cip):
    ts, hs, ws = ti * dT - pT, i * dH - pH, j * dW - pW
    te, he, we = _fminf(ts + kT, iT + pT), _fminf(hs + kH, iH + pH), _fminf(ws + kW, iW + pW)
    pool_size = (te - ts) * (he - hs) * (we - ws)
    ts, hs, ws = _fmaxf(ts, 0), _fmaxf(hs, 0), _fmaxf(ws, 0)
    te, he, we = min(te, iT), min(he, iH), min(we, iW)
    div = pool_size if cip else (te - ts) * (he - hs) * (we - ws)
    return ts, te, hs, he, ws, we, div


def volumetric_avg_update_output(x, kT, kW, kH, dT=None, dW=None, dH=None, pT=0, pW=0, pH=0,
                                 ceil_mode=False, count_include_pad=True):
    """VolumetricAveragePooling_updateOutput_frame: `real sum = 0.0;` (t, h, w order),
    `*op++ += sum / divide_factor;` onto a zeroed output."""
    dT = kT if dT is None else dT
    dW = kW if dW is None else dW
    dH = kH if dH is None else dH
    squeeze = x.ndim == 4
    x5 = x[None] if squeeze else x
    dt = x5.dtype.type
    N, C, iT, iH, iW = x5.shape
    oT, oH, oW = volumetric_avg_output_size(iT, iH, iW, kT, kW, kH, dT, dW, dH, pT, pW, pH, ceil_mode)
    out = np.empty((N, C, oT, oH, oW), dtype=x5.dtype)
    with np.errstate(all="ignore"):
        for n in range(N):
            for k in range(C):
                ip = x5[n, k].reshape(-1)
                for ti in range(oT):
                    for i in range(oH):
                        for j in range(oW):
                            ts, te, hs, he, ws, we, div = _avg3_window(ti, i, j, kT, kW, kH, dT, dW, dH, pT, pW, pH,
                                                                       iT, iH, iW, count_include_pad)
                            s = dt(0)
                            for z in range(ts, te):
                                for y in range(hs, he):
                                    for xx in range(ws, we):
                                        s = dt(s + ip[(z * iH + y) * iW + xx])
                            out[n, k, ti, i, j] = dt(dt(0) + dt(s / dt(div)))
    return out[0] if squeeze else out


def volumetric_avg_update_grad_input(x, grad_output, kT, kW, kH, dT=None, dW=None, dH=None, pT=0, pW=0, pH=0,
                                     ceil_mode=False, count_include_pad=True):
    """VolumetricAveragePooling_updateGradInput_frame: `*(ip + ...) += val / divide_factor;`."""
    dT = kT if dT is None else dT
    dW = kW if dW is None else dW
    dH = kH if dH is None else dH
    squeeze = x.ndim == 4
    x5 = x[None] if squeeze else x
    go5 = grad_output[None] if squeeze else grad_output
    dt = x5.dtype.type
    N, C, iT, iH, iW = x5.shape
    oT, oH, oW = volumetric_avg_output_size(iT, iH, iW, kT, kW, kH, dT, dW, dH, pT, pW, pH, ceil_mode)
    gi = np.zeros_like(x5)
    with np.errstate(all="ignore"):
        for n in range(N):
            for k in range(C):
                gik = gi[n, k].reshape(-1)
                for ti in range(oT):
                    for i in range(oH):
                        for j in range(oW):
                            ts, te, hs, he, ws, we, div = _avg3_window(ti, i, j, kT, kW, kH, dT, dW, dH, pT, pW, pH,
                                                                       iT, iH, iW, count_include_pad)
                            val = go5[n, k, ti, i, j]
                            for z in range(ts, te):
                                for y in range(hs, he):
                                    for xx in range(ws, we):
                                        c = (z * iH + y) * iW + xx
                                        gik[c] = dt(gik[c] + dt(val / dt(div)))
    return gi[0] if squeeze else gi


# --------------------------------------------------------------------------------------------
# Self-test
# --------------------------------------------------------------------------------------------

def _same(a, b, exact, rtol):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        return False
    if exact:
        return bool(np.array_equal(a, b, equal_nan=True) and np.array_equal(np.signbit(a[a == 0]), np.signbit(b[b == 0])))
    return bool(np.allclose(a, b, rtol=rtol, atol=0, equal_nan=True))


def self_test():
    import torch
    import torch.nn.functional as F
    rng = np.random.default_rng(2025)
    fails = []
    counts = {"compared": 0, "bit_exact": 0, "overhang": 0}

    def check(name, ok, bit=None):
        counts["compared"] += 1
        if bit:
            counts["bit_exact"] += 1
        if not ok:
            fails.append(name)

    def tt(a):
        return torch.from_numpy(np.ascontiguousarray(a)).requires_grad_(True)

    for dtype in (np.float32, np.float64):
        rtol = 1e-5 if dtype == np.float32 else 1e-12
        # ---- 2-D max / avg: floor mode (any pad), ceil with pad > 0, ceil with pad 0 where no
        # window starts past the input (PyTorch's drop rule then changes nothing).
        for trial in range(60):
            kH, kW = int(rng.integers(1, 5)), int(rng.integers(1, 5))
            dH, dW = int(rng.integers(1, 4)), int(rng.integers(1, 4))
            padH, padW = int(rng.integers(0, kH // 2 + 1)), int(rng.integers(0, kW // 2 + 1))
            dilH, dilW = (int(rng.integers(1, 3)), int(rng.integers(1, 3))) if trial % 3 == 0 else (1, 1)
            ceil = bool(trial % 2)
            H, W = int(rng.integers(max(kH, 2), 9)), int(rng.integers(max(kW, 2), 9))
            H = max(H, (kH - 1) * dilH + 1 - 2 * padH)
            W = max(W, (kW - 1) * dilW + 1 - 2 * padW)
            x = rng.standard_normal((2, 3, H, W)).astype(dtype)
            try:
                out, ind = spatial_max_update_output(x, kW, kH, dW, dH, padW, padH, dilW, dilH, ceil)
            except ValueError:
                continue
            xt = tt(x)
            # PyTorch's own check is pad <= dilated kernel / 2; torch7's uses the undilated kernel.
            yt, it = F.max_pool2d(xt, (kH, kW), (dH, dW), (padH, padW), (dilH, dilW), ceil_mode=ceil, return_indices=True)
            pad0_overhang = ceil and not (padH or padW) and tuple(yt.shape) != out.shape
            if pad0_overhang:
                counts["overhang"] += 1
                # torch7 keeps windows that start past the input: the extra ones are empty.
                oh, ow = yt.shape[2:]
                extra_h, extra_w = out[:, :, oh:, :], out[:, :, :, ow:]
                ok = (np.all(extra_h == -THInf(dtype)) and np.all(extra_w == -THInf(dtype))
                      and np.all(ind[:, :, oh:, :] == 0) and np.all(ind[:, :, :, ow:] == 0)
                      and _same(out[:, :, :oh, :ow], yt.detach().numpy(), True, 0)
                      and np.array_equal(ind[:, :, :oh, :ow] - 1, it.numpy()))
                check(f"max2d overhang {dtype.__name__} {trial}", ok, ok)
                go = rng.integers(-3, 4, size=out.shape).astype(dtype)
                gi = spatial_max_update_grad_input(x, go, ind)
                (gt,) = torch.autograd.grad(yt, xt, torch.from_numpy(np.ascontiguousarray(go[:, :, :oh, :ow])))
                ok = _same(gi, gt.numpy(), True, 0)
                check(f"max2d overhang grad {dtype.__name__} {trial}", ok, ok)
            else:
                ok = _same(out, yt.detach().numpy(), True, 0) and np.array_equal(ind - 1, it.numpy())
                check(f"max2d {dtype.__name__} {trial}", ok, ok)
                go = rng.integers(-3, 4, size=out.shape).astype(dtype)
                gi = spatial_max_update_grad_input(x, go, ind)
                (gt,) = torch.autograd.grad(yt, xt, torch.from_numpy(go))
                ok = _same(gi, gt.numpy(), True, 0)
                check(f"max2d grad {dtype.__name__} {trial}", ok, ok)
            # avg (no dilation)
            cip = bool(trial % 4 < 2)
            try:
                a = spatial_avg_update_output(x, kW, kH, dW, dH, padW, padH, ceil, cip)
            except ValueError:
                continue
            xt = tt(x)
            at = F.avg_pool2d(xt, (kH, kW), (dH, dW), (padH, padW), ceil_mode=ceil, count_include_pad=cip)
            if tuple(at.shape) != a.shape:
                assert ceil and not (padH or padW)
                continue  # the pad-0 overhang: checked by hand below
            bit = _same(a, at.detach().numpy(), True, 0)
            check(f"avg2d {dtype.__name__} {trial} cip={cip}", bit or _same(a, at.detach().numpy(), False, rtol), bit)
            go = rng.integers(-3, 4, size=a.shape).astype(dtype)
            gi = spatial_avg_update_grad_input(x, go, kW, kH, dW, dH, padW, padH, ceil, cip)
            (gt,) = torch.autograd.grad(at, xt, torch.from_numpy(go))
            bit = _same(gi, gt.numpy(), True, 0)
            check(f"avg2d grad {dtype.__name__} {trial}", bit or _same(gi, gt.numpy(), False, rtol), bit)

        # ---- 1-D (Spatial on H = 1) vs max_pool1d / avg_pool1d
        for trial in range(20):
            k, s = int(rng.integers(1, 5)), int(rng.integers(1, 4))
            pad = int(rng.integers(0, k // 2 + 1))
            dil = int(rng.integers(1, 3))
            ceil = bool(trial % 2) and pad > 0
            L = int(rng.integers((k - 1) * dil + 1, 12))
            x = rng.standard_normal((2, 2, L)).astype(dtype)
            out, ind = max1d_update_output(x, k, s, pad, dil, ceil)
            xt = tt(x)
            yt, it = F.max_pool1d(xt, k, s, pad, dil, ceil_mode=ceil, return_indices=True)
            ok = _same(out, yt.detach().numpy(), True, 0) and np.array_equal(ind - 1, it.numpy())
            check(f"max1d {trial}", ok, ok)
            a = avg1d_update_output(x, k, s, pad, ceil, True)
            at = F.avg_pool1d(tt(x), k, s, pad, ceil_mode=ceil, count_include_pad=True)
            check(f"avg1d {trial}", _same(a, at.detach().numpy(), False, rtol), _same(a, at.detach().numpy(), True, 0))

        # ---- Lp (floor, no pad) vs lp_pool2d where no window sums to <= 0 (PyTorch's
        # sign*relu trick only differs at a zero sum; p = 1, 2 on any input, p = 3 on positives)
        for p in (1, 2, 3):
            for trial in range(6):
                kH, kW = int(rng.integers(1, 4)), int(rng.integers(1, 4))
                dH, dW = int(rng.integers(1, 4)), int(rng.integers(1, 4))
                H, W = int(rng.integers(kH, 8)), int(rng.integers(kW, 8))
                x = rng.standard_normal((2, 2, H, W)).astype(dtype)
                if p != 2:
                    x = np.abs(x) + dtype(0.1)
                y, _ = spatial_lp_update_output(x, p, kW, kH, dW, dH)
                xt = tt(x)
                yt = F.lp_pool2d(xt, p, (kH, kW), (dH, dW))
                check(f"lp p={p} {dtype.__name__} {trial}", _same(y, yt.detach().numpy(), False, rtol * 10),
                      _same(y, yt.detach().numpy(), True, 0))
                go = rng.integers(-3, 4, size=y.shape).astype(dtype)
                gi = spatial_lp_update_grad_input(x, go, p, kW, kH, dW, dH)
                (gt,) = torch.autograd.grad(yt, xt, torch.from_numpy(go))
                check(f"lp grad p={p} {dtype.__name__} {trial}", _same(gi, gt.numpy(), False, rtol * 100),
                      _same(gi, gt.numpy(), True, 0))

        # ---- 3-D max (dilation 1, pad <= 1) and avg (pad 0, floor, include pad: the Lua module)
        for trial in range(10):
            k = [int(v) for v in rng.integers(1, 4, size=3)]
            s = [int(v) for v in rng.integers(1, 3, size=3)]
            pads = [int(rng.integers(0, kk // 2 + 1)) for kk in k]
            ceil = bool(trial % 2) and any(pads)
            shp = [int(rng.integers(kk, 6)) for kk in k]
            x = rng.standard_normal((1, 2, *shp)).astype(dtype)
            out, offs, flat = volumetric_max_update_output(x, k[0], k[2], k[1], s[0], s[2], s[1],
                                                          pads[0], pads[2], pads[1], 1, 1, 1, ceil)
            xt = tt(x)
            yt, it = F.max_pool3d(xt, k, s, pads, 1, ceil_mode=ceil, return_indices=True)
            ok = _same(out, yt.detach().numpy(), True, 0) and np.array_equal(flat - 1, it.numpy())
            check(f"max3d {trial}", ok, ok)
            go = rng.integers(-3, 4, size=out.shape).astype(dtype)
            gi = volumetric_max_update_grad_input(x, go, offs, k[0], k[2], k[1], s[0], s[2], s[1], pads[0], pads[2], pads[1])
            (gt,) = torch.autograd.grad(yt, xt, torch.from_numpy(go))
            check(f"max3d grad {trial}", _same(gi, gt.numpy(), True, 0), True)
            a = volumetric_avg_update_output(x, k[0], k[2], k[1], s[0], s[2], s[1])
            at = F.avg_pool3d(tt(x), k, s)
            check(f"avg3d {trial}", _same(a, at.detach().numpy(), False, rtol), _same(a, at.detach().numpy(), True, 0))

    # ---- torch7-only rules, on hand-made inputs (C semantics, not compared with PyTorch)
    f32 = np.float32
    lo = -np.finfo(f32).max
    nan, inf = f32("nan"), f32("inf")
    # empty window (pad 0, ceil, window starting at the end): -FLT_MAX, index 0, gradient dropped
    x = np.arange(1, 5, dtype=f32).reshape(1, 1, 1, 4)
    out, ind = spatial_max_update_output(x, 1, 1, 2, 1, 0, 0, 1, 1, True)
    check("empty window value", out.tolist() == [[[[1.0, 3.0, lo]]]])
    check("empty window index", ind.tolist() == [[[[1, 3, 0]]]])
    gi = spatial_max_update_grad_input(x, np.array([[[[5, 6, 7]]]], dtype=f32), ind)
    check("empty window grad", gi.tolist() == [[[[5.0, 0.0, 6.0, 0.0]]]])
    # avg: window starting exactly at the end -> 0/0 = NaN; further out -> +0
    a = spatial_avg_update_output(x, 1, 1, 2, 1, 0, 0, True, True)
    check("avg empty window NaN", np.isnan(a[0, 0, 0, 2]) and a[0, 0, 0, 0] == 1 and a[0, 0, 0, 1] == 3)
    x5 = np.arange(1, 6, dtype=f32).reshape(1, 1, 1, 5)
    a = spatial_avg_update_output(x5, 1, 1, 3, 1, 0, 0, True, True)  # windows at 0, 3, 6
    check("avg past-end window +0", a[0, 0, 0, 2] == 0 and not np.signbit(a[0, 0, 0, 2]))
    # NaN never wins; all-NaN and all -inf windows -> -FLT_MAX, index 0
    x = np.array([nan, 2, nan, nan, -inf, -inf, -0.0, 0.0], dtype=f32).reshape(1, 1, 1, 8)
    out, ind = spatial_max_update_output(x, 2, 1, 2, 1)
    check("nan/-inf windows", out.tolist() == [[[[2.0, lo, lo, -0.0]]]] and ind.tolist() == [[[[2, 0, 0, 7]]]]
          and np.signbit(out[0, 0, 0, 3]))
    # Lp at a zero sum: p = 2 -> gradient 0; p = 3 -> NaN at zero cells, inf where x^3 cancel
    x = np.array([0, 0, 1, -1], dtype=f32).reshape(1, 1, 1, 4)
    g2 = spatial_lp_update_grad_input(x, np.ones((1, 1, 1, 2), f32), 2, 2, 1)
    check("lp2 zero-sum grad 0", g2[0, 0, 0, :2].tolist() == [0.0, 0.0])
    g3 = spatial_lp_update_grad_input(x, np.ones((1, 1, 1, 2), f32), 3, 2, 1)
    check("lp3 zero-sum grad", np.all(np.isnan(g3[0, 0, 0, :2])) and np.all(np.isinf(g3[0, 0, 0, 2:])))

    print(f"self-test: {counts['compared']} comparisons ({counts['overhang']} of them ceil-mode pad-0 windows past the "
          f"input, checked as empty), {counts['bit_exact']} bit-exact, {len(fails)} failures")
    for f in fails:
        print("  FAIL", f)
    return 1 if fails else 0


if __name__ == "__main__":
    if "--self-test" in sys.argv[1:]:
        sys.exit(self_test())
    print(__doc__)

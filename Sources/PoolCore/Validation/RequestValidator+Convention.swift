import Pooling
import RequestDecoding

extension RequestValidator {
    /// Resolves `p.convention`: records each field the convention cannot express (naming the
    /// field and the framework's limit), fills the convention's defaults into the fields the
    /// request left out, and returns the setting. nil without a convention.
    static func resolveConvention(_ p: inout PoolParameters, mode: PoolMode, fields: Fields, returnParts: [ReturnPart]?,
                                  direction: WorkCost.Direction, spatialDims: Int?, spatialSizes: [Int]?,
                                  problems: inout ProblemList) -> ConventionSetting? {
        guard let convention = p.convention else {
            if fields.given("opset") { problems.add(.root / "opset", "applies only to \"convention\": \"onnx\"") }
            return nil
        }
        // The convention's defaults for what the request left out (a field given wins), the
        // stride first, so that the checks see the windows the framework will compute.
        // Stride 1: flax's pools, ONNX's `strides` attribute, Torch7's 2-D average (its 3-D one
        // defaults to the kernel, as max does).
        let strideOne = convention == .jax || convention == .onnx || (convention == .torch7 && mode == .avg && spatialDims != 3)
        if !fields.given("stride"), let k = p.kernelSize, strideOne {
            p.stride = .int(1).expandedLike(k)
        }
        var check = ConventionCheck(convention: convention, mode: mode, p: p, fields: fields, spatialDims: spatialDims,
                                    spatialSizes: spatialSizes, problems: problems)
        let opset = check.opset()
        check.common(returnParts: returnParts, direction: direction)
        switch convention {
        case .pytorch: check.pytorch()
        case .tensorflow: check.tensorflow()
        case .onnx: check.onnx(opset: opset ?? Convention.newestOpset)
        case .jax: check.jax(direction: direction)
        case .torch7: check.torch7()
        }
        if !check.hasIndices, mode == .max, let parts = returnParts, let k = parts.firstIndex(of: .indices) {
            check.problems.add(.root / "return" / k, "cannot be expressed under convention \"\(convention.rawValue)\": \(check.noIndicesReason)")
        }
        problems = check.problems
        if convention == .onnx, check.dilated || check.sameNeedsNegativePadding != nil, case .pads(let begin, let end)? = check.onnxSamePads {
            p.padding = .explicit(begin: begin, end: end)
        }
        if mode == .avg, !fields.given("countIncludePad") { p.countIncludePad = convention != .onnx && convention != .tensorflow }
        if mode == .lp { p.lpAbs = convention == .onnx }
        if mode == .max { (p.ties, p.nan) = (.first, .propagate) }
        return ConventionRules.setting(convention, opset: opset, mode: mode, p: p, spatialDims: spatialDims ?? 2,
                                       hasIndices: check.hasIndices)
    }
}

/// The checks of one request against one convention's limits, each refusal naming its field.
struct ConventionCheck {
    let convention: Convention
    let mode: PoolMode
    let p: PoolParameters
    let fields: Fields
    let spatialDims: Int?
    /// The input's spatial sizes, when the input is known.
    let spatialSizes: [Int]?
    var problems: ProblemList

    /// Per spatial dim, when the fields are known: kernel, stride (given, else the one the
    /// convention will fill), dilation, and explicit padding (nil for a named padding).
    var axes: [(k: Int, s: Int, d: Int, begin: Int?, end: Int?)]? {
        guard let d = spatialDims, let k = p.kernelSize?.expanded(to: d), k.count == d else { return nil }
        let s = (p.stride ?? (fields.given("stride") ? nil : p.kernelSize))?.expanded(to: d) ?? k
        let dl = p.dilation?.expanded(to: d) ?? Array(repeating: 1, count: d)
        guard s.count == d, dl.count == d else { return nil }
        var begin: [Int?] = Array(repeating: 0, count: d), end = begin
        switch p.padding {
        case nil: break
        case .int(let v)?: (begin, end) = (Array(repeating: v, count: d), Array(repeating: v, count: d))
        case .list(let l)? where l.count == d: (begin, end) = (l, l)
        case .explicit(let b, let e)? where b.count == d && e.count == d: (begin, end) = (b, e)
        case .named?: (begin, end) = (Array(repeating: nil, count: d), Array(repeating: nil, count: d))
        default: return nil
        }
        return (0..<d).map { (k[$0], s[$0], dl[$0], begin[$0], end[$0]) }
    }

    /// The first dim where "same" would need negative padding (stride above the effective
    /// kernel): (⌈n/s⌉ − 1)·s + d·(k − 1) + 1 − n < 0.
    var sameNeedsNegativePadding: Int? {
        guard p.padding == .named(.same) || p.padding == .named(.sameLower), let axes, let sizes = spatialSizes, sizes.count == axes.count else { return nil }
        return axes.indices.first { a in
            let (n, x) = (sizes[a], axes[a])
            return ((n + x.s - 1) / x.s - 1) * x.s + x.d * (x.k - 1) + 1 - n < 0
        }
    }

    /// onnxruntime's windows for auto_pad SAME_UPPER / SAME_LOWER (pool_attributes.h,
    /// ComputeSizePadDilations), per dim: needed = (⌈n/s⌉ − 1)·s + k − n from the UNDILATED
    /// kernel, the head needed/2 (SAME_UPPER) or (needed + 1)/2 (SAME_LOWER) in C++'s division
    /// (toward zero), the tail the rest, and ⌊(n + needed − (d·(k − 1) + 1))/s⌋ + 1 windows, the
    /// first at −head. Expressed as explicit pads (head, max(tail, 0)) when they give the same
    /// windows: a head ≥ 0 and the same count (a negative tail only ends the input early, past
    /// the last window). nil when the sizes are not known.
    enum OnnxSamePads { case pads(begin: [Int], end: [Int]), inexpressible(dimension: Int) }
    var onnxSamePads: OnnxSamePads? {
        guard p.padding == .named(.same) || p.padding == .named(.sameLower), let axes, let sizes = spatialSizes,
              sizes.count == axes.count else { return nil }
        var begin: [Int] = [], end: [Int] = []
        for (a, x) in axes.enumerated() {
            let n = sizes[a], span = x.d * (x.k - 1) + 1
            let needed = ((n + x.s - 1) / x.s - 1) * x.s + x.k - n
            let head = p.padding == .named(.same) ? needed / 2 : (needed + 1) / 2
            let tail = max(needed - head, 0)
            let windows = (n + needed - span) / x.s + 1  // toward zero, as onnxruntime
            guard head >= 0, n + head + tail >= span, (n + head + tail - span) / x.s + 1 == windows else {
                return .inexpressible(dimension: a)
            }
            begin.append(head)
            end.append(tail)
        }
        return .pads(begin: begin, end: end)
    }

    /// Whether the framework's op for this call returns indices.
    var hasIndices: Bool {
        switch convention {
        case .jax: return false
        case .tensorflow: return !dilated && (namedPadding || paddingIsZero) && (spatialDims ?? 2) <= 2
        default: return true
        }
    }

    /// Why ``hasIndices`` is false.
    var noIndicesReason: String {
        convention == .jax ? "JAX's pooling returns no indices"
            : "tf.nn.max_pool_with_argmax, TensorFlow's only op with indices, is 2-D (or 1-D as 2-D) without dilation or explicit padding"
    }

    var name: String { "\"\(convention.rawValue)\"" }

    mutating func refuse(_ field: String, _ why: String) {
        problems.add(.root / field, "cannot be expressed under convention \(name): \(why)")
    }

    /// The opset (onnx: given or the newest; others: nil, refusing one given).
    mutating func opset() -> Int? {
        guard convention == .onnx else {
            if fields.given("opset") { problems.add(.root / "opset", "applies only to \"convention\": \"onnx\", not \(name)") }
            return nil
        }
        guard let o = p.opset else { return fields.given("opset") ? nil : Convention.newestOpset }
        if o > 25 { problems.add(.root / "opset", "must be an ai.onnx opset from 1 to 25, got \(o)") }
        return o
    }

    /// What no convention but the contract's own defaults expresses.
    mutating func common(returnParts: [ReturnPart]?, direction: WorkCost.Direction) {
        if fields.given("ties") { refuse("ties", "the convention fixes the tie rule (see `rules.ties` in its answers)") }
        if fields.given("nan") { refuse("nan", "the convention fixes how NaN competes (see `rules.nan`)") }
        if fields.given("lpAbs") { refuse("lpAbs", "the convention fixes whether lp takes |x| (see `rules.lp`)") }
        if fields.given("divisorOverride") && convention != .pytorch { refuse("divisorOverride", "only PyTorch's avg_pool has divisor_override") }
        if convention != .pytorch {
            if fields.given("outputSize") { refuse("outputSize", "adaptive pooling is PyTorch's (adaptive_*_pool*d)") }
            if fields.given("fractional") { refuse("fractional", "poolserve follows fractional max pooling under PyTorch's or the contract's rules only") }
        }
    }

    var dilated: Bool {
        switch p.dilation { case .int(let v)?: return v != 1; case .list(let l)?: return l.contains { $0 != 1 }; case nil: return false }
    }
    var strided: Bool {
        let s = p.stride ?? p.kernelSize
        switch s { case .int(let v)?: return v != 1; case .list(let l)?: return l.contains { $0 != 1 }; case nil: return false }
    }
    var ceil: Bool { p.ceilMode == true }
    var namedPadding: Bool { if case .named? = p.padding { return true } else { return false } }
    var symmetricPadding: Bool {
        switch p.padding { case nil, .int?, .list?: return true; default: return false }
    }
    var paddingIsZero: Bool {
        switch p.padding {
        case nil, .named(.valid)?: return true
        case .int(let v)?: return v == 0
        case .list(let l)?: return l.allSatisfy { $0 == 0 }
        case .explicit(let b, let e)?: return (b + e).allSatisfy { $0 == 0 }
        case .named?: return false
        }
    }

    mutating func pytorch() {
        if !symmetricPadding { refuse("padding", "PyTorch's pooling takes one symmetric padding per dimension (no \"same\", \"valid\" or begin/end)") }
        // aten/src/ATen/native/Pool.h pool2d_shape_check: "pad should be at most half of effective kernel size".
        if let limits = padsAndKernel, let a = limits.firstIndex(where: { $0.pad > ((mode == .max ? $0.dilation : 1) * ($0.kernel - 1) + 1) / 2 }) {
            refuse("padding", "PyTorch requires padding ≤ effective kernel / 2 (rounded down) per dimension; dimension \(a) has padding \(limits[a].pad) with kernel \(limits[a].kernel)")
        }
        if mode != .max && dilated { refuse("dilation", "PyTorch's \(mode == .avg ? "avg_pool" : "lp_pool") has no dilation") }
        if mode == .lp && !paddingIsZero { refuse("padding", "PyTorch's lp_pool has no padding") }
        if fields.given("indexSpace") && p.indexSpace != .plane { refuse("indexSpace", "PyTorch's indices count each (N, C) plane") }
        if fields.given("indexOrder") && p.indexOrder != .rowMajor { refuse("indexOrder", "PyTorch's indices are row-major") }
    }

    mutating func tensorflow() {
        if mode == .lp { refuse("mode", "TensorFlow has no lp pooling (workaround: (depthwise_conv2d(|x|^p, ones))^(1/p))") }
        if ceil { refuse("ceilMode", "TensorFlow has no ceil mode (workaround: tf.pad the end with -inf for max, then VALID)") }
        if p.countIncludePad == true { refuse("countIncludePad", "TensorFlow's average never counts padding (workaround: tf.pad with zeros, then VALID)") }
        if p.padding == .named(.sameLower) { refuse("padding", "TensorFlow's SAME puts the odd cell at the end; \"same_lower\" is ONNX's and JAX's") }
        if mode == .avg, !paddingIsZero, !namedPadding {
            refuse("padding", "tf.nn.avg_pool takes only \"same\" or \"valid\" (workaround: tf.pad with zeros, then VALID, with countIncludePad)")
        }
        if (spatialDims ?? 2) == 3, !paddingIsZero, !namedPadding { refuse("padding", "tf.nn.max_pool3d and avg_pool3d take only \"same\" or \"valid\"") }
        if dilated && strided { refuse("dilation", "tf.nn.pool allows dilation only with every stride 1") }
        if dilated && p.padding == .named(.same) { refuse("dilation", "tf.nn.pool refuses dilation with SAME padding on CPU") }
        if fields.given("indexSpace") && p.indexSpace == .plane {
            refuse("indexSpace", "max_pool_with_argmax numbers cells in NHWC order per sample (default) or over the batch (\"tensor\")")
        }
        if fields.given("indexOrder") && p.indexOrder != .rowMajor { refuse("indexOrder", "TensorFlow's indices are row-major") }
        if spatialDims == 3 && p.dtype == .float64 { refuse("dtype", "tf.nn.max_pool3d and avg_pool3d have no float64 kernel on CPU") }
        if dilated && !namedPadding && !paddingIsZero { refuse("dilation", "tf.nn.pool, TensorFlow's only dilated pooling, takes only \"same\" or \"valid\" padding") }
        if let axes, let a = axes.firstIndex(where: { ($0.begin ?? 0) >= $0.k || ($0.end ?? 0) >= $0.k }) {
            refuse("padding", "TensorFlow requires padding smaller than the window (dimension \(a) has kernel \(axes[a].k))")
        }
        if spatialDims == 3, p.padding == .named(.same), let axes, let a = axes.firstIndex(where: { $0.s > $0.k }) {
            refuse("stride", "with \"same\", TensorFlow's 3-D pools place windows with stride above the kernel differently on CPU and GPU, and tf.nn.pool refuses it (dimension \(a))")
        }
    }

    mutating func onnx(opset: Int) {
        let op = mode == .max ? "MaxPool" : mode == .avg ? "AveragePool" : "LpPool"
        let ceilSince = mode == .lp ? 18 : 10
        if ceil && opset < ceilSince { refuse("ceilMode", "\(op) has ceil_mode from opset \(ceilSince), not \(opset) (workaround: Pad the end with -inf (max) or 0, then \(op) without ceil_mode)") }
        let dilationSince = mode == .max ? 10 : mode == .avg ? 19 : 18
        if dilated && opset < dilationSince { refuse("dilation", "\(op) has dilations from opset \(dilationSince), not \(opset)") }
        if mode == .avg && p.countIncludePad == true && opset < 7 { refuse("countIncludePad", "AveragePool has count_include_pad from opset 7, not \(opset)") }
        if mode == .max && opset < 8 && fields.given("indexSpace") { refuse("indexSpace", "MaxPool has the Indices output from opset 8, not \(opset)") }
        if fields.given("indexSpace") && p.indexSpace == .plane { refuse("indexSpace", "ONNX Indices count the whole N×C×D1…Dn tensor") }
        if dilated && namedPadding && p.padding != .named(.valid) || sameNeedsNegativePadding != nil {
            // onnxruntime's auto_pad SAME where it departs from the spec's (dilated windows, or a
            // stride above the kernel): computed as the explicit pads that give its windows.
            if ceil { refuse("ceilMode", "with auto_pad SAME, dilations or a stride above the kernel, onnxruntime's ceil_mode output size is not the spec's (give explicit pads)") }
            switch onnxSamePads {
            case .pads?: break
            case .inexpressible(let a)?:
                refuse("padding", "auto_pad SAME: onnxruntime's windows on dimension \(a) start before the input or overrun it (its pads, from the undilated kernel, would be negative at the start); give explicit pads")
            case nil: refuse("padding", "auto_pad SAME with dilations or a stride above the kernel needs the input's sizes to compute onnxruntime's pads; give explicit pads")
            }
        }
        if let axes, let a = axes.firstIndex(where: { ($0.begin ?? 0) >= $0.k || ($0.end ?? 0) >= $0.k }) {
            refuse("padding", "onnxruntime requires every pad to be smaller than the kernel (\"Pad should be smaller than kernel\"); dimension \(a) has kernel \(axes[a].k)")
        }
    }

    mutating func jax(direction: WorkCost.Direction) {
        if mode == .lp { refuse("mode", "JAX has no lp pooling (workaround: reduce_window(|x|^p, 0, add) ** (1/p))") }
        if ceil { refuse("ceilMode", "lax.reduce_window has no ceil mode (workaround: explicit end padding from PyTorch's formula)") }
        if fields.given("indexSpace") { refuse("indexSpace", "JAX's pooling returns no indices") }
        if fields.given("indexOrder") { refuse("indexOrder", "JAX's pooling returns no indices") }
        if mode == .max && dilated && direction != .forward { refuse("dilation", "JAX's max pooling gradient is not implemented with window dilation (select_and_gather_add)") }
    }

    /// Symmetric padding values per dim and the kernel, when both are known.
    var padsAndKernel: [(pad: Int, kernel: Int, dilation: Int)]? {
        guard let d = spatialDims, let k = p.kernelSize?.expanded(to: d), k.count == d else { return nil }
        let pads: [Int]
        switch p.padding {
        case nil: pads = Array(repeating: 0, count: d)
        case .int(let v)?: pads = Array(repeating: v, count: d)
        case .list(let l)? where l.count == d: pads = l
        default: return nil
        }
        let dl = p.dilation?.expanded(to: d) ?? Array(repeating: 1, count: d)
        guard dl.count == d else { return nil }
        return (0..<d).map { (pads[$0], k[$0], dl[$0]) }
    }

    mutating func torch7() {
        if !symmetricPadding { refuse("padding", "Torch7's pooling modules take one symmetric padding per dimension") }
        // SpatialDilatedMaxPooling.c _shapeCheck: "pad should be smaller than half of kernel size" (kW/2 >= padW).
        if let limits = padsAndKernel, let a = limits.firstIndex(where: { $0.pad > $0.kernel / 2 }) {
            refuse("padding", "Torch7 requires padding ≤ kernel / 2 (rounded down) per dimension; dimension \(a) has padding \(limits[a].pad) with kernel \(limits[a].kernel)")
        }
        if mode != .max && dilated { refuse("dilation", "Torch7 has dilation only in SpatialDilatedMaxPooling") }
        if mode == .lp && !paddingIsZero { refuse("padding", "nn.SpatialLPPooling has no padding") }
        if mode == .lp && ceil { refuse("ceilMode", "nn.SpatialLPPooling's inner SpatialAveragePooling is in floor mode") }
        if spatialDims == 3 && mode == .lp { refuse("mode", "Torch7 has no volumetric Lp pooling") }
        if spatialDims == 3 && mode == .avg && !paddingIsZero { refuse("padding", "nn.VolumetricAveragePooling has no padding argument") }
        if spatialDims == 3 && mode == .avg && ceil { refuse("ceilMode", "nn.VolumetricAveragePooling has no ceil mode") }
        if fields.given("indexSpace") && p.indexSpace != .plane { refuse("indexSpace", "Torch7's indices count each plane") }
        if fields.given("indexOrder") && p.indexOrder != .rowMajor { refuse("indexOrder", "Torch7's indices are row-major") }
    }
}

private extension IntOrList {
    /// This value in the same form as `other` (an int, or a list of its length).
    func expandedLike(_ other: IntOrList) -> IntOrList {
        guard case .list(let l) = other, case .int(let v) = self else { return self }
        return .list(Array(repeating: v, count: l.count))
    }
}

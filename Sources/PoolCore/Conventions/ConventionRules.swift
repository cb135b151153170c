import Pooling

/// Each convention's rule for each point where frameworks differ, with its source. The
/// research behind each line (and what was observed running the frameworks) is in the
/// README's convention table; `Tests/Fixtures/conventions` holds the frameworks' own answers.
enum ConventionRules {
    /// The setting of `convention` for a request of `mode` whose defaults are filled in.
    static func setting(_ convention: Convention, opset: Int?, mode: PoolMode, p: PoolParameters, spatialDims: Int,
                        hasIndices: Bool) -> ConventionSetting {
        var s = RuleSummary()
        s["convention"] = .name(convention.rawValue)
        if let opset { s["opset"] = .number(opset) }
        // The divisor rule of avg (for other modes, the framework's default).
        let includePad = p.countIncludePad ?? (convention != .onnx && convention != .tensorflow)
        let kernelRules: FrameworkRules?
        let ceilRule: CeilRule
        let emptyWindows: Bool
        switch convention {
        case .pytorch:
            // aten/src/ATen/native/cpu/MaxPoolKernel.cpp cpu_max_pool: `(val > maxval) || isnan(val)`.
            s["nan"] = .name("nan_wins_last_nan_selected")
            s["signedZero"] = .name("tie_first_selected")
            s["padding"] = .name("excluded")
            s["emptyWindow"] = .name("refused")
            // Pool.h pooling_output_shape_pad_lr: `if (ceil_mode && (out-1)*stride >= in + pad_l) --out`.
            s["ceilMode"] = .name("drop_window_starting_in_padding")
            s["divisor"] = .name(p.divisorOverride != nil ? "override" : includePad ? "padded_window" : "real_cells")
            s["lp"] = .name("sum_x_pow_p")
            (kernelRules, ceilRule, emptyWindows) = (nil, .dropStartingInPadding, false)
            indexRules(&s, base: 0, space: .plane, order: .rowMajor)
        case .tensorflow where spatialDims == 3:
            // tf.nn.max_pool3d: Eigen's CuboidMaxPooling; MaxPool3DGrad: every cell within 1e-5.
            s["nan"] = .name("value_later_number_replaces_nan_gradient_none_when_nan")
            s["ties"] = .name("all_within_1e-5_get_whole_gradient")
            s["signedZero"] = .name("later_zero_wins_value_both_get_gradient")
            s["padding"] = .name("lowest_finite_takes_part")
            s["emptyWindow"] = .name("not_possible")
            s["ceilMode"] = .name("not_available")
            s["divisor"] = .name("real_cells")
            s["lp"] = .name("not_available")
            kernelRules = FrameworkRules(maxScan: .tensorflowCuboid, emptyMax: .lowest, divisor: .realCells, emptyAverage: .zero,
                                         lpAbsolute: true, lpZeroNorm: .zero, indexForm: IndexForm(space: .sampleChannelsLast))
            (ceilRule, emptyWindows) = (.dropStartingInPadding, true)
            s["indexBase"] = .name("none")
            s["indexSpace"] = .name("none")
            s["indexOrder"] = .name("none")
        case .tensorflow:
            // maxpooling_op.cc SpatialMaxPoolWithArgMaxHelper: `if (output < input || argmax == -1)`
            // selects the cell; MaxPoolingOp (tf.nn.max_pool2d) folds from lowest() with max.
            s["nan"] = .name("value_ignores_nan_cell_nan_wins_only_as_first_cell")
            s["signedZero"] = .name("tie_first_selected")
            s["padding"] = .name("excluded")
            s["emptyWindow"] = .name("max_lowest_finite")
            s["ceilMode"] = .name("not_available")
            // pooling_ops_common.h SpatialAvgPool: the count of real cells.
            s["divisor"] = .name("real_cells")
            s["lp"] = .name("not_available")
            let space: IndexForm.Space = p.indexSpace == .tensor ? .tensorChannelsLast : .sampleChannelsLast
            kernelRules = FrameworkRules(maxScan: .tensorflow, emptyMax: .lowest, divisor: .realCells, emptyAverage: .zero,
                                         lpAbsolute: true, lpZeroNorm: .zero, indexForm: IndexForm(space: space))
            (ceilRule, emptyWindows) = (.dropStartingInPadding, true)
            if hasIndices {
                indexRules(&s, base: 0, space: space, order: .rowMajor)
            } else {
                (s["indexBase"], s["indexSpace"], s["indexOrder"]) = (.name("none"), .name("none"), .name("none"))
            }
        case .onnx:
            let opset = opset ?? Convention.newestOpset
            // onnxruntime pool_functors.h MaxPool2DTask: `if (h_index < 0 || x > Yh)`.
            s["nan"] = .name("nan_wins_only_as_first_cell")
            s["signedZero"] = .name("tie_first_selected")
            s["padding"] = .name("excluded")
            s["emptyWindow"] = .name("max_lowest_finite_index_of_cell_minus_one_avg_zero")
            // onnxruntime 1.32 drops at every opset (so does the reference evaluator); only ONNX's
            // static shape inference keeps the window before opset 22 (onnx/defs/nn/old.cc).
            s["ceilMode"] = .name(opset < (mode == .lp ? 18 : 10) ? "not_available" : "drop_window_starting_in_padding")
            s["divisor"] = .name(includePad ? "padded_window" : "real_cells")
            // onnxruntime pool_base.h LpPool::Process: `y += pow(abs(x), p)`.
            s["lp"] = .name("sum_abs_x_pow_p")
            let order = p.indexOrder ?? .rowMajor
            kernelRules = FrameworkRules(maxScan: .strictFromFirstCell, emptyMax: .lowest, divisor: includePad ? .paddedWindow : .realCells,
                                         emptyAverage: .zero, lpAbsolute: true, lpZeroNorm: .zero,
                                         indexForm: IndexForm(space: .tensorChannelsFirst, columnMajor: order == .columnMajor, none: nil))
            (ceilRule, emptyWindows) = (.dropStartingInPadding, true)
            indexRules(&s, base: 0, space: .tensorChannelsFirst, order: order)
        case .jax:
            // StableHLO maximum (IEEE-754); XLA SelectAndScatter with select = ge (windowed_reductions.py).
            s["nan"] = .name("nan_propagates_gradient_to_first_max_after_last_nan")
            s["signedZero"] = .name("value_positive_zero_gradient_first_zero")
            s["padding"] = .name("negative_infinity_takes_part")
            s["emptyWindow"] = .name("max_negative_infinity_avg_quotient")
            s["ceilMode"] = .name("not_available")
            // flax/linen/pooling.py avg_pool: `y / np.prod(window_shape)` with count_include_pad.
            s["divisor"] = .name(includePad ? "kernel" : "real_cells")
            s["lp"] = .name("not_available")
            kernelRules = FrameworkRules(maxScan: .xla, emptyMax: .negativeInfinity, divisor: includePad ? .kernel : .realCells,
                                         emptyAverage: .quotient, lpAbsolute: true, lpZeroNorm: .zero,
                                         indexForm: IndexForm(space: .plane))
            (ceilRule, emptyWindows) = (.dropStartingInPadding, true)
            s["indexBase"] = .name("none")
            s["indexSpace"] = .name("none")
            s["indexOrder"] = .name("none")
        case .torch7:
            // nn/lib/THNN/generic/SpatialDilatedMaxPooling.c: maxval = -THInf; `if (val > maxval)`.
            s["nan"] = .name("nan_never_wins_from_lowest_finite")
            s["signedZero"] = .name("tie_first_selected")
            s["padding"] = .name("excluded")
            s["emptyWindow"] = .name("max_lowest_finite_index_0_avg_nan_at_end_zero_past")
            s["ceilMode"] = .name("drop_window_starting_in_padding_only_when_padded")
            s["divisor"] = .name(includePad ? "padded_window" : "real_cells")
            // nn/SpatialLPPooling.lua: Power(p) → SpatialAveragePooling → MulConstant(kW·kH) → Power(1/p).
            s["lp"] = .name("sum_x_pow_p")
            kernelRules = FrameworkRules(maxScan: .strictFromLowest, emptyMax: .lowest,
                                         divisor: includePad ? .paddedWindow : .realCells, emptyAverage: .torch7Extents,
                                         lpAbsolute: false, lpZeroNorm: .torch7,
                                         indexForm: IndexForm(space: .plane, base: 1, none: 0))
            (ceilRule, emptyWindows) = (.dropWhenPadded, true)
            indexRules(&s, base: 1, space: .plane, order: .rowMajor)
        }
        if s["ties"] == nil { s["ties"] = .name("first") }
        let ordered = RuleSummary.ordered(s)
        return ConventionSetting(convention: convention, opset: opset, kernelRules: kernelRules, ceilRule: ceilRule,
                                 allowsEmptyWindows: emptyWindows, hasIndices: hasIndices, summary: ordered)
    }

    private static func indexRules(_ s: inout RuleSummary, base: Int, space: IndexForm.Space, order: IndexOrder) {
        s["indexBase"] = .number(base)
        s["indexSpace"] = .name(space.rawValue)
        s["indexOrder"] = .name(order.rawValue)
    }
}

extension RuleSummary {
    /// `s` with `convention`, `opset`, then the rules in ``ruleNames`` order.
    static func ordered(_ s: RuleSummary) -> RuleSummary {
        var out = RuleSummary()
        for key in ["convention", "opset"] + ruleNames { if let v = s[key] { out[key] = v } }
        return out
    }
}

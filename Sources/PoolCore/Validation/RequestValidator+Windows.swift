import Pooling
import RequestDecoding

extension RequestValidator {
    /// The window forms of the contract.
    enum WindowChoice { case fixed, adaptive, global, fractional }

    /// Which window form the parameters ask for; records conflicting fields.
    static func windowChoice(_ p: PoolParameters, fields: Fields, problems: inout ProblemList) -> WindowChoice? {
        let fixedFields = ["kernelSize", "stride", "padding", "dilation", "ceilMode"]
        if fields.given("fractional") {
            checkFractionalExclusions(fields, problems: &problems)
            return p.fractional == nil ? nil : .fractional
        }
        if p.global == true {
            for name in fixedFields + ["outputSize"] where fields.given(name) {
                problems.add(.root / name, "is not allowed with \"global\": true (one window over all spatial dims)")
            }
            return .global
        }
        if fields.given("outputSize") {
            for name in fixedFields where fields.given(name) {
                problems.add(.root / name, "is not allowed with \"outputSize\" (adaptive pooling)")
            }
            return p.outputSize == nil ? nil : .adaptive
        }
        if !fields.given("kernelSize") {
            problems.add(.root / "kernelSize", "is required unless \"outputSize\" or \"global\": true is given")
            return nil
        }
        return p.kernelSize == nil ? nil : .fixed
    }

    /// The core's window spec for `d` spatial dims.
    static func windowSpec(_ window: WindowChoice, _ p: PoolParameters, _ d: Int) -> WindowSpec {
        switch window {
        case .fractional: preconditionFailure("fractional windows are built by fractionalWindows(_:_:inputShape:d:limits:problems:)")
        case .global: return .global
        case .adaptive: return .adaptive(outputSize: p.outputSize!.expanded(to: d))
        case .fixed:
            let kernel = p.kernelSize!.expanded(to: d)
            return .fixed(kernel: kernel, stride: p.stride?.expanded(to: d) ?? kernel, padding: padding(p.padding, d),
                          dilation: p.dilation?.expanded(to: d) ?? Array(repeating: 1, count: d), ceilMode: p.ceilMode ?? false)
        }
    }

    private static func padding(_ value: PaddingValue?, _ d: Int) -> Padding {
        switch value {
        case nil: return .symmetric(Array(repeating: 0, count: d))
        case .int(let v)?: return .symmetric(Array(repeating: v, count: d))
        case .list(let l)?: return .symmetric(l)
        case .explicit(let begin, let end)?: return .explicit(begin: begin, end: end)
        case .named(.valid)?: return .valid
        case .named(.same)?: return .same
        case .named(.sameLower)?: return .sameLower
        }
    }

    /// Records a geometry error at the field responsible for it (per axis when the field is a list).
    static func report(_ error: GeometryError, _ p: PoolParameters, inputPointer: JSONPointer, limits: Limits,
                       problems: inout ProblemList) {
        func at(_ field: String, isList: Bool) -> JSONPointer {
            let pointer = JSONPointer.root / field
            guard let axis = error.axis, isList else { return pointer }
            return pointer / axis
        }
        let paddingIsList: Bool = { if case .list? = p.padding { return true } else { return false } }()
        switch error.kind {
        case .rank, .emptyDimension:
            problems.add(inputPointer, error.message)
        case .fractional:
            problems.add(.root / "fractional", error.message)
        case .overflow:
            // No flag raises a 64-bit integer: the parameters themselves are out of reach (422).
            problems.add(windowPointer(p), error.message)
        case .tooLarge:
            // The output is too large: the field that sizes it is the adaptive size, the padding
            // or the stride (or the kernel, which the stride defaults to).
            let field = p.outputSize != nil ? "outputSize" : p.padding != nil ? "padding" : p.stride != nil ? "stride" : "kernelSize"
            problems.addLimit(.root / field, error.message + " (raise it with \(ServiceNames.Flag.maxElements))")
        case .emptyOutput:
            if p.outputSize != nil {
                problems.add(at("outputSize", isList: p.outputSize?.listCount != nil), error.message)
            } else {
                problems.add(at("kernelSize", isList: p.kernelSize?.listCount != nil), error.message)
            }
        case .windowOutsideInput:
            if p.padding != nil {
                problems.add(at("padding", isList: paddingIsList), error.message)
            } else {
                problems.add(at("dilation", isList: p.dilation?.listCount != nil), error.message)
            }
        }
    }
}

import RequestDecoding

/// Which fields a request gave: those that decoded, and those given with a value that did not
/// (decoding recorded a problem at them), so that the checks of which fields go together treat
/// a wrong value as given.
struct Fields {
    let decodeProblems: ProblemList
    let values: [String: Bool]

    /// Whether `name` was given (valid or not).
    func given(_ name: String) -> Bool {
        values[name] == true || decodeProblems.hasProblem(at: .root / name)
    }
}

extension PoolParameters {
    /// The parameter fields that decoded to a value.
    var decodedFields: [String: Bool] {
        let present: [(CodingKeys, Bool)] = [
            (.mode, mode != nil), (.layout, layout != nil), (.kernelSize, kernelSize != nil), (.stride, stride != nil),
            (.padding, padding != nil), (.dilation, dilation != nil), (.ceilMode, ceilMode != nil),
            (.countIncludePad, countIncludePad != nil), (.divisorOverride, divisorOverride != nil), (.p, p != nil), (.lpAbs, lpAbs != nil),
            (.outputSize, outputSize != nil), (.global, global != nil), (.ties, ties != nil), (.nan, nan != nil),
            (.dtype, dtype != nil), (.indexSpace, indexSpace != nil), (.indexOrder, indexOrder != nil), (.fractional, fractional != nil),
            (.convention, convention != nil), (.opset, opset != nil),
        ]
        return Dictionary(uniqueKeysWithValues: present.map { ($0.0.rawValue, $0.1) })
    }
}

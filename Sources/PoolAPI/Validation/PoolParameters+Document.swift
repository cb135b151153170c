/// The native API's reading and validation of pooling parameters, for other protocols that
/// carry the same parameters (the Open Inference Protocol's layer repository and `parameters`).
extension PoolParameters {
    /// The pooling parameters of `object` (a member of `document`), read as `/pool/forward` and
    /// `/pool/backward` read them: every type or range problem, and every member that is not a
    /// parameter (or is in `excluded`), is recorded in `problems` with its pointer.
    public static func read(_ object: JSONObject, in document: JSONDocument, excluded: Set<String> = [],
                            problems: inout ProblemList) -> PoolParameters {
        let reader = FieldReader(object: object, document: document, base: .root)
        reader.rejectUnknown(fieldNames.subtracting(excluded), problems: &problems)
        return PoolParameters(reading: reader, problems: &problems)
    }

    /// The job these parameters make for an input of `inputShape`, checked as the native
    /// endpoints check them (nil, with the problems recorded, when they do not fit; with a nil
    /// shape only the shape-free checks run and the result is nil).
    /// - Parameters:
    ///   - present: the parameter names the request gave (valid or not).
    ///   - inputPointer: where problems of the input's shape are recorded.
    public func job(present: Set<String>, inputShape: [Int]?, inputPointer: JSONPointer, limits: Limits,
                    problems: inout ProblemList) -> PoolJob? {
        RequestValidator.job(self, present: present, inputShape: inputShape, inputPointer: inputPointer,
                             limits: limits, problems: &problems)
    }
}

import TensorJSON

/// The native API's decoding and validation of pooling parameters, for other protocols that
/// carry the same parameters (the Open Inference Protocol's layer repository and `parameters`).
extension PoolParameters {
    /// The pooling parameters of `document`'s root object, decoded as `/pool/forward` and
    /// `/pool/backward` decode them: every type or range problem, and every member that is not a
    /// parameter (or is in `excluded`), is recorded in `problems` with its pointer.
    public static func decode(_ document: JSONDocument, excluded: Set<String> = [], problems: inout ProblemList) -> PoolParameters {
        let (parameters, found) = JSONDocumentDecoder().decode(PoolParameters.self, from: document)
        problems = found
        if case .object(let object) = document.root {
            for member in object.members where excluded.contains(member.key) {
                problems.add(.root / member.key, "unknown field \(Echo.quoted(member.key))")
            }
        }
        return parameters ?? PoolParameters()
    }

    /// The job these parameters make for an input of `inputShape`, checked as the native
    /// endpoints check them (nil, with the problems recorded, when they do not fit; with a nil
    /// shape only the shape-free checks run and the result is nil). The parameters must have
    /// decoded without problems.
    /// - Parameter inputPointer: where problems of the input's shape are recorded.
    /// - Parameter direction: what will be computed, for the cost held to `--max-work`.
    public func job(inputShape: [Int]?, inputPointer: JSONPointer, direction: WorkCost.Direction = .forward, limits: Limits,
                    problems: inout ProblemList) -> PoolJob? {
        RequestValidator.job(self, fields: Fields(decodeProblems: ProblemList(), values: decodedFields), returnParts: nil,
                             inputShape: inputShape, inputPointer: inputPointer, direction: direction, limits: limits, problems: &problems)
    }
}

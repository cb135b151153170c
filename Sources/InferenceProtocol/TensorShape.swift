import TensorJSON

/// Tensor shapes as the protocol's JSON writes them.
package enum TensorShape {
    /// The highest tensor rank accepted.
    package static let maxRank = 10

    /// The shape `value` writes (an array of 1 to ``maxRank`` integers ≥ 0), or a message that names `label`.
    package static func read(_ value: JSONValue?, in document: JSONDocument, label: String) throws(InferenceError) -> [Int] {
        guard let value else { throw .badRequest("\(label) needs a \"shape\" (an array of integers)") }
        guard let items = value.items, (1...maxRank).contains(items.count) else {
            throw .badRequest("\(label): \"shape\" must be an array of 1 to \(maxRank) integers")
        }
        var shape: [Int] = []
        for item in items {
            guard case .number(let n) = item, let d = Int(document.text(of: n)), d >= 0 else {
                throw .badRequest("\(label): \"shape\" must hold integers ≥ 0")
            }
            shape.append(d)
        }
        return shape
    }
}

import PoolCore
import TensorJSON
import Pooling

extension InferencePlan {
    /// The layer's parameters, with the request's merged in for a generic layer, and the
    /// `input_shape` parameter if given. Request parameters are OIP scalars: a string that
    /// starts with `[` or `{` is read as JSON text (`"kernelSize": "[3, 3]"`), any other value
    /// as itself.
    static func parameters(_ request: InferenceRequest, _ layer: LayerModel) throws(InferenceError) -> (PoolParameterSet, [Int]?) {
        var members: [PoolParameterSet.Member] = []
        var inputShape: [Int]?
        for (key, value) in request.parameters {
            if key == "input_shape" {
                inputShape = try shapeParameter(value, in: request.document)
                continue
            }
            guard layer.fromRequest else {
                throw .badRequest("model \(quoted(layer.name)) has its pooling parameters fixed by the layer repository, so request parameter \(quoted(key)) is not accepted (a model with \"fromRequest\": true, such as the built-in 'pool', takes them)")
            }
            let (item, document) = try member(value, key: key, in: request.document)
            members.append((key, item, document))
        }
        guard !members.isEmpty else { return (layer.parameters, inputShape) }
        let merged = layer.parameters.merged(with: members)
        guard merged.problems.isEmpty else { throw error(merged.problems, layer: layer) }
        return (merged, inputShape)
    }

    /// One request parameter's value and the document it lives in: a number or boolean where the
    /// header has it; a string that starts with `[` or `{` parsed as the list or object it writes.
    private static func member(_ value: JSONValue, key: String, in document: JSONDocument) throws(InferenceError) -> (JSONValue, JSONDocument) {
        guard case .string(let s) = value else { return (value, document) }
        let trimmed = s.trimmingCharacters(in: " \t\r\n")
        guard trimmed.hasPrefix("[") || trimmed.hasPrefix("{") else { return (value, document) }
        do {
            let inner = try JSONParser.parse(Array(trimmed.utf8))
            return (inner.root, inner)
        } catch {
            throw .badRequest("request parameter \(quoted(key)) is not valid JSON text: \(error.message) at byte \(error.offset)")
        }
    }

    /// `input_shape`: a JSON list as text (`"[1, 64, 112, 112]"`).
    private static func shapeParameter(_ value: JSONValue, in document: JSONDocument) throws(InferenceError) -> [Int] {
        let label = "parameter 'input_shape'"
        guard case .string(let s) = value else { throw .badRequest("\(label) must be a JSON list of integers as text, such as \"[1, 64, 112, 112]\"") }
        guard let inner = try? JSONParser.parse(Array(s.utf8)) else {
            throw .badRequest("\(label) must be a JSON list of integers as text, such as \"[1, 64, 112, 112]\"")
        }
        return try TensorShape.read(inner.root, in: inner, label: label)
    }

    /// The native validator's problems as one error: 413 when all are size limits, else 400;
    /// each named as the protocol names it (input 'INPUT', parameter 'kernelSize/1', ...).
    static func error(_ problems: ProblemList, layer: LayerModel) -> InferenceError {
        var parts = problems.problems.map { problem -> String in
            let place = describe(problem.pointer, layer: layer)
            return place.isEmpty ? problem.detail : place + ": " + problem.detail
        }
        if problems.dropped > 0 { parts.append("and \(problems.dropped) more") }
        return InferenceError(status: problems.tooLarge ? 413 : 400, parts.joined(separator: "; "))
    }

    /// What a core pointer points at, in the protocol's words: the core's tensor roles are the
    /// layer's inputs, `inputShape` is the `input_shape` parameter, the rest are parameters.
    private static func describe(_ pointer: String, layer: LayerModel) -> String {
        guard !pointer.isEmpty else { return "" }
        var tokens = pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if let first = tokens.first, let role = LayerInput(role: first) {
            return "input '\(role.rawValue)'" + (tokens.count > 1 ? " " + tokens.dropFirst().joined(separator: "/") : "")
        }
        if tokens.first == "inputShape" { tokens[0] = "input_shape" }
        let pointer = "/" + tokens.joined(separator: "/")
        let name = "parameter '\(pointer.dropFirst())'"
        return layer.fromRequest || tokens.first == "input_shape" ? name : "model \(quoted(layer.name)) \(name) (from the layer repository)"
    }
}

import MicroHTTP
import PoolAPI
import TensorJSON
import Pooling

/// A layer's pooling parameters in the native API's terms: each member's JSON text (so that
/// sets can be merged: a generic layer's defaults with a request's parameters), and the
/// parameters read from them by the native reader, with the native validation and messages.
///
/// This type is the one place where the inference protocol calls the native API's parameter
/// reading and validation.
struct PoolParameterSet: Sendable {
    /// Native fields that the inference protocol expresses otherwise: tensors are binary or
    /// flat JSON data (`return` is not a parameter: `outputs` says what is returned).
    static let excluded: Set<String> = ["encoding"]

    /// Each parameter's name and JSON text, in order.
    let members: [(name: String, text: [UInt8])]
    /// The parameters as the native reader read them.
    let parameters: PoolParameters

    /// The names given.
    var present: Set<String> { Set(members.map(\.name)) }

    /// The mode (max unless given).
    var mode: PoolMode { parameters.mode ?? .max }

    /// Reads `members` as native parameters; type and range problems, and names that are not
    /// parameters, are recorded with pointers `/NAME...`. Nil when the text is not JSON (a
    /// member whose text was not checked by its caller).
    static func read(_ members: [(name: String, text: [UInt8])], problems: inout ProblemList) -> PoolParameterSet? {
        var text: [UInt8] = [UInt8(ascii: "{")]
        for (k, member) in members.enumerated() {
            if k > 0 { text.append(UInt8(ascii: ",")) }
            text += Array(Response.jsonQuoted(member.name).utf8)
            text.append(UInt8(ascii: ":"))
            text += member.text
        }
        text.append(UInt8(ascii: "}"))
        guard let document = try? JSONParser.parse(text), case .object = document.root else { return nil }
        let parameters = PoolParameters.decode(document, excluded: excluded, problems: &problems)
        return PoolParameterSet(members: members, parameters: parameters)
    }

    /// This set with `overrides` replacing or adding members.
    func merged(with overrides: [(name: String, text: [UInt8])], problems: inout ProblemList) -> PoolParameterSet? {
        let replaced = Set(overrides.map(\.name))
        return Self.read(members.filter { !replaced.contains($0.name) } + overrides, problems: &problems)
    }

    /// The native validation for an input of `inputShape` (nil: the shape-free checks only).
    func job(inputShape: [Int]?, inputPointer: JSONPointer, direction: WorkCost.Direction = .forward, limits: Limits,
             problems: inout ProblemList) -> PoolJob? {
        parameters.job(inputShape: inputShape, inputPointer: inputPointer, direction: direction, limits: limits, problems: &problems)
    }
}


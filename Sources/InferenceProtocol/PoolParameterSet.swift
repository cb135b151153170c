import PoolCore
import TensorJSON

/// A layer's pooling parameters: each member's value where it was parsed (the layer
/// repository's file, the request's header, or a list given as text), so that sets can be
/// merged — a generic layer's defaults with a request's parameters — and the core's parameters
/// decoded from them, with the core's rules and messages and no JSON text in between.
package struct PoolParameterSet: Sendable {
    /// One parameter: its name, its value, and the document the value was parsed from.
    package typealias Member = (key: String, value: JSONValue, document: JSONDocument)

    /// The members, in order.
    package let members: [Member]
    /// The parameters decoded from them.
    package let parameters: PoolParameters
    /// What decoding found wrong (type and range problems, names that are not parameters), with
    /// pointers `/NAME...`.
    package let problems: ProblemList

    /// The names given.
    package var present: Set<String> { Set(members.map(\.key)) }

    /// The mode (max unless given).
    package var mode: PoolMode { parameters.mode ?? .max }

    /// Decodes `members` as the core's parameters.
    package init(_ members: [Member]) {
        self.members = members
        let (parameters, problems) = JSONDocumentDecoder().decode(PoolParameters.self, members: members)
        self.parameters = parameters ?? PoolParameters()
        self.problems = problems
    }

    /// This set with `overrides` replacing or adding members.
    package func merged(with overrides: [Member]) -> PoolParameterSet {
        let replaced = Set(overrides.map(\.key))
        return PoolParameterSet(members.filter { !replaced.contains($0.key) } + overrides)
    }
}

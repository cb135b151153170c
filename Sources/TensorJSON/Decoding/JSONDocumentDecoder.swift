/// Decodes Codable models from a parsed ``JSONDocument``, recording every problem with its JSON
/// pointer instead of stopping at the first.
///
/// - A member given with a value of the wrong type or range is recorded where the model decodes
///   it with `decodeIfPresent`, and decodes as nil, so that the rest of the model is still read.
///   `null` is a value like any other (and a wrong one for every field that is not optional JSON).
/// - Members an object's models do not name in their `CodingKeys` (which must be `CaseIterable`
///   for this check) are recorded as unknown fields, and a repeated member as a duplicate.
/// - Integers are read exactly from their text (a JSON integer literal, no fraction or exponent),
///   floats correctly rounded, never through Foundation's `JSONDecoder`.
/// - A ``TensorPayload`` keeps its place in the document: only its form and shape are checked
///   (its element count held to ``maxElements``); its elements are read later, in the type wanted.
public struct JSONDocumentDecoder: Sendable {
    /// The most elements a tensor may have (a larger one is a size-limit problem).
    public var maxElements: Int

    /// A decoder that holds tensors to `maxElements` elements.
    public init(maxElements: Int = .max) {
        self.maxElements = maxElements
    }

    /// The model of `document`'s root as `T`, and every problem found; the model is nil only
    /// when its root could not be decoded at all.
    public func decode<T: Decodable>(_ type: T.Type, from document: JSONDocument) -> (value: T?, problems: ProblemList) {
        let state = DocumentState(document: document, maxElements: maxElements)
        let decoder = DocumentValueDecoder(state: state, value: document.root, codingPath: [])
        var value: T?
        do {
            value = try T(from: decoder)
        } catch {
            state.record(error)
        }
        state.checkMembers()
        return (value, state.problems)
    }
}

/// Thrown by a model that has already recorded its problems (through ``Swift/Decoder/record(_:)``):
/// the document decoder records nothing more for it.
public struct ProblemsRecorded: Error {
    /// The marker.
    public init() {}
}

/// What a document decoder found where a value did not fit: the JSON type, or for numbers and
/// strings the value itself (cut), for messages such as "must be an integer, got 2.5".
public struct ValueMismatch: Error, Sendable {
    /// Whether the value had the wrong type or was out of the type's range.
    public enum Kind: Sendable { case type, range }

    /// What was wrong.
    public let kind: Kind
    /// What was found, as a message says it: "a string", "null", "2.5".
    public let found: String
}

extension Error {
    /// What a ``JSONDocumentDecoder`` found where this decoding error happened, when it said.
    public var mismatch: ValueMismatch? {
        switch self as? DecodingError {
        case .typeMismatch(_, let context)?, .dataCorrupted(let context)?, .valueNotFound(_, let context)?:
            return context.underlyingError as? ValueMismatch
        default:
            return nil
        }
    }
}

extension Decoder {
    /// A decoding error at this decoder's path that reads `detail` (the recorded problem's text).
    public func problem(_ detail: String) -> DecodingError {
        .dataCorrupted(DecodingError.Context(codingPath: codingPath, debugDescription: detail))
    }

    /// Under a ``JSONDocumentDecoder``, records `error` as a problem and returns, so that a model
    /// can go on reading the rest of its value; under any other decoder, throws it.
    public func record(_ error: any Error) throws {
        guard let d = self as? DocumentValueDecoder else { throw error }
        d.state.record(error)
    }
}

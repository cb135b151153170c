/// The conventions by which a `Decodable` model records every problem of a request instead of
/// stopping at the first, whatever wire format its decoder reads: a model throws
/// ``Swift/Decoder/problem(_:)`` for its own rules, records a member's error and goes on with
/// ``Swift/Decoder/record(_:)``, and reads what a decoder found from ``Swift/Error/mismatch``.

/// Thrown by a model that has already recorded its problems (through ``Swift/Decoder/record(_:)``):
/// the decoder records nothing more for it.
public struct ProblemsRecorded: Error {
    /// The marker.
    public init() {}
}

/// What a decoder found where a value did not fit: the wire type, or for numbers and strings
/// the value itself (cut), for messages such as "must be an integer, got 2.5".
public struct ValueMismatch: Error, Sendable {
    /// Whether the value had the wrong type or was out of the type's range.
    public enum Kind: Sendable { case type, range }

    /// What was wrong.
    public let kind: Kind
    /// What was found, as a message says it: "a string", "null", "2.5".
    public let found: String

    public init(kind: Kind, found: String) {
        self.kind = kind
        self.found = found
    }
}

/// A decoder that collects problems: ``Swift/Decoder/record(_:)`` hands it errors to keep.
public protocol ProblemCollectingDecoder: Decoder {
    /// Keeps `error` as a problem at its coding path.
    func collect(_ error: any Error)
}

/// A decoder that can read a tensor in whatever forms its wire format has.
public protocol TensorDecoder: Decoder {
    /// The tensor at this decoder's value (its problems recorded; ``ProblemsRecorded`` when there were any).
    func decodeTensor() throws -> any TensorSource
}

extension Error {
    /// What the decoder found where this decoding error happened, when it said.
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

    /// Under a ``ProblemCollectingDecoder``, records `error` as a problem and returns, so that a
    /// model can go on reading the rest of its value; under any other decoder, throws it.
    public func record(_ error: any Error) throws {
        guard let d = self as? any ProblemCollectingDecoder else { throw error }
        d.collect(error)
    }
}

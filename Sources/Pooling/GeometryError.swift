/// A pooling request whose shapes do not fit together.
public struct GeometryError: Error, Equatable, CustomStringConvertible, Sendable {
    /// What is wrong.
    public enum Kind: Sendable, Equatable {
        /// The input rank is not 2 + the spec's number of spatial dimensions (or is below 3).
        case rank
        /// A dimension of the input is 0.
        case emptyDimension
        /// A spatial output size would be below 1.
        case emptyOutput
        /// A window holds no real input cell (only padding).
        case windowOutsideInput
        /// Fractional windows that do not fit the input (samples outside [0, 1), an output too
        /// large for the kernel, boundaries that do not cover the axis).
        case fractional
        /// The output would have more elements than the caller's limit.
        case tooLarge
        /// A count (window cells, output elements, work) does not fit a 64-bit integer.
        case overflow
    }

    public let kind: Kind
    /// The spatial dimension concerned (0-based), or nil when the error is not about one.
    public let axis: Int?
    /// A message naming the dimension and the values, for people.
    public let message: String

    public init(_ kind: Kind, axis: Int?, _ message: String) {
        self.kind = kind
        self.axis = axis
        self.message = message
    }

    public var description: String { message }
}

/// The element types the core computes in: `Float` and `Double`.
///
/// The conversions are requirements, so that the kernels convert with one concrete instruction
/// rather than through the standard library's generic `BinaryFloatingPoint` initializers.
public protocol PoolScalar: BinaryFloatingPoint, Sendable {
    /// The value rounded from a `Double`.
    init(double: Double)
    /// The value as a `Double` (exact).
    var double: Double { get }
}

extension Float: PoolScalar {
    @inlinable public init(double: Double) { self = Float(double) }
    @inlinable public var double: Double { Double(self) }
}

extension Double: PoolScalar {
    @inlinable public init(double: Double) { self = double }
    @inlinable public var double: Double { self }
}

/// Namespace of the pooling kernels: max, average and Lp, forward and backward.
///
/// Every function takes and returns flat row-major arrays in the geometry's layout, and
/// assumes the geometry was built for the array's shape.
public enum Pool {}

/// The element types the core computes in: `Float` and `Double`.
///
/// The conversions are requirements, so that the kernels convert with one concrete instruction
/// rather than through the standard library's generic `BinaryFloatingPoint` initializers.
public protocol PoolScalar: BinaryFloatingPoint, Sendable {
    /// The value rounded from a `Double`.
    init(double: Double)
    /// The value as a `Double` (exact).
    var double: Double { get }
    /// An integer that orders values as max pooling with NaN propagation does: every NaN above
    /// +∞ (all NaNs equal), −0 equal to +0, otherwise the numeric order. Branch-free, so that
    /// kernels can select without unpredictable branches.
    var maxKey: Int64 { get }
}

extension Float: PoolScalar {
    @inlinable public init(double: Double) { self = Float(double) }
    @inlinable public var double: Double { Double(self) }
    @inlinable public var maxKey: Int64 {
        let bits = Int32(bitPattern: bitPattern)
        let magnitude = bits & 0x7FFF_FFFF
        let sign = bits >> 31
        let key = Int64((magnitude ^ sign) &- sign)
        return magnitude > 0x7F80_0000 ? Int64.max : key
    }
}

extension Double: PoolScalar {
    @inlinable public init(double: Double) { self = double }
    @inlinable public var double: Double { self }
    @inlinable public var maxKey: Int64 {
        let bits = Int64(bitPattern: bitPattern)
        let magnitude = bits & 0x7FFF_FFFF_FFFF_FFFF
        let sign = bits >> 63
        let key = (magnitude ^ sign) &- sign
        return magnitude > 0x7FF0_0000_0000_0000 ? Int64.max : key
    }
}

/// Namespace of the pooling kernels: max, average and Lp, forward and backward.
///
/// Every function takes and returns flat row-major arrays in the geometry's layout, and
/// assumes the geometry was built for the array's shape.
public enum Pool {}

/// The element types the core computes in: `Float` and `Double`.
public protocol PoolScalar: BinaryFloatingPoint, Sendable {}

extension Float: PoolScalar {}
extension Double: PoolScalar {}

/// Namespace of the pooling kernels: max, average and Lp, forward and backward.
///
/// Every function takes and returns flat row-major arrays in the geometry's layout, and
/// assumes the geometry was built for the array's shape.
public enum Pool {}

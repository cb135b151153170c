/// One of the four max rules the fast kernels implement (``TieRule/first`` or
/// ``TieRule/last`` × ``NaNPolicy``), as a type so that the choice is made once per call and
/// the hot loops carry no branch on it. The rule decides whether a value `v`, met after the
/// running maximum `m` in scan order (row-major over the kernel offsets), replaces it:
///
/// - propagate, first: `v > m` or `v` is NaN (the last NaN of a window wins, as in PyTorch)
/// - propagate, last:  `v ≥ m` or `v` is NaN
/// - ignore, first:    `v > m`, or `m` is NaN and `v` is not
/// - ignore, last:     `v ≥ m`, or `m` is NaN
///
/// These are ``MaxSelection/wins(_:over:)``'s answers for every pair of values.
protocol MaxRule {
    static var propagate: Bool { get }
    static var preferLast: Bool { get }
}

extension MaxRule {
    /// Whether `v` replaces `m`.
    @inline(__always)
    static func takes<T: BinaryFloatingPoint>(_ v: T, over m: T) -> Bool {
        if propagate { return (preferLast ? v >= m : v > m) || v.isNaN }
        return preferLast ? (v >= m || m.isNaN) : (v > m || (m.isNaN && !v.isNaN))
    }
}

/// NaN propagates, first of ties (the defaults; PyTorch's and TensorFlow's rule).
enum FirstPropagate: MaxRule {
    static var propagate: Bool { true }
    static var preferLast: Bool { false }
}

/// NaN propagates, last of ties.
enum LastPropagate: MaxRule {
    static var propagate: Bool { true }
    static var preferLast: Bool { true }
}

/// NaN ignored, first of ties.
enum FirstIgnore: MaxRule {
    static var propagate: Bool { false }
    static var preferLast: Bool { false }
}

/// NaN ignored, last of ties.
enum LastIgnore: MaxRule {
    static var propagate: Bool { false }
    static var preferLast: Bool { true }
}

/// A tensor as a wire holds it, before its elements are read: its shape now, its values when a
/// computation asks for them in the type it computes in. What the front ends hand the core.
public protocol TensorSource: Sendable {
    /// The shape, outermost dimension first.
    var shape: [Int] { get }
    /// The elements as float32, or nil after recording why not (with its pointer).
    func read(_: Float.Type, problems: inout ProblemList) -> [Float]?
    /// The elements as float64, or nil after recording why not.
    func read(_: Double.Type, problems: inout ProblemList) -> [Double]?
    /// The elements as int64 (indices), or nil after recording why not.
    func read(_: Int64.Type, problems: inout ProblemList) -> [Int64]?
    /// Where element `position` (row-major) is, for a problem that names it.
    func pointer(ofElement position: Int) -> JSONPointer
}

/// A tensor whose values are already in memory (built by a client in Swift, or drawn).
public struct TensorValues: TensorSource, Equatable {
    public let shape: [Int]
    public let values: [Double]
    /// Where problems with it are recorded.
    public let at: JSONPointer

    public init(shape: [Int], values: [Double], at: JSONPointer = .root) {
        self.shape = shape
        self.values = values
        self.at = at
    }

    public func read(_: Float.Type, problems: inout ProblemList) -> [Float]? { values.map(Float.init) }
    public func read(_: Double.Type, problems: inout ProblemList) -> [Double]? { values }
    public func read(_: Int64.Type, problems: inout ProblemList) -> [Int64]? {
        var out: [Int64] = []
        out.reserveCapacity(values.count)
        for (k, v) in values.enumerated() {
            guard let i = Int64(exactly: v) else {
                problems.add(pointer(ofElement: k), "must be an integer, got \(v)")
                return nil
            }
            out.append(i)
        }
        return out
    }
    public func pointer(ofElement position: Int) -> JSONPointer { at / position }

    public static func == (a: TensorValues, b: TensorValues) -> Bool {
        a.shape == b.shape && a.values.count == b.values.count
            && zip(a.values, b.values).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
    }
}

/// The one overflow-checked element count of a shape.
public enum ElementCount {
    /// The product of `shape`, or nil when it overflows an `Int` or a dimension is negative.
    public static func of(_ shape: [Int]) -> Int? {
        var count = 1
        for n in shape {
            let (r, overflow) = count.multipliedReportingOverflow(by: n)
            if overflow || n < 0 { return nil }
            count = r
        }
        return count
    }
}

extension ProblemList {
    /// Records a member that the object it is in does not have: the one message for it.
    public mutating func addUnknownField(_ at: JSONPointer, _ key: String) {
        add(at, "unknown field \(Echo.quoted(key))")
    }
}

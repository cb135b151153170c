import Pooling
import RequestDecoding

/// The types the core computes in (`Float`, `Double`): a pooling scalar that a wire tensor can
/// be read as.
public protocol ComputeScalar: PoolScalar {
    /// The elements of `source` in this type, or nil after recording why not.
    static func read(_ source: any TensorSource, problems: inout ProblemList) -> [Self]?
    /// The outcome that carries a result of this type.
    static func outcome(_ result: PoolResult<Self>) -> PoolOutcome
}

extension Float: ComputeScalar {
    public static func read(_ source: any TensorSource, problems: inout ProblemList) -> [Float]? { source.read(Float.self, problems: &problems) }
    public static func outcome(_ result: PoolResult<Float>) -> PoolOutcome { .float(result) }
}

extension Double: ComputeScalar {
    public static func read(_ source: any TensorSource, problems: inout ProblemList) -> [Double]? { source.read(Double.self, problems: &problems) }
    public static func outcome(_ result: PoolResult<Double>) -> PoolOutcome { .double(result) }
}

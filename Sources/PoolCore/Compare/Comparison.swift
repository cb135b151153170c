import Pooling
import RequestDecoding

/// What `/pool/compare` found: each convention's answer, which agree, and where they differ.
public struct Comparison: Sendable {
    /// One convention's answer, or why its framework cannot express the layer.
    public struct Answer: Sendable {
        public let convention: Convention
        /// The resolved rules (nil when refused).
        public let setting: ConventionSetting?
        public let geometry: PoolGeometry?
        public let output: [Double]?
        /// Indices in the convention's own form.
        public let indices: [Int64]?
        public let gradInput: [Double]?
        /// The fields the framework cannot express, each with why and the workaround.
        public let refusals: ProblemList?
        /// The call that reproduces the answer in the framework.
        public let call: String?
    }

    /// Conventions that agree on one tensor.
    public struct Agreement: Sendable {
        public let tensor: String
        public let groups: [[Convention]]
    }

    /// Cells where two conventions differ on one tensor, for one rule.
    public struct Difference: Sendable {
        public let tensor: String
        public let conventions: (Convention, Convention)
        /// The rule whose different resolution explains the cells (a ``RuleSummary`` key), or
        /// "shape" when the tensors' shapes differ.
        public let rule: String
        /// The first cells (at most ``cellLimit``): position in the tensor and both values.
        public let cells: [(at: [Int], values: (Double, Double))]
        public let cellCount: Int
        /// The two shapes when they differ.
        public let shapes: ([Int], [Int])?
    }

    public static let cellLimit = 100

    public let answers: [Answer]
    public let agreement: [Agreement]
    public let differences: [Difference]
    public let dtype: ComputeType
}

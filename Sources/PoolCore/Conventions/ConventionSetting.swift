import Pooling

/// A request's convention resolved against its mode and fields: the rules the kernels apply,
/// how ceil mode and empty windows go, and the summary its answer carries as `rules`.
public struct ConventionSetting: Sendable, Equatable {
    public let convention: Convention
    /// The ONNX opset (onnx only).
    public let opset: Int?
    /// The rules of ``Pool/conventionForward(_:geometry:function:rules:indices:mask:cancellation:)``;
    /// nil for PyTorch, whose rules the fast kernels apply with the contract's options.
    public let kernelRules: FrameworkRules?
    public let ceilRule: CeilRule
    /// Whether a window of padding alone is computed (as the framework does) rather than refused.
    public let allowsEmptyWindows: Bool
    /// Whether the framework's op for this call returns indices (JAX never; TensorFlow only
    /// through `max_pool_with_argmax`: 1-D or 2-D, no dilation, "same" or "valid").
    public let hasIndices: Bool
    public let summary: RuleSummary

    /// How the answer numbers max indices (PyTorch's: per plane, row-major, from 0).
    public var indexForm: IndexForm { kernelRules?.indexForm ?? IndexForm(space: .plane) }
}

/// A framework whose pooling rules a call can follow: where frameworks differ (NaN, ties in the
/// gradient, signed zero, padding, ceil mode, the average's divisor, lp's |x|, indices), the
/// convention decides. Each rule is cited in ``ConventionSetting``.
public enum Convention: String, Codable, Sendable, CaseIterable {
    /// PyTorch 2 (`torch.nn.functional.*_pool*d`): the contract's defaults.
    case pytorch
    /// TensorFlow 2 (`tf.nn.max_pool_with_argmax`, `tf.nn.max_pool2d`, `tf.nn.avg_pool2d`, `tf.nn.pool`).
    case tensorflow
    /// ONNX (`MaxPool`, `AveragePool`, `LpPool` at an `opset`), as onnxruntime computes it.
    case onnx
    /// JAX (`lax.reduce_window` and its gradient; also what flax.linen's pools give).
    case jax
    /// Torch7 (lua `nn.SpatialMaxPooling`, `SpatialDilatedMaxPooling`, `SpatialAveragePooling`,
    /// `SpatialLPPooling`), from its source.
    case torch7

    /// The newest ai.onnx opset: the default of `opset` (MaxPool, AveragePool and LpPool last
    /// changed at 22).
    public static let newestOpset = 22
}

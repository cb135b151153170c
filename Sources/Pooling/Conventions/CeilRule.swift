/// Which windows ceil mode keeps at the end of an axis, when rounding the output size up adds a
/// window that would start in the end padding (or past the input, without padding).
public enum CeilRule: Sendable, Equatable {
    /// Such a window is dropped (PyTorch, `Pool.h` `pooling_output_shape_pad_lr`; ONNX from opset 22).
    case dropStartingInPadding
    /// Dropped only when some axis has padding (Torch7, `SpatialDilatedMaxPooling.c`: "ensure that
    /// the last pooling starts inside the image" runs under `if (padW || padH)`).
    case dropWhenPadded
}

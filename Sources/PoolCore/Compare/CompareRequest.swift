/// A `/pool/compare` call: one layer (`base`, without a convention) computed under several
/// conventions, its forward and, with a gradient of the output, its backward.
public struct CompareRequest: Sendable {
    public var base: PoolRequest
    public var conventions: [Convention]

    /// `base.kind` is `.forward`, or `.both` when a gradOutput is given.
    public init(base: PoolRequest, conventions: [Convention] = Convention.allCases) {
        self.base = base
        self.conventions = conventions
    }

    /// The request of one convention: the layer's stride made explicit (the contract's default,
    /// the kernel), so that every framework computes the same windows, and the opset kept for ONNX.
    func request(_ convention: Convention) -> PoolRequest {
        var r = base
        r.parameters.convention = convention
        if r.parameters.stride == nil, r.parameters.kernelSize != nil { r.parameters.stride = r.parameters.kernelSize }
        if convention != .onnx { r.parameters.opset = nil }
        r.returnParts = nil
        return r
    }
}

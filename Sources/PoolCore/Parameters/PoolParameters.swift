import Pooling
import RequestDecoding

/// The pooling parameters shared by both endpoints, as the client wrote them (nil = not given).
///
/// Decoding checks each field on its own (type, range, the values of an enumeration);
/// ``RequestValidator`` checks what needs several fields together or the input's shape.
public struct PoolParameters: Codable, Equatable, Sendable {
    public var mode: PoolMode?
    public var layout: Layout?
    public var kernelSize: IntOrList?
    public var stride: IntOrList?
    public var padding: PaddingValue?
    public var dilation: IntOrList?
    public var ceilMode: Bool?
    public var countIncludePad: Bool?
    public var divisorOverride: Int?
    public var p: Double?
    /// lp only: false computes PyTorch's `lp_pool` (Σxᵖ without the absolute value); default true.
    public var lpAbs: Bool?
    public var outputSize: IntOrList?
    public var global: Bool?
    public var ties: TieRule?
    public var nan: NaNPolicy?
    public var dtype: ComputeType?
    public var indexSpace: IndexSpace?
    /// How indices count the spatial dims (max only).
    public var indexOrder: IndexOrder?
    /// Fractional max pooling's windows instead of the regular ones (max only).
    public var fractional: FractionalParameters?
    /// The framework whose rules the call follows wherever frameworks differ (nil: the contract's
    /// own defaults, which are PyTorch's).
    public var convention: Convention?
    /// The ONNX opset (`convention: "onnx"` only; default ``Convention/newestOpset``).
    public var opset: Int?

    /// No parameter given.
    public init() {}

    /// The wire names.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case mode, layout, kernelSize, stride, padding, dilation, ceilMode, countIncludePad, divisorOverride, p, lpAbs
        case outputSize, global, ties, nan, dtype, indexSpace, indexOrder, fractional, convention, opset
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        mode = try c.decodeIfPresent(WireChoice<PoolMode>.self, forKey: .mode)?.value
        layout = try c.decodeIfPresent(WireChoice<Layout>.self, forKey: .layout)?.value
        kernelSize = try c.decodeIfPresent(IntOrList.self, forKey: .kernelSize)
        stride = try c.decodeIfPresent(IntOrList.self, forKey: .stride)
        padding = try c.decodeIfPresent(PaddingValue.self, forKey: .padding)
        dilation = try c.decodeIfPresent(IntOrList.self, forKey: .dilation)
        ceilMode = try c.decodeIfPresent(Bool.self, forKey: .ceilMode)
        countIncludePad = try c.decodeIfPresent(Bool.self, forKey: .countIncludePad)
        divisorOverride = try c.decodeIfPresent(BoundedInt<Positive>.self, forKey: .divisorOverride)?.value
        p = try c.decodeIfPresent(PositiveNumber.self, forKey: .p)?.value
        lpAbs = try c.decodeIfPresent(Bool.self, forKey: .lpAbs)
        outputSize = try c.decodeIfPresent(IntOrList.self, forKey: .outputSize)
        global = try c.decodeIfPresent(Bool.self, forKey: .global)
        ties = try c.decodeIfPresent(WireChoice<TieRule>.self, forKey: .ties)?.value
        nan = try c.decodeIfPresent(WireChoice<NaNPolicy>.self, forKey: .nan)?.value
        dtype = try c.decodeIfPresent(WireChoice<ComputeType>.self, forKey: .dtype)?.value
        indexSpace = try c.decodeIfPresent(WireChoice<IndexSpace>.self, forKey: .indexSpace)?.value
        indexOrder = try c.decodeIfPresent(WireChoice<IndexOrder>.self, forKey: .indexOrder)?.value
        fractional = try c.decodeIfPresent(FractionalParameters.self, forKey: .fractional)
        convention = try c.decodeIfPresent(WireChoice<Convention>.self, forKey: .convention)?.value
        opset = try c.decodeIfPresent(BoundedInt<Positive>.self, forKey: .opset)?.value
    }
}

/// How a framework numbers the input cell a max window selected, whatever the tensor's layout.
///
/// With N samples, C channels, S spatial cells per plane, sample n, channel c and the cell's
/// spatial index s (row-major, or column-major with ``columnMajor``):
/// - ``Space/plane``: s + base (PyTorch; Torch7 with base 1);
/// - ``Space/sampleChannelsLast``: s·C + c (TensorFlow's `max_pool_with_argmax`);
/// - ``Space/tensorChannelsLast``: (n·S + s)·C + c (the same with `include_batch_in_index`);
/// - ``Space/tensorChannelsFirst``: (n·C + c)·S + s (ONNX `Indices`).
public struct IndexForm: Sendable, Equatable {
    public enum Space: String, Sendable, Equatable, CaseIterable {
        case plane
        case sampleChannelsLast = "sample_nhwc"
        case tensorChannelsLast = "tensor_nhwc"
        case tensorChannelsFirst = "tensor_nchw"
    }

    public var space: Space
    public var base: Int64
    public var columnMajor: Bool
    /// The index of a window that selected no cell: a constant, or (nil) the index of the cell
    /// at coordinates (−1, …, −1), as onnxruntime's `MaxPool2DTask` writes from its initial
    /// `h_index = -1`: (n·C + c)·S − W − 1 in 2-D.
    public var none: Int64?

    public init(space: Space, base: Int64 = 0, columnMajor: Bool = false, none: Int64? = -1) {
        self.space = space
        self.base = base
        self.columnMajor = columnMajor
        self.none = none
    }

    /// The index of a window of sample `n`, channel `c` that selected no cell.
    func none(n: Int, c: Int, dims: [Int], channels: Int) -> Int64 {
        if let none { return none }
        var weight = 1, s = 0
        if columnMajor {
            for a in 0..<dims.count { s -= weight; weight *= dims[a] }
        } else {
            for a in Swift.stride(from: dims.count - 1, through: 0, by: -1) { s -= weight; weight *= dims[a] }
        }
        let plane = dims.reduce(1, *)
        switch space {
        case .plane: return Int64(s) + base
        case .sampleChannelsLast: return Int64(s * channels + c) + base
        case .tensorChannelsLast: return Int64((n * plane + s) * channels + c) + base
        case .tensorChannelsFirst: return Int64((n * channels + c) * plane + s) + base
        }
    }

    /// The index of spatial cell `s` (row-major) of sample `n`, channel `c`.
    func index(n: Int, c: Int, s: Int, dims: [Int], channels: Int) -> Int64 {
        let plane = dims.reduce(1, *)
        let cell = columnMajor ? Self.columnMajorIndex(s, dims) : s
        let flat: Int
        switch space {
        case .plane: flat = cell
        case .sampleChannelsLast: flat = cell * channels + c
        case .tensorChannelsLast: flat = (n * plane + cell) * channels + c
        case .tensorChannelsFirst: flat = (n * channels + c) * plane + cell
        }
        return Int64(flat) + base
    }

    /// Row-major `s` counted column-major (the first dim fastest).
    static func columnMajorIndex(_ s: Int, _ dims: [Int]) -> Int {
        var rest = s, out = 0, weight = 1
        var coords = [Int](repeating: 0, count: dims.count)
        for a in stride(from: dims.count - 1, through: 0, by: -1) { coords[a] = rest % dims[a]; rest /= dims[a] }
        for a in 0..<dims.count { out += coords[a] * weight; weight *= dims[a] }
        return out
    }
}

import PoolCore
import TensorJSON
import Pooling

/// One model of the layer repository: a pooling layer under a name, with the native API's
/// pooling parameters.
public struct LayerModel: Sendable {
    /// The model name in `/v2/models/{name}`.
    public let name: String
    /// The layer's parameters (for a generic layer, defaults that a request's parameters extend
    /// and override).
    package let parameters: PoolParameterSet
    /// Whether a request gives (more) pooling parameters in its `parameters`.
    public let fromRequest: Bool
    /// The number of spatial dimensions the layer takes, when it is fixed.
    public let spatialDims: Int?

    /// The one version every layer has.
    public static let version = "1"

    /// The input rank the layer takes, when it is fixed: from `spatialDims`, else from the
    /// length of a list parameter (kernelSize [3, 3] fixes two spatial dims).
    public var rank: Int? {
        if let spatialDims { return spatialDims + 2 }
        guard !fromRequest else { return nil }
        let p = parameters.parameters
        for value in [p.kernelSize, p.stride, p.dilation, p.outputSize] {
            if case .list(let l)? = value { return l.count + 2 }
        }
        switch p.padding {
        case .list(let l)?: return l.count + 2
        case .explicit(let begin, _)?: return begin.count + 2
        default: return nil
        }
    }

    /// The pooling mode when the layer fixes it (nil for a generic layer that leaves it to the request).
    public var mode: PoolMode? {
        fromRequest && !parameters.present.contains("mode") ? nil : parameters.mode
    }

    /// The compute type the layer asks for, if any.
    package var dtype: ComputeType? { parameters.parameters.dtype }
}

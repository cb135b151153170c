import Foundation
import Pooling

/// The golden vectors of `Tests/Fixtures/golden` (PyTorch and TensorFlow results).
public enum Golden {
    /// The folder of the fixtures.
    public static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/golden")

    /// Every `*.json` file of the folder, in name order, with its cases.
    public static let files: [(name: String, cases: [GoldenCase])] = {
        let names = try! FileManager.default.contentsOfDirectory(atPath: directory.path)
        return names.filter { $0.hasSuffix(".json") }.sorted().map { name in
            let data = try! Data(contentsOf: directory.appendingPathComponent(name))
            return (name, try! JSONDecoder().decode(GoldenFile.self, from: data).cases)
        }
    }()

    /// Every case of every fixture file, file by file, that uses only the regular windows, the
    /// row-major index order, the contract's lp and 32/64-bit wire types (the others are
    /// ``extendedCases``, tested by the tests of those features).
    public static let cases: [GoldenCase] = files.flatMap(\.cases).filter { !$0.isExtended }

    /// The cases of fractional pooling, column-major indices, PyTorch's lp and 16-bit wire types.
    public static let extendedCases: [GoldenCase] = files.flatMap(\.cases).filter(\.isExtended)
}

extension Golden {
    /// The cases of one fixture file.
    public static func load(_ name: String) -> [GoldenCase] {
        let data = try! Data(contentsOf: directory.appendingPathComponent(name))
        return try! JSONDecoder().decode(GoldenFile.self, from: data).cases
    }
}

struct GoldenFile: Decodable {
    let cases: [GoldenCase]
}

/// One golden case: parameters in the service's vocabulary and flat tensors.
public struct GoldenCase: Decodable, Sendable {
    public let name: String
    public let dtype: String
    public let params: GoldenParams
    public let input: FlatTensor
    public let output: FlatTensor
    public let gradOutput: FlatTensor
    public let gradInput: FlatTensor
    public let indices: FlatTensor?
    /// The b64 dtype every request tensor is sent in and every answer comes back in (16-bit cases).
    public let wireDtype: String?

    /// Whether the case needs a v2 feature: fractional windows, `indexOrder`, `lpAbs` or a 16-bit wire type.
    public var isExtended: Bool {
        wireDtype != nil || params.fractional != nil || params.indexOrder != nil || params.lpAbs != nil
    }

    /// The relative tolerance of avg and lp results (the golden README's).
    public var tolerance: Double { dtype == "float32" ? 1e-4 : 1e-10 }

    /// The layout.
    public var layout: Layout { Layout(rawValue: params.layout ?? "channels_first")! }

    /// The window spec of the parameters.
    public var window: WindowSpec {
        if params.global == true { return .global }
        if let f = params.fractional {
            if let b = f.boundaries { return .fractional(FractionalWindows(.boundaries(b, overlapping: f.overlapping ?? false))) }
            let k = params.kernelSize!
            let spatial = layout == .channelsFirst ? Array(input.shape.dropFirst(2)) : Array(input.shape.dropFirst().dropLast())
            let size = f.outputSize ?? zip(spatial, f.outputRatio!).map { n, r in Int((Double(n) * r).rounded(.towardZero)) }
            return .fractional(FractionalWindows(.samples(kernel: k, outputSize: size, samples: f.samples?.data ?? [],
                                                          singlePrecision: dtype == "float32")))
        }
        if let size = params.outputSize { return .adaptive(outputSize: size) }
        let k = params.kernelSize!
        let d = k.count
        let padding: Padding
        switch params.padding {
        case .list(let l)?: padding = .symmetric(l)
        case .name("same")?: padding = .same
        case .name("same_lower")?: padding = .sameLower
        case .name("valid")?: padding = .valid
        case nil: padding = .symmetric(Array(repeating: 0, count: d))
        case .name(let other)?: fatalError("unknown padding \(other)")
        }
        return .fixed(kernel: k, stride: params.stride ?? k, padding: padding,
                      dilation: params.dilation ?? Array(repeating: 1, count: d), ceilMode: params.ceilMode ?? false)
    }

    /// The max options.
    public var maxOptions: MaxOptions {
        MaxOptions(ties: TieRule(rawValue: params.ties ?? "first")!, nan: NaNPolicy(rawValue: params.nan ?? "propagate")!,
                   indexSpace: IndexSpace(rawValue: params.indexSpace ?? "plane")!)
    }

    /// The avg options.
    public var avgOptions: AvgOptions {
        AvgOptions(countIncludePad: params.countIncludePad ?? true, divisorOverride: params.divisorOverride)
    }
}

/// Golden parameters, with the names and values of the wire contract.
public struct GoldenParams: Codable, Sendable {
    public var mode: String
    public var layout: String?
    public var kernelSize: [Int]?
    public var stride: [Int]?
    public var padding: GoldenPadding?
    public var dilation: [Int]?
    public var ceilMode: Bool?
    public var countIncludePad: Bool?
    public var divisorOverride: Int?
    public var p: Double?
    public var outputSize: [Int]?
    public var global: Bool?
    public var indexSpace: String?
    public var ties: String?
    public var nan: String?
    public var indexOrder: String?
    public var lpAbs: Bool?
    public var fractional: GoldenFractional?
}

/// Fractional max pooling parameters as the contract writes them.
public struct GoldenFractional: Codable, Sendable {
    public var samples: GoldenSamples?
    public var outputSize: [Int]?
    public var outputRatio: [Double]?
    public var seed: Int?
    public var boundaries: [[Int]]?
    public var overlapping: Bool?
}

/// `{"shape", "data"}` of fractional samples.
public struct GoldenSamples: Codable, Sendable {
    public var shape: [Int]
    public var data: [Double]
}

/// A padding list or name.
public enum GoldenPadding: Codable, Sendable {
    case list([Int])
    case name(String)

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) { self = .name(s) } else { self = .list(try c.decode([Int].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .list(let l): try c.encode(l)
        case .name(let s): try c.encode(s)
        }
    }
}

/// `{"shape", "data"}` with "NaN" allowed in data.
public struct FlatTensor: Decodable, Sendable {
    public let shape: [Int]
    public let data: [Double]

    enum Keys: String, CodingKey { case shape, data }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        shape = try c.decode([Int].self, forKey: .shape)
        var items = try c.nestedUnkeyedContainer(forKey: .data)
        var values: [Double] = []
        while !items.isAtEnd {
            if let v = try? items.decode(Double.self) { values.append(v) } else {
                let s = try items.decode(String.self)
                values.append(s == "NaN" ? .nan : s == "Infinity" ? .infinity : -.infinity)
            }
        }
        data = values
    }
}

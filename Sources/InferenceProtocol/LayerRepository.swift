import PoolCore
import TensorJSON
import Pooling
#if canImport(Glibc)
import Glibc
#endif

/// The models a server offers: pooling layers by name, read from a JSON file (`--layers FILE`)
/// or the built-in default ``builtIn``.
///
/// The file is one object `{"layers": [ENTRY, ...]}`; each entry has `name` (1 to 64 of
/// `[A-Za-z0-9_.-]`, starting with a letter or digit; unique), `parameters` (the native API's
/// pooling parameters, without `return` and `encoding`; required unless `fromRequest`),
/// `fromRequest` (true: requests give more parameters, which override these) and `spatialDims`
/// (1 to 8: the input's spatial rank, when the layer fixes it). Parameters are checked with the
/// native validator and its messages; the first bad entry stops the load.
public struct LayerRepository: Sendable {
    /// The layers, in the file's order.
    public let layers: [LayerModel]
    private let byName: [String: Int]

    /// The layer called `name`.
    public func layer(named name: String) -> LayerModel? { byName[name].map { layers[$0] } }

    /// The built-in repository: `maxpool2d_k3s2p1`, `maxpool2d_k2s2`, `avgpool2d_k3s2p1`,
    /// `global_avgpool2d`, `adaptive_avgpool2d_7` and the generic `pool`.
    public static let builtIn: LayerRepository = {
        do { return try LayerRepository(json: Array(builtInJSON.utf8), source: "the built-in layer repository") } catch {
            preconditionFailure("\(error)")
        }
    }()

    /// The built-in repository's file.
    public static let builtInJSON = """
        {"layers": [
          {"name": "maxpool2d_k3s2p1", "spatialDims": 2, "parameters": {"mode": "max", "kernelSize": 3, "stride": 2, "padding": 1}},
          {"name": "maxpool2d_k2s2", "spatialDims": 2, "parameters": {"mode": "max", "kernelSize": 2, "stride": 2}},
          {"name": "avgpool2d_k3s2p1", "spatialDims": 2, "parameters": {"mode": "avg", "kernelSize": 3, "stride": 2, "padding": 1}},
          {"name": "global_avgpool2d", "spatialDims": 2, "parameters": {"mode": "avg", "global": true}},
          {"name": "adaptive_avgpool2d_7", "spatialDims": 2, "parameters": {"mode": "avg", "outputSize": 7}},
          {"name": "pool", "fromRequest": true}
        ]}
        """

    /// Reads the repository file at `path`.
    public static func load(path: String) throws(LayerRepositoryError) -> LayerRepository {
        guard let file = fopen(path, "rb") else {
            throw LayerRepositoryError("--layers \(path): cannot open the file (\(String(cString: strerror(errno))))")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if n <= 0 { break }
            bytes += chunk[0..<n]
            guard bytes.count <= 16 << 20 else { throw LayerRepositoryError("--layers \(path): the file is larger than 16 MiB") }
        }
        return try LayerRepository(json: bytes, source: "--layers \(path)")
    }

    /// Reads a repository file's text; `source` names it in errors.
    public init(json bytes: [UInt8], source: String) throws(LayerRepositoryError) {
        let document: JSONDocument
        do { document = try JSONParser.parse(bytes) } catch {
            throw LayerRepositoryError("\(source): not valid JSON: \(error.message) at byte \(error.offset)")
        }
        guard case .object(let root) = document.root, root.members.count == 1, case .array(let entries)? = root["layers"] else {
            throw LayerRepositoryError("\(source): must be one object {\"layers\": [...]}")
        }
        var layers: [LayerModel] = []
        var byName: [String: Int] = [:]
        for (k, entry) in entries.enumerated() {
            let layer = try Self.layer(entry, at: k, in: document, source: source)
            guard byName[layer.name] == nil else {
                throw LayerRepositoryError("\(source): layers/\(k) \"\(layer.name)\": the name is used by an earlier layer")
            }
            byName[layer.name] = layers.count
            layers.append(layer)
        }
        guard !layers.isEmpty else { throw LayerRepositoryError("\(source): \"layers\" is empty") }
        self.layers = layers
        self.byName = byName
    }

    /// Whether `name` may name a model: 1 to 64 of `[A-Za-z0-9_.-]`, the first a letter or digit.
    public static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        func alnum(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) }
        guard (1...64).contains(bytes.count), alnum(bytes[0]) else { return false }
        return bytes.allSatisfy { alnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    private static func layer(_ entry: JSONValue, at k: Int, in document: JSONDocument, source: String) throws(LayerRepositoryError) -> LayerModel {
        var label = "\(source): layers/\(k)"
        func fail(_ message: String) -> LayerRepositoryError { LayerRepositoryError("\(label): \(message)") }
        guard case .object(let o) = entry else { throw fail("must be an object with \"name\" and \"parameters\"") }
        for member in o.members where !["name", "parameters", "fromRequest", "spatialDims"].contains(member.key) {
            throw fail("unknown field \"\(member.key.prefix(60))\"")
        }
        guard case .string(let name)? = o["name"] else { throw fail("\"name\" is required (a string)") }
        guard isValidName(name) else { throw fail("\"name\" must be 1 to 64 of [A-Za-z0-9_.-], starting with a letter or digit; got \"\(name.prefix(60))\"") }
        label += " \"\(name)\""
        var fromRequest = false
        switch o["fromRequest"] {
        case nil: break
        case .bool(let b)?: fromRequest = b
        default: throw fail("\"fromRequest\" must be true or false")
        }
        var spatialDims: Int?
        if let value = o["spatialDims"] {
            guard case .number(let n) = value, let d = Int(document.text(of: n)), (1...8).contains(d) else {
                throw fail("\"spatialDims\" must be an integer in 1...8")
            }
            spatialDims = d
        }
        var members: [PoolParameterSet.Member] = []
        switch o["parameters"] {
        case nil: if !fromRequest { throw fail("\"parameters\" is required unless \"fromRequest\" is true") }
        case .object(let p)?: members = p.members.map { ($0.key, $0.value, document) }
        default: throw fail("\"parameters\" must be an object of the native API's pooling parameters")
        }
        let parameters = PoolParameterSet(members)
        var problems = parameters.problems
        if !fromRequest { problems = RequestValidator.shapeFreeProblems(parameters.parameters, decodeProblems: problems) }
        if let problem = problems.problems.first {
            throw fail("parameters\(problem.pointer) \(problem.detail)" + (problems.count > 1 ? " (and \(problems.count - 1) more)" : ""))
        }
        let layer = LayerModel(name: name, parameters: parameters, fromRequest: fromRequest, spatialDims: spatialDims)
        if let spatialDims, let fixed = LayerModel(name: name, parameters: parameters, fromRequest: false, spatialDims: nil).rank,
           fixed != spatialDims + 2 {
            throw fail("\"spatialDims\" is \(spatialDims) but the parameters' lists have \(fixed - 2) values")
        }
        return layer
    }
}

/// Why a layer repository could not be read: the file, the entry and the field, in one sentence.
public struct LayerRepositoryError: Error, CustomStringConvertible, Equatable {
    /// The sentence.
    public let description: String
    package init(_ description: String) { self.description = description }
}

@testable import InferenceAPI
import XCTest

/// The layer repository: the built-in layers, and files checked with the native validator.
final class LayerRepositoryTests: XCTestCase {
    func testBuiltInLayers() {
        let names = LayerRepository.builtIn.layers.map(\.name)
        XCTAssertEqual(names, ["maxpool2d_k3s2p1", "maxpool2d_k2s2", "avgpool2d_k3s2p1", "global_avgpool2d", "adaptive_avgpool2d_7", "pool"])
        XCTAssertEqual(LayerRepository.builtIn.layer(named: "maxpool2d_k3s2p1")?.rank, 4)
        XCTAssertEqual(LayerRepository.builtIn.layer(named: "avgpool2d_k3s2p1")?.mode, .avg)
        XCTAssertNil(LayerRepository.builtIn.layer(named: "pool")?.rank)
        XCTAssertNil(LayerRepository.builtIn.layer(named: "pool")?.mode)
        XCTAssertEqual(LayerRepository.builtIn.layer(named: "pool")?.fromRequest, true)
    }

    func testAFileWithListsFixesTheRank() throws {
        let repository = try LayerRepository(json: Array("""
            {"layers": [{"name": "max3d", "parameters": {"kernelSize": [2, 2, 2]}}, {"name": "lp.any-1", "fromRequest": true, "parameters": {"mode": "lp"}}]}
            """.utf8), source: "test")
        XCTAssertEqual(repository.layer(named: "max3d")?.rank, 5)
        XCTAssertEqual(repository.layer(named: "lp.any-1")?.mode, .lp)
    }

    /// A bad file stops the start with one sentence naming the entry and the field.
    func testBadFilesNameTheEntryAndField() {
        let cases: [(String, String)] = [
            ("{\"layers\": [{\"name\": \"a\", \"parameters\": {\"kernelSize\": 0}}]}",
             "f: layers/0 \"a\": parameters/kernelSize must be ≥ 1 and ≤ 2147483647, got 0"),
            ("{\"layers\": [{\"name\": \"a\", \"parameters\": {\"kernelSize\": 2, \"strides\": 2}}]}", "f: layers/0 \"a\": parameters/strides unknown field \"strides\""),
            ("{\"layers\": [{\"name\": \"a\", \"parameters\": {\"kernelSize\": 2, \"return\": [\"output\"]}}]}", "f: layers/0 \"a\": parameters/return unknown field \"return\""),
            ("{\"layers\": [{\"name\": \"a\", \"parameters\": {\"mode\": \"avg\"}}]}",
             "f: layers/0 \"a\": parameters/kernelSize is required unless \"outputSize\" or \"global\": true is given"),
            ("{\"layers\": [{\"name\": \"a\", \"parameters\": {\"mode\": \"avg\", \"kernelSize\": 2, \"ties\": \"last\"}}]}",
             "f: layers/0 \"a\": parameters/ties applies only to mode \"max\", not \"avg\""),
            ("{\"layers\": [{\"name\": \"a\", \"parameters\": {\"kernelSize\": 2}}, {\"name\": \"a\", \"parameters\": {\"kernelSize\": 3}}]}",
             "f: layers/1 \"a\": the name is used by an earlier layer"),
            ("{\"layers\": [{\"name\": \"a/b\", \"parameters\": {\"kernelSize\": 2}}]}", "f: layers/0: \"name\" must be 1 to 64 of [A-Za-z0-9_.-]"),
            ("{\"layers\": [{\"name\": \"a\", \"spatialDims\": 2, \"parameters\": {\"kernelSize\": [2]}}]}",
             "f: layers/0 \"a\": \"spatialDims\" is 2 but the parameters' lists have 1 values"),
            ("{\"layers\": [{\"name\": \"a\"}]}", "f: layers/0 \"a\": \"parameters\" is required unless \"fromRequest\" is true"),
            ("{\"layers\": []}", "f: \"layers\" is empty"),
            ("{\"models\": []}", "f: must be one object {\"layers\": [...]}"),
            ("{\"layers\": [", "f: not valid JSON"),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try LayerRepository(json: Array(text.utf8), source: "f"), text) { error in
                XCTAssertTrue("\(error)".hasPrefix(message), "\(error)")
            }
        }
        XCTAssertThrowsError(try LayerRepository.load(path: "/nonexistent/layers.json")) { error in
            XCTAssertTrue("\(error)".hasPrefix("--layers /nonexistent/layers.json: cannot open the file"), "\(error)")
        }
    }
}

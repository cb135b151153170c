import Foundation
import PoolserveClient
import XCTest

/// The generated client against a running poolserve (POOLSERVE_URL, e.g. http://127.0.0.1:8080;
/// `make client-test` starts one): forward, backward, and a 422 decoded as its typed problem.
final class PoolserveClientTests: XCTestCase {
    struct NoServer: Error, CustomStringConvertible {
        var description: String { "set POOLSERVE_URL to a running poolserve (make client-test starts one)" }
    }

    private func client() throws -> Client {
        guard let text = ProcessInfo.processInfo.environment["POOLSERVE_URL"], let url = URL(string: text) else { throw NoServer() }
        return Client(poolserveAt: url)
    }

    /// A nested tensor of `values` (row-major) with `shape`.
    private func nested(_ values: [Double], _ shape: [Int]) -> Components.Schemas.NestedTensor {
        guard shape.count > 1 else { return values.map { .Number(.FiniteNumber($0)) } }
        let step = values.count / shape[0]
        return (0..<shape[0]).map { .NestedTensor(nested(Array(values[($0 * step)..<(($0 + 1) * step)]), Array(shape.dropFirst()))) }
    }

    /// The values of a flat or nested tensor, row-major.
    private func values(_ tensor: Components.Schemas.Tensor?) -> [Double] {
        func number(_ n: Components.Schemas.Number) -> Double {
            switch n {
            case .FiniteNumber(let v): return v
            case .NonFiniteNumber(let s): return s == .naN ? .nan : s == .infinity ? .infinity : -.infinity
            }
        }
        func flatten(_ items: Components.Schemas.NestedTensor) -> [Double] {
            items.flatMap { item -> [Double] in
                switch item {
                case .Number(let n): return [number(n)]
                case .NestedTensor(let inner): return flatten(inner)
                }
            }
        }
        switch tensor {
        case .FlatTensor(let t)?: return t.data.map(number)
        case .NestedTensor(let t)?: return flatten(t)
        default: return []
        }
    }

    func testHealth() async throws {
        let client = try client()
        let health = try await client.healthz().ok.body.json
        let readiness = try await client.readyz().ok.body.json
        XCTAssertEqual(health.status, "ok")
        XCTAssertEqual(readiness.status, "ready")
    }

    func testForward() async throws {
        let input = Components.Schemas.FlatTensor(shape: [1, 1, 4, 4], data: (1...16).map { .FiniteNumber(Double($0)) })
        let request = Components.Schemas.ForwardRequest(value1: .init(kernelSize: .EveryDimension(2)), value2: .init(input: .FlatTensor(input)))
        let answer = try await client().forward(body: .json(request)).ok.body.json
        XCTAssertEqual(answer.outputShape, [1, 1, 2, 2])
        XCTAssertEqual(values(answer.output), [6, 8, 14, 16])
        XCTAssertEqual(values(answer.indices), [5, 7, 13, 15])
        XCTAssertEqual(values(answer.mask), [0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1])
        guard case .FlatTensor? = answer.output else { return XCTFail("the answer comes in the input's form (flat)") }
    }

    func testBackward() async throws {
        let request = Components.Schemas.BackwardRequest(
            value1: .init(mode: .avg, kernelSize: .PerDimension([1, 2]), padding: .NamedPadding(.valid)),
            value2: .init(gradOutput: .NestedTensor(nested([2, 4], [1, 1, 1, 2])), inputShape: [1, 1, 1, 4]))
        let answer = try await client().backward(body: .json(request)).ok.body.json
        XCTAssertEqual(values(answer.gradInput), [1, 1, 2, 2])
        guard case .NestedTensor? = Optional(answer.gradInput) else { return XCTFail("the answer comes in gradOutput's form (nested)") }
    }

    func testInvalidRequestIsATyped422Problem() async throws {
        let input = Components.Schemas.Tensor.NestedTensor(nested((1...16).map(Double.init), [1, 1, 4, 4]))
        let request = Components.Schemas.ForwardRequest(value1: .init(kernelSize: .PerDimension([2, 0])), value2: .init(input: input))
        let output = try await client().forward(body: .json(request))
        guard case .unprocessableContent(let invalid) = output else { return XCTFail("expected 422, got \(output)") }
        let problem = try invalid.body.applicationProblemJson
        XCTAssertEqual(problem.status, 422)
        XCTAssertEqual(problem._type, "https://poolserve.dev/problems/validation")
        XCTAssertEqual(problem.errors?.map(\.pointer), ["/kernelSize/1"])
        XCTAssertEqual(problem.errors?.first?.detail, "must be ≥ 1 and ≤ 2147483647, got 0")
    }
}

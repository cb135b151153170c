import Pooling
import PoolCore
import RequestDecoding
import XCTest

/// What a convention cannot express is a 422 naming the field; what it leaves out takes the
/// framework's default; a window of padding alone is computed as the framework does.
final class ConventionValidationTests: XCTestCase {
    let executor = PoolExecutor()

    private func run(_ shape: [Int] = [1, 1, 4, 4], values: [Double]? = nil, kind: PoolRequest.Kind = .forward,
                     returns: [ReturnPart]? = nil, configure: (inout PoolParameters) -> Void) -> Result<PoolExecutor.Computed, PoolFailure> {
        var p = PoolParameters()
        p.kernelSize = .int(2)
        configure(&p)
        let count = shape.reduce(1, *)
        let x = TensorValues(shape: shape, values: values ?? (0..<count).map(Double.init), at: .root / "input")
        var clock = StageClock()
        let gy: TensorValues? = kind == .forward ? nil : TensorValues(shape: [1], values: [1], at: .root / "gradOutput")
        return executor.run(PoolRequest(kind: kind, parameters: p, input: x, gradOutput: gy, returnParts: returns), clock: &clock)
    }

    private func pointers(_ r: Result<PoolExecutor.Computed, PoolFailure>) -> [String] {
        guard case .failure(.problems(let list)) = r else { return [] }
        return list.problems.map(\.pointer.description)
    }

    func testFieldsAFrameworkCannotExpressAreNamed() {
        let cases: [(String, [ReturnPart]?, (inout PoolParameters) -> Void)] = [
            ("/ceilMode", nil, { $0.convention = .jax; $0.ceilMode = true }),
            ("/ceilMode", nil, { $0.convention = .tensorflow; $0.ceilMode = true }),
            ("/mode", nil, { $0.convention = .jax; $0.mode = .lp }),
            ("/return/1", [.output, .indices], { $0.convention = .jax }),
            ("/divisorOverride", nil, { $0.convention = .onnx; $0.mode = .avg; $0.divisorOverride = 3 }),
            ("/countIncludePad", nil, { $0.convention = .tensorflow; $0.mode = .avg; $0.countIncludePad = true }),
            ("/ceilMode", nil, { $0.convention = .onnx; $0.opset = 9; $0.ceilMode = true }),
            ("/dilation", nil, { $0.convention = .onnx; $0.opset = 18; $0.mode = .avg; $0.dilation = .int(2) }),
            ("/opset", nil, { $0.convention = .jax; $0.opset = 12 }),
            ("/opset", nil, { $0.opset = 12 }),
            ("/nan", nil, { $0.convention = .torch7; $0.nan = .ignore }),
            ("/outputSize", nil, { $0.convention = .onnx; $0.kernelSize = nil; $0.outputSize = .int(2) }),
            ("/padding", nil, { $0.convention = .torch7; $0.kernelSize = .int(3); $0.padding = .int(2) }),
            ("/padding", nil, { $0.convention = .pytorch; $0.padding = .named(.same) }),
            ("/indexSpace", nil, { $0.convention = .onnx; $0.indexSpace = .plane }),
        ]
        for (k, (pointer, returns, configure)) in cases.enumerated() {
            let found = pointers(run(returns: returns, configure: configure))
            XCTAssertTrue(found.contains(pointer), "case \(k): \(found), want \(pointer)")
        }
    }

    /// A rank below 3 has no spatial dims: every convention's check must refuse it by name, not
    /// trap while expanding a per-dimension field (found by schemathesis on /pool/compare).
    func testARankBelowThreeIsRefusedUnderEveryConvention() {
        for convention in Convention.allCases {
            for shape in [[1], [1, 1]] {
                for kind in [PoolRequest.Kind.forward, .backward] {
                    let found = pointers(run(shape, kind: kind, configure: { $0.convention = convention; $0.padding = .int(1) }))
                    XCTAssertTrue(found.contains("/input"), "\(convention) \(shape) \(kind): \(found)")
                }
            }
        }
    }

    /// onnxruntime's auto_pad SAME with dilations pads for the undilated kernel: n = 7, k = 3,
    /// s = 1, d = 2 needs (7 − 1)·1 + 3 − 7 = 2, so pads 1 and 1 (SAME_UPPER) or 1 and 1, and
    /// the dilated windows (span 5) give 5 outputs where the spec's SAME would give 7.
    func testOnnxSameWithDilationPadsForTheUndilatedKernel() throws {
        for name in [PaddingName.same, .sameLower] {
            guard case .success(let r) = run([1, 1, 7], configure: {
                $0.convention = .onnx; $0.kernelSize = .int(3); $0.dilation = .int(2); $0.padding = .named(name)
            }) else { return XCTFail("\(name)") }
            XCTAssertEqual(r.job.geometry.outputShape, [1, 1, 5], "\(name)")
        }
        // n = 9, k = 2, s = 4, d = 2: needed (3 − 1)·4 + 2 − 9 = 1 (head 0, tail 1), then
        // ⌊(9 + 1 − 3)/4⌋ + 1 = 2 outputs, not SAME's ⌈9/4⌉ = 3.
        guard case .success(let upper) = run([1, 1, 9], configure: {
            $0.convention = .onnx; $0.kernelSize = .int(2); $0.stride = .int(4); $0.dilation = .int(2); $0.padding = .named(.same)
        }) else { return XCTFail() }
        XCTAssertEqual(upper.job.geometry.outputShape, [1, 1, 2])
        XCTAssertEqual(pointers(run([1, 1, 9], configure: {
            $0.convention = .onnx; $0.kernelSize = .int(2); $0.stride = .int(5); $0.dilation = .int(2); $0.padding = .named(.same)
        })), ["/padding"], "(2 − 1)·5 + 2 − 9 = −2: refused")
        // A stride above the kernel: n = 9, k = 2, s = 5 needs −2. SAME_LOWER's head
        // (−2 + 1)/2 = 0 in C++'s division: windows at 0 and 5, pads (0, 0); SAME_UPPER's head
        // −2/2 = −1 would start before the input: refused.
        guard case .success(let lower) = run([1, 1, 9], configure: {
            $0.convention = .onnx; $0.kernelSize = .int(2); $0.stride = .int(5); $0.padding = .named(.sameLower)
        }) else { return XCTFail() }
        XCTAssertEqual(lower.job.geometry.outputShape, [1, 1, 2])
        XCTAssertEqual(pointers(run([1, 1, 9], configure: {
            $0.convention = .onnx; $0.kernelSize = .int(2); $0.stride = .int(5); $0.padding = .named(.same)
        })), ["/padding"])
    }

    func testDefaultsOfTheConventionFillWhatTheRequestLeftOut() throws {
        // flax's strides default to 1: a 4×4 input with kernel 2 gives 3×3.
        guard case .success(let jax) = run(configure: { $0.convention = .jax }) else { return XCTFail() }
        XCTAssertEqual(jax.job.geometry.outputShape, [1, 1, 3, 3])
        XCTAssertFalse(jax.job.returns.contains(.indices), "JAX returns no indices by default")
        guard case .success(let onnx) = run(configure: { $0.convention = .onnx; $0.mode = .avg }) else { return XCTFail() }
        XCTAssertEqual(onnx.job.convention?.summary["divisor"], .name("real_cells"), "ONNX's count_include_pad defaults to 0")
        XCTAssertEqual(onnx.job.convention?.summary["opset"], .number(Convention.newestOpset))
        guard case .success(let given) = run(configure: { $0.convention = .jax; $0.stride = .int(2) }) else { return XCTFail() }
        XCTAssertEqual(given.job.geometry.outputShape, [1, 1, 2, 2], "a field given wins over the convention's default")
    }

    func testAWindowOfPaddingAloneGivesWhatTheFrameworkGives() throws {
        // 1-D, one cell, kernel 2 dilated 3 with padding 1: window 0 holds (pad, pad).
        let r = run([1, 1, 1], values: [5]) {
            $0.convention = .jax
            $0.kernelSize = .int(2)
            $0.stride = .int(1)
            $0.dilation = .int(3)
            $0.padding = .explicit(begin: [1], end: [2])
        }
        guard case .success(let c) = r, case .float(let f) = c.outcome else { return XCTFail("\(r)") }
        XCTAssertEqual(f.output?.first, -.infinity)
        // Without a convention the contract refuses it, naming the padding.
        let plain = run([1, 1, 1], values: [5]) {
            $0.kernelSize = .int(2)
            $0.stride = .int(1)
            $0.dilation = .int(3)
            $0.padding = .explicit(begin: [1], end: [2])
        }
        XCTAssertEqual(pointers(plain).first, "/padding")
    }

    func testAnswersCarryEveryRule() throws {
        for convention in Convention.allCases {
            guard case .success(let c) = run(configure: { $0.convention = convention }) else { return XCTFail("\(convention)") }
            let keys = c.job.convention?.summary.entries.map(\.key) ?? []
            for rule in RuleSummary.ruleNames { XCTAssertTrue(keys.contains(rule), "\(convention) lacks \(rule)") }
        }
    }
}

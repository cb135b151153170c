import Foundation
import GRPCCore
@testable import InferenceGRPC
import InferenceProtocol
import PoolCore
import XCTest

/// The gRPC service in process (its methods called directly, no transport): translation of
/// raw and typed contents and parameters, REST's messages under gRPC status codes, readiness,
/// the memory budget, and a cancelled call stopping its kernels.
final class InferenceGRPCServiceTests: XCTestCase {
    let x: [Float] = (0..<(2 * 3 * 9 * 9)).map { Float(($0 * 37) % 101) / 10 - 5 }
    let shape: [Int64] = [2, 3, 9, 9]

    func service(ready: Bool = true, limits: Limits = Limits(), threads: Int = 2,
                 account: @escaping @Sendable () -> any GRPCMemoryAccount = { UnlimitedMemoryAccount() }) -> InferenceGRPCService {
        InferenceGRPCService(repository: .builtIn, limits: limits, isReady: { ready }, gate: ComputeGate(threads: threads, queueTimeout: 5), account: account)
    }

    var context: ServerContext {
        ServerContext(descriptor: MethodDescriptor(fullyQualifiedService: "inference.GRPCInferenceService", method: "ModelInfer"),
                      remotePeer: "in-process", localPeer: "in-process", cancellation: .init())
    }

    func request(_ model: String = "maxpool2d_k3s2p1", raw: Bool = true, parameters: [String: Inference_InferParameter] = [:],
                 outputs: [String] = [], values: [Float]? = nil, shape: [Int64]? = nil) -> Inference_ModelInferRequest {
        let values = values ?? x
        return .with { r in
            r.modelName = model
            r.id = "t1"
            r.parameters = parameters
            r.inputs = [.with {
                $0.name = "INPUT"
                $0.datatype = "FP32"
                $0.shape = shape ?? self.shape
                if !raw { $0.contents = .with { $0.fp32Contents = values } }
            }]
            if raw { r.rawInputContents = [values.withUnsafeBytes { Data($0) }] }
            r.outputs = outputs.map { name in .with { $0.name = name } }
        }
    }

    func status(_ body: () async throws -> Void) async -> (RPCError.Code, String)? {
        do {
            try await body()
            return nil
        } catch let error as RPCError {
            return (error.code, error.message)
        } catch {
            return (.unknown, "\(error)")
        }
    }

    func testRawAndTypedContentsAgree() async throws {
        let s = service()
        let raw = try await s.modelInfer(request: request(), context: context)
        let typed = try await s.modelInfer(request: request(raw: false), context: context)
        XCTAssertEqual(raw.id, "t1")
        XCTAssertEqual(raw.modelVersion, "1")
        XCTAssertEqual(raw.outputs.map(\.name), ["OUTPUT", "INDICES", "MASK"])
        XCTAssertEqual(raw.outputs.map(\.datatype), ["FP32", "INT64", "FP32"])
        XCTAssertEqual(raw.outputs[0].shape, [2, 3, 5, 5])
        XCTAssertEqual(raw.rawOutputContents.map(\.count), [2 * 3 * 25 * 4, 2 * 3 * 25 * 8, 2 * 3 * 81 * 4])
        XCTAssertEqual(raw.rawOutputContents, typed.rawOutputContents)
    }

    /// The wire's serializer (raw outputs written straight into the message) writes what
    /// protobuf's own serializer writes for the whole response.
    func testTheAnswerOnTheWireDecodesAsTheWholeResponse() async throws {
        var answer = try await service().answer(request(), context: context)
        answer.head.parameters["rules"] = .with { $0.stringParam = "{}" }
        let bytes: [UInt8] = try InferAnswer.Serializer().serialize(answer)
        XCTAssertEqual(try Inference_ModelInferResponse(serializedBytes: bytes), answer.response)
        XCTAssertEqual(answer.response.rawOutputContents.map(\.count), [2 * 3 * 25 * 4, 2 * 3 * 25 * 8, 2 * 3 * 81 * 4])
    }

    func testTypedOutputsWhenEveryOutputAsksForThem() async throws {
        var r = request(outputs: ["OUTPUT", "INDICES"])
        for k in r.outputs.indices { r.outputs[k].parameters["binary_data"] = .with { $0.boolParam = false } }
        let typed = try await service().modelInfer(request: r, context: context)
        let raw = try await service().modelInfer(request: request(outputs: ["OUTPUT", "INDICES"]), context: context)
        XCTAssertTrue(typed.rawOutputContents.isEmpty)
        XCTAssertEqual(typed.outputs[0].contents.fp32Contents.withUnsafeBytes { Data($0) }, raw.rawOutputContents[0])
        XCTAssertEqual(typed.outputs[1].contents.int64Contents.withUnsafeBytes { Data($0) }, raw.rawOutputContents[1])
    }

    func testParametersOfEveryKind() async throws {
        let p: [String: Inference_InferParameter] = [
            "mode": .with { $0.stringParam = "lp" }, "p": .with { $0.doubleParam = 1.5 },
            "kernelSize": .with { $0.stringParam = "[2, 3]" }, "ceilMode": .with { $0.boolParam = true },
            "stride": .with { $0.int64Param = 2 }, "priority": .with { $0.uint64Param = 1 },
        ]
        let answer = try await service().modelInfer(request: request("pool", parameters: p), context: context)
        XCTAssertEqual(answer.outputs.map(\.name), ["OUTPUT"])
        XCTAssertEqual(answer.outputs[0].shape, [2, 3, 5, 4])
    }

    func testErrorsAreStatusCodesWithRESTsMessages() async {
        let s = service()
        var e = await status { _ = try await s.modelInfer(request: self.request("resnet50"), context: self.context) }
        XCTAssertEqual(e?.0, .notFound)
        XCTAssertEqual(e?.1, "Request for unknown model: 'resnet50' is not found")
        e = await status { _ = try await s.modelInfer(request: self.request(shape: [2, 3, 81]), context: self.context) }
        XCTAssertEqual(e?.0, .invalidArgument)
        XCTAssertEqual(e?.1.hasPrefix("unexpected shape for input 'INPUT' of model 'maxpool2d_k3s2p1'"), true, e?.1 ?? "")
        e = await status { _ = try await s.modelInfer(request: self.request("pool", parameters: ["kernelSize": .with { $0.stringParam = "[3, 0]" }]), context: self.context) }
        XCTAssertEqual(e?.0, .invalidArgument)
        XCTAssertEqual(e?.1.hasPrefix("parameter 'kernelSize/1': must be ≥ 1"), true, e?.1 ?? "")
        e = await status { _ = try await s.modelInfer(request: self.request(raw: false, values: Array(self.x.dropLast())), context: self.context) }
        XCTAssertEqual(e?.0, .invalidArgument)
        XCTAssertEqual(e?.1, "input 'INPUT': contents has 485 values but shape [2, 3, 9, 9] needs 486")
        let small = service(limits: Limits(maxElements: 100))
        e = await status { _ = try await small.modelInfer(request: self.request(), context: self.context) }
        XCTAssertEqual(e?.0, .resourceExhausted)
        XCTAssertEqual(e?.1.hasPrefix("input 'INPUT' of shape [2, 3, 9, 9] has more elements than the limit of 100"), true, e?.1 ?? "")
    }

    func testMemoryBudgetAndDrainingAnswers() async {
        struct Refusing: GRPCMemoryAccount {
            func reserve(_ bytes: Int) -> Bool { false }
            func release() -> Int { 0 }
        }
        let full = service(account: { Refusing() })
        var e = await status { _ = try await full.modelInfer(request: self.request(), context: self.context) }
        XCTAssertEqual(e?.0, .resourceExhausted)
        let draining = service(ready: false)
        e = await status { _ = try await draining.modelInfer(request: self.request(), context: self.context) }
        XCTAssertEqual(e?.0, .unavailable)
        let ready = try? await draining.serverReady(request: .init(), context: context)
        XCTAssertEqual(ready?.ready, false)
        let live = try? await draining.serverLive(request: .init(), context: context)
        XCTAssertEqual(live?.live, true)
    }

    func testMetadataAndModelReadiness() async throws {
        let s = service()
        let meta = try await s.modelMetadata(request: .with { $0.name = "maxpool2d_k3s2p1" }, context: context)
        XCTAssertEqual(meta.inputs.map(\.name), ["INPUT", "GRAD_OUTPUT", "INDICES"])
        XCTAssertEqual(meta.outputs.map(\.datatype), ["FP32", "INT64", "FP32", "FP32"])
        XCTAssertEqual(meta.inputs[0].shape, [-1, -1, -1, -1])
        let known = try await s.modelReady(request: .with { $0.name = "pool"; $0.version = "1" }, context: context)
        let unknown = try await s.modelReady(request: .with { $0.name = "pool"; $0.version = "2" }, context: context)
        XCTAssertTrue(known.ready)
        XCTAssertFalse(unknown.ready)
    }

    /// A cancelled call (a client deadline) stops its kernels: a call far too heavy to finish
    /// during the test is cancelled once the service holds it in flight, and it ends CANCELLED,
    /// which the service answers only when the executor stopped at the raised flag (a kernel that
    /// ran to its end would answer OK). Waits on the service's own state, not on time.
    func testCancellationStopsTheKernels() async throws {
        let s = service(limits: Limits(maxElements: 1 << 24, maxWork: Int.max), threads: 1)
        // lp checks the flag inside a plane, every 2^15 window cells; in full this call would
        // take minutes (16 planes of 400×400 outputs, 41×41 windows, a pow per cell).
        let big = [Float](repeating: 1, count: 16 * 440 * 440)
        let heavy = request("pool", parameters: ["mode": .with { $0.stringParam = "lp" }, "p": .with { $0.doubleParam = 2.5 },
                                                 "kernelSize": .with { $0.int64Param = 41 }, "stride": .with { $0.int64Param = 1 }],
                            outputs: ["OUTPUT"], values: big, shape: [1, 16, 440, 440])
        let context = self.context
        let task = Task { try await s.modelInfer(request: heavy, context: context) }
        while s.inFlight.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(5)) }
        task.cancel()
        let e = await status { _ = try await task.value }
        XCTAssertEqual(e?.0, .cancelled)
        XCTAssertTrue(s.inFlight.withLock { $0.isEmpty }, "the cancelled call is still in flight")
        // The one compute thread is free again: a small call is answered.
        let small = try await s.modelInfer(request: request(), context: context)
        XCTAssertFalse(small.rawOutputContents.isEmpty)
    }
}

/// REST's body limit on a gRPC message: RESOURCE_EXHAUSTED with the sizes, before decoding.
final class MessageSizeLimitTests: XCTestCase {
    func testAMessageOverTheLimitIsResourceExhaustedNamingTheFlag() throws {
        let message = Inference_ModelInferRequest.with { $0.modelName = "pool"; $0.rawInputContents = [Data(count: 1000)] }
        let bytes: [UInt8] = try message.serializedBytes()
        let limit = MessageSizeLimit(limit: bytes.count - 1)
        XCTAssertThrowsError(try MessageSizeLimit.Deserializer<Inference_ModelInferRequest>(limit: limit).deserialize(bytes)) { error in
            let rpc = error as? RPCError
            XCTAssertEqual(rpc?.code, .resourceExhausted)
            XCTAssertTrue(rpc?.message.contains("\(bytes.count) bytes") == true && rpc?.message.contains("--max-body-bytes") == true, "\(error)")
        }
        let exact = try MessageSizeLimit.Deserializer<Inference_ModelInferRequest>(limit: MessageSizeLimit(limit: bytes.count)).deserialize(bytes)
        XCTAssertEqual(exact, message)
    }

    func testTheTransportReadsHeadroomPastTheLimitWithinTheFramesLength() {
        XCTAssertEqual(MessageSizeLimit(limit: 100_000).transportLimit, 100_000 + MessageSizeLimit.headroom)
        XCTAssertEqual(MessageSizeLimit(limit: Int(UInt32.max)).transportLimit, Int(UInt32.max))
    }
}

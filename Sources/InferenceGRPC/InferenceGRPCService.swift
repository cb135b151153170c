import FoundationEssentials  // Data; not Foundation, which would load ICU (about 30 MiB) for nothing
import GRPCCore
import InferenceProtocol
import PoolCore
import Pooling
import Synchronization

/// `inference.GRPCInferenceService`: the Open Inference Protocol over gRPC on the same layer
/// repository, plan and executor as the REST routes, so that each call gets REST's answer in
/// gRPC's form. Errors are status codes: INVALID_ARGUMENT with REST's message for a bad
/// request, NOT_FOUND for an unknown model or version, RESOURCE_EXHAUSTED for a size limit or
/// the memory budget, UNAVAILABLE while the server drains or when the compute queue is full,
/// CANCELLED or DEADLINE_EXCEEDED when the client's cancellation or deadline stopped the kernels.
final class InferenceGRPCService: Inference_GRPCInferenceService.SimpleServiceProtocol {
    let repository: LayerRepository
    let executor: PoolExecutor
    let isReady: @Sendable () -> Bool
    let gate: ComputeGate
    let account: @Sendable () -> any GRPCMemoryAccount
    /// The kernels' cancellation flags of the calls in flight, for the drain deadline.
    let inFlight = Mutex<[ObjectIdentifier: Cancellation]>([:])
    /// Whether the drain began (new calls are refused UNAVAILABLE).
    let draining = Atomic<Bool>(false)

    init(repository: LayerRepository, limits: Limits, isReady: @escaping @Sendable () -> Bool, gate: ComputeGate,
         account: @escaping @Sendable () -> any GRPCMemoryAccount) {
        self.repository = repository
        executor = PoolExecutor(limits: limits)
        self.isReady = isReady
        self.gate = gate
        self.account = account
    }

    var ready: Bool { isReady() && !draining.load(ordering: .relaxed) }

    func serverLive(request: Inference_ServerLiveRequest, context: ServerContext) async throws -> Inference_ServerLiveResponse {
        .with { $0.live = true }
    }

    func serverReady(request: Inference_ServerReadyRequest, context: ServerContext) async throws -> Inference_ServerReadyResponse {
        .with { $0.ready = ready }
    }

    func modelReady(request: Inference_ModelReadyRequest, context: ServerContext) async throws -> Inference_ModelReadyResponse {
        // An unknown model or version is not ready (what tritonclient.http reads from REST's 404).
        let known = (try? layer(request.name, request.version)) != nil
        return .with { $0.ready = known && ready }
    }

    func serverMetadata(request: Inference_ServerMetadataRequest, context: ServerContext) async throws -> Inference_ServerMetadataResponse {
        .with {
            $0.name = InferenceServer.name
            $0.version = InferenceServer.version
            $0.extensions = []  // binary_tensor_data is REST's; gRPC carries raw contents natively
        }
    }

    func modelMetadata(request: Inference_ModelMetadataRequest, context: ServerContext) async throws -> Inference_ModelMetadataResponse {
        let layer = try layer(request.name, request.version)
        let (inputs, outputs) = layer.signature
        func tensor(_ s: LayerModel.TensorSignature) -> Inference_ModelMetadataResponse.TensorMetadata {
            .with {
                $0.name = s.name
                $0.datatype = s.datatype.rawValue
                $0.shape = s.shape.map(Int64.init)
            }
        }
        return .with {
            $0.name = layer.name
            $0.versions = [LayerModel.version]
            $0.platform = "poolserve"
            $0.inputs = inputs.map(tensor)
            $0.outputs = outputs.map(tensor)
        }
    }

    func modelInfer(request: Inference_ModelInferRequest, context: ServerContext) async throws -> Inference_ModelInferResponse {
        try await answer(request, context: context).response
    }

    /// `ModelInfer`: the answer with its raw outputs still tensors (``InferAnswer/Serializer``
    /// writes them into the message on the wire).
    func answer(_ request: Inference_ModelInferRequest, context: ServerContext) async throws -> InferAnswer {
        guard ready else { throw RPCError(code: .unavailable, message: "the server is draining or not ready; send the call to another replica") }
        let layer = try layer(request.modelName, request.modelVersion)
        let limits = executor.limits
        let (plan, id, messageBytes): (InferencePlan, String?, Int)
        do throws(InferenceError) {
            let translated = try GRPCInferRequest(request, maxElements: limits.maxElements)
            plan = try InferencePlan(translated.request, layer: layer, body: translated.body, limits: limits)
            id = translated.request.id
            messageBytes = translated.body.count
        } catch {
            throw Self.status(error)
        }
        let cancellation = Cancellation()
        let key = ObjectIdentifier(cancellation)
        inFlight.withLock { $0[key] = cancellation }
        defer { _ = inFlight.withLock { $0.removeValue(forKey: key) } }
        let account = self.account()
        defer { account.release() }
        let executor = self.executor
        let binary = plan.asked.map { $0.allSatisfy(\.binary) } ?? plan.request.binaryOutput
        // The plan goes to one compute thread and is used there alone.
        let sent = Handoff(plan)
        // The kernels run on the compute gate's threads, never on the concurrency pool; the
        // client's deadline or cancellation raises the kernels' flag.
        // grpc-swift signals a passed deadline through the RPC's cancellation handle, a client
        // that cancels or leaves through task cancellation: both raise the kernels' flag. The
        // handle is also raised for every call when the graceful shutdown begins: while
        // draining it is ignored, so calls in flight finish, and the drain deadline
        // (``cancelAll()``) stops them.
        let outcome = try await withRPCCancellationHandler {
            try await withTaskCancellationHandler {
                try await gate.run { () -> Result<Handoff<([OutputTensor], String?)>, InferenceRunFailure> in
                    var clock = StageClock()
                    let plan = sent.value
                    return plan.run(on: executor, clock: &clock, cancellation: cancellation) { _, estimate in
                        account.reserve(messageBytes + estimate.bytes(valueBytes: binary ? (plan.wireType.byteSize ?? 8) : 8, indexBytes: 8))
                    }.map { Handoff(($0.outputs, $0.computed.job.convention?.summary.jsonText)) }
                }
            } onCancel: {
                cancellation.cancel()
            }
        } onCancelRPC: { [self] in
            if !draining.load(ordering: .relaxed) { cancellation.cancel() }
        }
        switch outcome {
        case .success(let sent):
            var answer = InferAnswer(model: layer.name, id: id, outputs: sent.value.0)
            if let rules = sent.value.1 {
                var parameter = Inference_InferParameter()
                parameter.stringParam = rules
                answer.head.parameters["rules"] = parameter
            }
            return answer
        case .failure(.error(let error)): throw Self.status(error)
        case .failure(.overBudget):
            throw RPCError(code: .resourceExhausted, message: "the server's memory budget for requests in flight has no room for this call now; retry later or send a smaller tensor")
        case .failure(.cancelled):
            throw RPCError(code: .cancelled, message: "the call was cancelled (client deadline, cancellation or the drain deadline) and its computation stopped")
        }
    }

    /// Raises the kernels' flag of every call in flight (the drain deadline).
    func cancelAll() {
        for c in inFlight.withLock({ Array($0.values) }) { c.cancel() }
    }

    /// The layer named `name` at `version` ("" for none), or NOT_FOUND with REST's message.
    private func layer(_ name: String, _ version: String) throws -> LayerModel {
        guard let layer = repository.layer(named: name) else {
            throw RPCError(code: .notFound, message: "Request for unknown model: \(quoted(name)) is not found")
        }
        if !version.isEmpty, version != LayerModel.version {
            throw RPCError(code: .notFound, message: "Request for unknown model: \(quoted(name)) version \(quoted(version)) is not found (its one version is '\(LayerModel.version)')")
        }
        return layer
    }

    /// The status of a protocol error: 413 (a size limit) is RESOURCE_EXHAUSTED, 404 NOT_FOUND,
    /// every other INVALID_ARGUMENT; the message is REST's.
    static func status(_ error: InferenceError) -> RPCError {
        let code: RPCError.Code
        switch error.status {
        case 413: code = .resourceExhausted
        case 404: code = .notFound
        default: code = .invalidArgument
        }
        return RPCError(code: code, message: error.message)
    }
}

/// A value handed from one thread to another and used by one of them at a time.
struct Handoff<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

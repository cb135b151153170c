import GRPCCore
import GRPCProtobuf
import SwiftProtobuf

/// REST's body limit applied to a gRPC message, answered RESOURCE_EXHAUSTED with the sizes.
///
/// grpc-swift-nio-transport refuses a message over its own payload limit by resetting the stream
/// (the client sees CANCELLED). So the transport's limit is set `headroom` bytes above ours: a
/// message up to that size reaches ``Deserializer`` and gets RESOURCE_EXHAUSTED naming the limit;
/// only a message past it is reset, before it is read. What one call can make the server hold is
/// thus `limit + headroom` bytes at most.
struct MessageSizeLimit: Sendable {
    /// The largest message, after decompression (`--max-body-bytes`).
    let limit: Int
    /// How far past `limit` a message is still read to be answered RESOURCE_EXHAUSTED.
    static let headroom = 16 << 20

    /// The transport's payload limit: `limit + headroom`, at most the gRPC frame's 32-bit length.
    var transportLimit: Int { min(limit + Self.headroom, Int(UInt32.max)) }

    /// RESOURCE_EXHAUSTED when `count` bytes are over the limit, with REST's 413 wording.
    func check(_ count: Int) throws(RPCError) {
        guard count > limit else { return }
        throw RPCError(code: .resourceExhausted, message: "the message is \(count) bytes after decompression, over the limit of \(limit) bytes (raise it with --max-body-bytes)")
    }

    /// The protobuf deserializer behind the size check.
    struct Deserializer<Message: SwiftProtobuf.Message>: MessageDeserializer {
        let limit: MessageSizeLimit

        func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> Message {
            try limit.check(serializedMessageBytes.count)
            return try ProtobufDeserializer<Message>().deserialize(serializedMessageBytes)
        }
    }
}

/// `inference.GRPCInferenceService` with `ModelInfer`'s request checked against the message
/// size limit before it is decoded (the other methods' requests are a few bytes), and its answer
/// serialized by ``InferAnswer/Serializer``.
struct SizeLimitedInferenceService: RegistrableRPCService {
    let service: InferenceGRPCService
    let limit: MessageSizeLimit

    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        service.registerMethods(with: &router)
        let service = self.service
        router.registerHandler(
            forMethod: Inference_GRPCInferenceService.Method.ModelInfer.descriptor,
            deserializer: MessageSizeLimit.Deserializer<Inference_ModelInferRequest>(limit: limit),
            serializer: InferAnswer.Serializer(),
            handler: { request, context in
                let single = try await ServerRequest(stream: request)
                let answer = try await service.answer(single.message, context: context)
                return StreamingServerResponse(single: ServerResponse(message: answer, metadata: [:]))
            })
    }
}

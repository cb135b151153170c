// swift-tools-version:6.1
import PackageDescription

/// poolserve: neural-network pooling (forward and backward) as an HTTP JSON service.
///
/// Dependencies run one way:
/// `Parallelism` (chunks on all cores) → `TensorJSON` (JSON parser, document decoder, tensor codec;
/// knows nothing of pooling or HTTP); `CMicroHTTPD`, `CZlib` → `MicroHTTP` (HTTP, no pooling);
/// `Parallelism` → `Pooling` (math, no HTTP or JSON); `PoolAPI` (models, validation, handlers: uses
/// TensorJSON, Pooling and MicroHTTP) → `InferenceAPI` (the Open Inference Protocol v2 over the
/// same validation and core) → `poolserve` (the executable).
///
/// Linux only: the server uses Linux socket options, cgroup and /proc figures, and glibc's
/// allocator controls, and is built and tested on Debian 12 alone (MicroHTTP refuses to
/// compile elsewhere).
/// Every target is in the Swift 6 language mode (the package default below).

/// The gRPC front end and its dependencies (SwiftNIO, BoringSSL, swift-protobuf: most of a cold
/// build's time). `POOLSERVE_WITHOUT_GRPC=1` leaves them out: the sanitizer and fuzzing builds
/// (mk/sanitize.mk, `make fuzz`) cover the HTTP server and the core without them, and
/// `poolserve --grpc-port` then exits saying so (Poolserve+GRPC.swift checks `canImport(InferenceGRPC)`).
let withGRPC = Context.environment["POOLSERVE_WITHOUT_GRPC"] == nil

let grpcPackages: [Package.Dependency] = [
    // The gRPC front end only (InferenceGRPC): SwiftNIO comes with these, and no other target links it.
    .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
    .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
    .package(url: "https://github.com/grpc/grpc-swift-protobuf", from: "2.4.1"),
    // No default traits: BinaryDelimitedStreams would link all of Foundation (and ICU, about
    // 30 MiB) for streams poolserve never uses; grpc-swift-protobuf opts out the same way.
    // (`traits:` is why the manifest needs tools 6.1.)
    .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0", traits: []),
]

let grpcTargets: [Target] = [
    // The protocol over gRPC (grpc-swift 2 on SwiftNIO), with code generated from Protos/
    // by scripts/generate-grpc.sh and committed (the protoc plugins stay out of this package).
    .target(
        name: "InferenceGRPC",
        dependencies: [
            "InferenceProtocol", "PoolCore", "TensorJSON", "Pooling",
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
            .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            .product(name: "Logging", package: "swift-log"),
        ]
    ),
    .testTarget(name: "InferenceGRPCTests", dependencies: ["InferenceGRPC", "InferenceProtocol", "PoolCore", "TestSupport"]),
]

let package = Package(
    name: "poolserve",
    products: [
        .executable(name: "poolserve", targets: ["poolserve"]),
        .executable(name: "pool-bench", targets: ["pool-bench"]),
        .library(name: "Pooling", targets: ["Pooling"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.4.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
    ] + (withGRPC ? grpcPackages : []),
    targets: [
        .systemLibrary(
            name: "CMicroHTTPD",
            pkgConfig: "libmicrohttpd",
            providers: [.apt(["libmicrohttpd-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(name: "CTCPInfo"),
        .target(name: "MicroHTTP", dependencies: ["CMicroHTTPD", "CZlib", "CTCPInfo", "Parallelism", "TensorJSON"]),
        .target(name: "Parallelism"),
        .target(name: "CHeapStats"),
        .target(name: "RequestDecoding"),
        .target(name: "TensorJSON", dependencies: ["Parallelism", "RequestDecoding"]),
        .target(name: "Pooling", dependencies: ["Parallelism"]),
        .target(
            name: "PoolCore",
            dependencies: ["RequestDecoding", "Pooling", .product(name: "CoreMetrics", package: "swift-metrics")]
        ),
        .target(
            name: "PoolAPI",
            dependencies: ["PoolCore", "TensorJSON", "Pooling", "MicroHTTP"],
            resources: [
                .embedInCode("Resources/openapi.yaml"),
                .embedInCode("Resources/playground.html"),
                .embedInCode("Resources/playground.css"),
                .embedInCode("Resources/playground.js"),
            ]
        ),
        // What the Open Inference Protocol's transports share: the layer repository, the plan
        // from tensors and parameters, outputs, datatypes and messages. No HTTP, no gRPC.
        .target(name: "InferenceProtocol", dependencies: ["PoolCore", "TensorJSON", "Pooling"]),
        .target(name: "InferenceAPI", dependencies: ["InferenceProtocol", "PoolCore", "TensorJSON", "Pooling", "MicroHTTP"]),
        .executableTarget(name: "codec-bench", dependencies: ["TensorJSON"]),
        .executableTarget(name: "pool-bench", dependencies: ["Pooling"]),
        .target(name: "FuzzHarness", dependencies: ["PoolAPI", "PoolCore", "InferenceAPI", "MicroHTTP"]),
        .executableTarget(name: "poolserve-fuzz", dependencies: ["FuzzHarness"]),
        .target(
            name: "Observability",
            dependencies: [
                "MicroHTTP", "TensorJSON",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "poolserve",
            dependencies: [
                "PoolAPI", "PoolCore", "InferenceAPI", "MicroHTTP", "Observability",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ] + (withGRPC ? ["InferenceGRPC"] : [])
        ),
        .target(name: "TestSupport", dependencies: ["Pooling"], path: "Tests/TestSupport"),
        .testTarget(name: "PoolingTests", dependencies: ["Pooling", "TestSupport"]),
        .testTarget(name: "ParallelismTests", dependencies: ["Parallelism"]),
        .testTarget(name: "FuzzHarnessTests", dependencies: ["FuzzHarness"]),
        .testTarget(name: "ObservabilityTests", dependencies: ["Observability", "MicroHTTP"]),
        .testTarget(name: "MicroHTTPTests", dependencies: ["MicroHTTP", "TestSupport", "CZlib"]),
        .testTarget(name: "TensorJSONTests", dependencies: ["TensorJSON", "TestSupport", "CHeapStats"]),
        .target(name: "APITestSupport", dependencies: ["PoolAPI", "PoolCore", "TensorJSON", "MicroHTTP", "TestSupport"], path: "Tests/APITestSupport"),
        .testTarget(name: "PoolCoreTests", dependencies: ["PoolCore", "TensorJSON", "Pooling", "TestSupport"]),
        .testTarget(name: "PoolAPITests", dependencies: ["PoolAPI", "PoolCore", "TensorJSON", "Pooling", "MicroHTTP", "TestSupport", "APITestSupport"]),
        .testTarget(name: "InferenceAPITests", dependencies: ["InferenceAPI", "PoolAPI", "PoolCore", "TensorJSON", "Pooling", "MicroHTTP", "TestSupport"]),
        .testTarget(name: "FrontEndParityTests", dependencies: ["PoolAPI", "PoolCore", "InferenceAPI", "MicroHTTP", "TensorJSON", "TestSupport", "APITestSupport"]),
        .testTarget(name: "IntegrationTests", dependencies: ["PoolAPI", "PoolCore", "InferenceAPI", "TensorJSON", "Pooling", "MicroHTTP", "TestSupport", "APITestSupport"]),
    ] + (withGRPC ? grpcTargets : []),
    swiftLanguageModes: [.v6]
)

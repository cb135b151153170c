// swift-tools-version:6.0
import PackageDescription

/// poolserve: neural-network pooling (forward and backward) as an HTTP JSON service.
///
/// Dependencies run one way:
/// `CMicroHTTPD` → `MicroHTTP` (HTTP, no pooling); `Pooling` (math, no HTTP or JSON);
/// `PoolAPI` (JSON, validation, handlers: uses both) → `InferenceAPI` (the Open Inference
/// Protocol v2 over the same validation and core) → `poolserve` (the executable).
let package = Package(
    name: "poolserve",
    platforms: [.macOS(.v15)],
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
    ],
    targets: [
        .systemLibrary(
            name: "CMicroHTTPD",
            pkgConfig: "libmicrohttpd",
            providers: [.apt(["libmicrohttpd-dev"])]
        ),
        .target(name: "MicroHTTP", dependencies: ["CMicroHTTPD"]),
        .target(name: "Pooling"),
        .target(
            name: "PoolAPI",
            dependencies: ["Pooling", "MicroHTTP", .product(name: "CoreMetrics", package: "swift-metrics")],
            resources: [.embedInCode("Resources/openapi.yaml")]
        ),
        .target(
            name: "InferenceAPI",
            dependencies: ["PoolAPI", "Pooling", "MicroHTTP"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(name: "codec-bench", dependencies: ["PoolAPI"]),
        .executableTarget(name: "pool-bench", dependencies: ["Pooling"]),
        .executableTarget(name: "poolserve-fuzz", dependencies: ["PoolAPI", "InferenceAPI", "MicroHTTP"]),
        .executableTarget(
            name: "poolserve",
            dependencies: [
                "PoolAPI", "InferenceAPI", "MicroHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .target(name: "TestSupport", dependencies: ["Pooling"], path: "Tests/TestSupport"),
        .testTarget(name: "PoolingTests", dependencies: ["Pooling", "TestSupport"]),
        .testTarget(name: "MicroHTTPTests", dependencies: ["MicroHTTP", "TestSupport"]),
        .target(name: "APITestSupport", dependencies: ["PoolAPI", "MicroHTTP", "TestSupport"], path: "Tests/APITestSupport"),
        .testTarget(name: "PoolAPITests", dependencies: ["PoolAPI", "Pooling", "MicroHTTP", "TestSupport", "APITestSupport"]),
        .testTarget(
            name: "InferenceAPITests",
            dependencies: ["InferenceAPI", "PoolAPI", "Pooling", "MicroHTTP", "TestSupport"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .testTarget(name: "IntegrationTests", dependencies: ["PoolAPI", "Pooling", "MicroHTTP", "TestSupport", "APITestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)

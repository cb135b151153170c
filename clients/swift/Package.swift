// swift-tools-version:6.0
import PackageDescription

/// PoolserveClient: a Swift client of poolserve's native API (`/pool/forward`, `/pool/backward`,
/// `/healthz`, `/readyz`), generated from the server's openapi.yaml by swift-openapi-generator
/// (types and client) at build time, over URLSession. A package of its own, so that the
/// server's build does not pay for the generator.
let package = Package(
    name: "PoolserveClient",
    platforms: [.macOS(.v13), .iOS(.v16)],
    products: [
        .library(name: "PoolserveClient", targets: ["PoolserveClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-openapi-generator", exact: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        .package(url: "https://github.com/apple/swift-openapi-urlsession", from: "1.4.0"),
    ],
    targets: [
        .target(
            name: "PoolserveClient",
            dependencies: [
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIURLSession", package: "swift-openapi-urlsession"),
            ],
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        .testTarget(name: "PoolserveClientTests", dependencies: ["PoolserveClient"]),
    ],
    swiftLanguageModes: [.v6]
)

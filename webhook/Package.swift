// swift-tools-version:6.0
import PackageDescription

// `kubearch-webhook`: the admission webhook (SPEC §13). A package of its own so that the server's
// dependencies (SwiftNIO, swift-nio-ssl's BoringSSL, swift-prometheus) are built only when the
// webhook is built; the CLI in the root package never sees them.
let package = Package(
    name: "kubearch-webhook",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "kubearch-webhook", targets: ["kubearch-webhook"]),
    ],
    dependencies: [
        // The root package (KubearchCore, KubearchRegistry); named, because a path dependency is
        // otherwise known by its folder name, which differs between clones.
        .package(name: "kubearch", path: ".."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Admission review decoding, the patch planner, the image cache and the HTTP/TLS servers.
        .target(
            name: "KubearchWebhook",
            dependencies: [
                .product(name: "KubearchCore", package: "kubearch"),
                .product(name: "KubearchRegistry", package: "kubearch"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "kubearch-webhook",
            dependencies: [
                "KubearchWebhook",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "KubearchWebhookTests",
            dependencies: [
                "KubearchWebhook", .product(name: "KubearchCore", package: "kubearch"),
                // The registry tests' support (RegistrySupport is a link to the root package's).
                .product(name: "KubearchRegistry", package: "kubearch"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

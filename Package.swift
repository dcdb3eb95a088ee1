// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "kubearch",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "kubearch", targets: ["kubearch"]),
        .library(name: "KubearchCore", targets: ["KubearchCore"]),
        // For the webhook package in webhook/ (SPEC §13), which resolves images as `lock` does.
        .library(name: "KubearchRegistry", targets: ["KubearchRegistry"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System libyaml (libyaml-dev). Not Yams: it vendors libyaml and its symbols clash.
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        // libcurl (libcurl4-openssl-dev) with typed shims over its variadic setopt/getinfo. Opened with
        // dlopen on first use (see shim.c), so runs that never reach a registry do not load it.
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        // syncfs(2), which Swift's Glibc module does not declare.
        .target(name: "CKubearchSystem"),

        // YAML model, scanner, image references, policy, rules, edits. No printing, no exit, no network.
        .target(name: "KubearchCore", dependencies: ["CYAML", "CKubearchSystem"]),
        // Kustomize rendering, between the scanner and the policy: roots in, rendered workloads with
        // provenance out. Offline, no printing.
        .target(name: "KubearchKustomize", dependencies: ["KubearchCore"]),
        // OCI / Docker distribution client over libcurl.
        .target(name: "KubearchRegistry", dependencies: ["KubearchCore", "CCurl"]),
        // text, json, sarif, github output.
        .target(name: "KubearchReporters", dependencies: ["KubearchCore"]),
        // The thin command-line front end.
        .executableTarget(
            name: "kubearch",
            dependencies: [
                "KubearchCore", "KubearchKustomize", "KubearchRegistry", "KubearchReporters",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // The Swift runtime and Foundation linked in: resolving their symbols across a dozen shared
            // libraries took about a third of every run's start-up (a pre-commit hook must feel instant).
            // Linux only: elsewhere the system's runtime is in the shared cache.
            linkerSettings: [
                .unsafeFlags(["-static-stdlib"], .when(platforms: [.linux])),
                // What static Foundation needs besides what the modules' autolink entries name (those
                // were compiled against the shared Foundation).
                .linkedLibrary("CoreFoundation", .when(platforms: [.linux])),
                .linkedLibrary("_FoundationICU", .when(platforms: [.linux])),
                .linkedLibrary("_FoundationCShims", .when(platforms: [.linux])),
                .linkedLibrary("_FoundationCollections", .when(platforms: [.linux])),
                .linkedLibrary("swiftSynchronization", .when(platforms: [.linux])),
            ]
        ),

        .testTarget(name: "KubearchCoreTests", dependencies: ["KubearchCore"]),
        .testTarget(name: "KubearchKustomizeTests", dependencies: ["KubearchKustomize", "KubearchCore"]),
        .testTarget(
            name: "KubearchRegistryTests", dependencies: ["KubearchRegistry", "KubearchCore"],
            // Python helpers the test support runs (registry token issuer, recording server, lifeline).
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "KubearchReportersTests", dependencies: ["KubearchReporters", "KubearchCore"]),
        .testTarget(name: "KubearchCLITests", dependencies: ["KubearchCore"]),
    ],
    swiftLanguageModes: [.v6]
)

// swift-tools-version: 6.1
import PackageDescription

/// Strict settings for every Swift target, in one place.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Trustflow",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "trustflow", targets: ["trustflow"]),
        // The AWS client stands alone: no Graphviz, no cmark, no model.
        .library(name: "AWSClient", targets: ["AWSClient"]),
        .library(name: "AWSMock", targets: ["AWSMock"]),
        .library(name: "Policy", targets: ["Policy"]),
        .library(name: "Source", targets: ["Source"]),
        .library(name: "Model", targets: ["Model"]),
        .library(name: "Resolution", targets: ["Resolution"]),
        .library(name: "TrustflowKit", targets: ["TrustflowKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // The HTTP server of `trustflow mock` (and later `serve`); only the Server target uses it. Its default traits pull
        // swift-configuration and full Foundation in, which nothing here needs.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-log", from: "1.14.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // C libraries: a module map, a shim header, pkg-config. Nothing but the thin wrappers imports them.
        .systemLibrary(name: "CGraphviz", pkgConfig: "libgvc", providers: [.apt(["libgraphviz-dev"])]),
        .systemLibrary(name: "CCMark", pkgConfig: "libcmark", providers: [.apt(["libcmark-dev"])]),
        .target(name: "Graphviz", dependencies: ["CGraphviz"], swiftSettings: strict),
        .target(name: "CommonMark", dependencies: ["CCMark"], swiftSettings: strict),

        // Pure Swift libraries. Source: located values, diagnostics and the located JSON reader/writer, used by all;
        // Policy is the IAM grammar and engine alone.
        .target(name: "Source", swiftSettings: strict),
        // The action catalog (scripts/generate-action-catalog.py) is a resource, read lazily, one service at a time.
        .target(name: "Policy", dependencies: ["Source"], resources: [.copy("Catalog/service-authorization.txt")], swiftSettings: strict),
        // libyaml's events as Swift values (libyaml ships inside Yams): the only code that touches libyaml's pointers.
        .target(name: "YAMLEvents", dependencies: [.product(name: "Yams", package: "Yams")], swiftSettings: strict),
        .target(name: "Model", dependencies: ["Source", "Policy", "YAMLEvents", .product(name: "Yams", package: "Yams")], swiftSettings: strict),
        // AWSClient stands alone but for Source's calendar: no C, no model, no server.
        .target(name: "AWSClient", dependencies: ["Source", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: strict),
        // What every step means, resolved once; every output and the mock read it.
        .target(name: "Resolution", dependencies: ["Source", "Model", "Policy"], swiftSettings: strict),
        .target(
            name: "AWSMock", dependencies: ["AWSClient", "Source", "Policy", "Model", "Resolution", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict),
        .target(name: "Render", dependencies: ["Source", "Model", "Policy", "Resolution", "Graphviz", "CommonMark"], swiftSettings: strict),
        // The one HTTP server (Hummingbird): loopback-only plumbing, with the simulator's endpoint as one use. Kept out
        // of the AWSClient, AWSMock and Policy products.
        .target(
            name: "Server",
            dependencies: ["AWSClient", "AWSMock", "Model", "Source", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strict
        ),
        .target(name: "TrustflowKit", dependencies: ["Source", "Model", "Policy", "Resolution", "Render"], swiftSettings: strict),
        .executableTarget(
            name: "trustflow",
            dependencies: [
                "TrustflowKit", "Source", "Model", "Policy", "Resolution", "Render", "AWSClient", "AWSMock", "Server",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),

        .executableTarget(
            name: "trustflow-bench", dependencies: ["TrustflowKit", "Source", "Model", "Policy", "Resolution", "Render", "AWSClient", "AWSMock", "Server", "TestSupport"],
            swiftSettings: strict
        ),

        .testTarget(name: "PolicyTests", dependencies: ["Source", "Policy"], resources: [.copy("Corpus"), .copy("Parliament")], swiftSettings: strict),
        // Content folders for tests: the repository's default content (copied, edited) and temporary models.
        // Also the property tests' generator and consistency check, which read every output (and the bench runs at scale).
        .target(
            name: "TestSupport", dependencies: ["Source", "Model", "Policy", "Resolution", "Render", "AWSMock", "AWSClient"], path: "Tests/TestSupport",
            swiftSettings: strict),
        .testTarget(name: "ModelTests", dependencies: ["Source", "Model", "Policy", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "ResolutionTests", dependencies: ["Source", "Resolution", "Model", "Policy", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "AWSClientTests", dependencies: ["AWSClient"], swiftSettings: strict),
        .testTarget(name: "AWSMockTests", dependencies: ["Source", "AWSMock", "AWSClient", "Model", "Policy", "Resolution", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "ServerTests", dependencies: ["Server", "AWSMock", "AWSClient", "Model"], swiftSettings: strict),
        .testTarget(name: "GraphvizTests", dependencies: ["Graphviz"], swiftSettings: strict),
        .testTarget(name: "CommonMarkTests", dependencies: ["CommonMark"], swiftSettings: strict),
        .testTarget(name: "RenderTests", dependencies: ["Source", "Render", "Model", "Policy", "Resolution", "Graphviz"], exclude: ["Golden", "Fixtures"], swiftSettings: strict),
        .testTarget(name: "TrustflowKitTests", dependencies: ["Source", "TrustflowKit", "Model", "Policy", "Resolution", "Render"], swiftSettings: strict),
    ]
)

// libFuzzer targets (Fuzz/, see Fuzz/README.md): declared only when scripts/fuzz.sh builds them, with
// -sanitize=fuzzer,address and its own build folder, so that `swift build` and `swift test` never see them.
if Context.environment["TRUSTFLOW_FUZZ"] != nil {
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("JSONReader", ["Source"]),
        ("YAMLLoader", ["Source", "Model", "Resolution"]),
        ("PolicyParser", ["Source", "Policy"]),
        ("SimulateInput", ["Source", "Policy"]),
        ("ConditionEvaluator", ["Source", "Policy"]),
        ("SigV4Authorization", ["AWSClient", "AWSMock", "Model"]),
        ("SimulatorRequests", ["AWSClient", "AWSMock", "Model"]),
        // The bytes of `trustflow mock`'s socket through the HTTP/1.1 decoder and codec Hummingbird uses, then the
        // endpoint, as the server runs them.
        ("MockHTTP", ["AWSClient", "AWSMock", "Model", "Server", .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"), .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras")]),
    ]
    // Hummingbird's own dependency, named here for its HTTP/1.1 ⇄ HTTP types codec.
    package.dependencies.append(.package(url: "https://github.com/apple/swift-nio-extras", from: "1.34.1"))
    // libFuzzer's driver, declared for Swift: each target's main.swift hands it the function to fuzz.
    package.targets.append(.target(name: "FuzzDriver", path: "Fuzz/Driver"))
    for target in fuzzTargets {
        package.targets.append(.executableTarget(
            name: "Fuzz" + target.name, dependencies: ["FuzzDriver"] + target.dependencies, path: "Fuzz/" + target.name, swiftSettings: strict))
    }
}

// swift-tools-version: 6.0
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
        .library(name: "Model", targets: ["Model"]),
        .library(name: "Resolution", targets: ["Resolution"]),
        .library(name: "TrustflowKit", targets: ["TrustflowKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // C libraries: a module map, a shim header, pkg-config. Nothing but the thin wrappers imports them.
        .systemLibrary(name: "CGraphviz", pkgConfig: "libgvc", providers: [.apt(["libgraphviz-dev"])]),
        .systemLibrary(name: "CCMark", pkgConfig: "libcmark", providers: [.apt(["libcmark-dev"])]),
        .target(name: "Graphviz", dependencies: ["CGraphviz"], swiftSettings: strict),
        .target(name: "CommonMark", dependencies: ["CCMark"], swiftSettings: strict),

        // Pure Swift libraries.
        .target(name: "Policy", swiftSettings: strict),
        .target(name: "Model", dependencies: ["Policy", .product(name: "Yams", package: "Yams")], swiftSettings: strict),
        .target(name: "AWSClient", dependencies: [.product(name: "Crypto", package: "swift-crypto")], swiftSettings: strict),
        // What every step means, resolved once; every output and the mock read it.
        .target(name: "Resolution", dependencies: ["Model", "Policy"], swiftSettings: strict),
        .target(name: "AWSMock", dependencies: ["AWSClient", "Policy", "Model", "Resolution"], swiftSettings: strict),
        .target(name: "Render", dependencies: ["Model", "Policy", "Resolution", "Graphviz", "CommonMark"], swiftSettings: strict),
        .target(name: "TrustflowKit", dependencies: ["Model", "Policy", "Resolution", "Render"], swiftSettings: strict),
        .executableTarget(
            name: "trustflow",
            dependencies: ["TrustflowKit", "Model", "Policy", "Resolution", "Render", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict
        ),

        .executableTarget(
            name: "trustflow-bench", dependencies: ["TrustflowKit", "Model", "Policy", "Resolution", "Render", "AWSClient", "AWSMock", "TestSupport"],
            swiftSettings: strict
        ),

        .testTarget(name: "PolicyTests", dependencies: ["Policy"], resources: [.copy("Corpus")], swiftSettings: strict),
        // Content folders for tests: the repository's default content (copied, edited) and temporary models.
        // Also the property tests' generator and consistency check, which read every output (and the bench runs at scale).
        .target(
            name: "TestSupport", dependencies: ["Model", "Policy", "Resolution", "Render", "AWSMock", "AWSClient"], path: "Tests/TestSupport",
            swiftSettings: strict),
        .testTarget(name: "ModelTests", dependencies: ["Model", "Policy", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "ResolutionTests", dependencies: ["Resolution", "Model", "Policy", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "AWSClientTests", dependencies: ["AWSClient"], swiftSettings: strict),
        .testTarget(name: "AWSMockTests", dependencies: ["AWSMock", "AWSClient", "Model", "Policy", "Resolution"], swiftSettings: strict),
        .testTarget(name: "GraphvizTests", dependencies: ["Graphviz"], swiftSettings: strict),
        .testTarget(name: "CommonMarkTests", dependencies: ["CommonMark"], swiftSettings: strict),
        .testTarget(name: "RenderTests", dependencies: ["Render", "Model", "Policy", "Resolution", "Graphviz"], exclude: ["Golden"], swiftSettings: strict),
        .testTarget(name: "TrustflowKitTests", dependencies: ["TrustflowKit", "Model", "Policy", "Resolution", "Render"], swiftSettings: strict),
    ]
)

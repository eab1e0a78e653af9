// swift-tools-version:6.0
// ShareFuzz: libFuzzer targets for ShareKit's parsers. Built on its own, with the fuzzer
// sanitizer, by scripts/fuzz:
//
//   swift build --package-path Fuzz -c release -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library
//
// It depends on the local packages by path. Some parsers live in targets too heavy to instrument
// here (the gateway's path normaliser, body credential filters and hand-written HTTP/1.1 parser —
// heads, body framing, chunked bodies; the sandbox's reading of presented client credentials);
// MirroredParsers, MirroredGatewayFilters and MirroredHTTP1 compile their very source files,
// which they hold as symbolic links, so what is fuzzed is exactly what ships. A shim file beside
// the links (not a link) gives the harness a public face onto the internal types.
import PackageDescription

let package = Package(
    name: "ShareFuzz",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "share-fuzz", targets: ["ShareFuzz"]),
    ],
    dependencies: [
        .package(path: "../Packages/Models"),
        .package(path: "../Packages/Wire"),
        .package(path: "../Packages/Credentials"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
    ],
    targets: [
        .target(name: "CLibFuzzer", path: "Sources/CLibFuzzer"),
        .target(
            name: "MirroredParsers",
            path: "Sources/MirroredParsers",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .target(
            name: "MirroredGatewayFilters",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            path: "Sources/MirroredGatewayFilters",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .target(
            name: "MirroredHTTP1",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            path: "Sources/MirroredHTTP1",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "ShareFuzz",
            dependencies: [
                "CLibFuzzer",
                "MirroredParsers",
                "MirroredGatewayFilters",
                "MirroredHTTP1",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ShareModels", package: "Models"),
                .product(name: "ShareWire", package: "Wire"),
                .product(name: "ShareCredentials", package: "Credentials"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Sources/ShareFuzz",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)

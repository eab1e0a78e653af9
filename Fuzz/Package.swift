// swift-tools-version:6.0
// ShareFuzz: libFuzzer targets for ShareKit's parsers. Built on its own, with the fuzzer
// sanitizer, by scripts/fuzz:
//
//   swift build --package-path Fuzz -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
//
// It depends on the local packages by path, ShareCore among them: the gateway's HTTP/1.1 reading,
// path normaliser and body credential filters and the sandbox's reading of presented client
// credentials live there, so what is fuzzed is exactly what ships.
import PackageDescription

let package = Package(
    name: "ShareFuzz",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "share-fuzz", targets: ["ShareFuzz"]),
    ],
    dependencies: [
        .package(path: "../Packages/Core"),
        .package(path: "../Packages/Models"),
        .package(path: "../Packages/Wire"),
        .package(path: "../Packages/Credentials"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
    ],
    targets: [
        .target(name: "CLibFuzzer", path: "Sources/CLibFuzzer"),
        .executableTarget(
            name: "ShareFuzz",
            dependencies: [
                "CLibFuzzer",
                .product(name: "ShareCore", package: "Core"),
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

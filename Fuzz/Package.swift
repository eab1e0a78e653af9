// swift-tools-version:6.0
// ShareFuzz: libFuzzer targets for ShareKit's parsers. Built on its own, with the fuzzer
// sanitizer, by scripts/fuzz:
//
//   swift build --package-path Fuzz -c release -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library
//
// It depends on the local packages by path. Two parsers live in targets too heavy to instrument
// here (the gateway's path normaliser; the sandbox's reading of presented client credentials);
// MirroredParsers compiles their very source files, which it holds as symbolic links, so what is
// fuzzed is exactly what ships.
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
    ],
    targets: [
        .target(name: "CLibFuzzer", path: "Sources/CLibFuzzer"),
        .target(
            name: "MirroredParsers",
            path: "Sources/MirroredParsers",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "ShareFuzz",
            dependencies: [
                "CLibFuzzer",
                "MirroredParsers",
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

// swift-tools-version:6.0
// A Swift service adopting ShareKit the usual way: by URL, with a version requirement, in the
// README's own words (its "Reuse one package" lines stand here; IntegrationTests'
// DocumentationSnippetTests checks them). Built and run by scripts/test-consumer, which tags a copy
// of this checkout `1.0.0` and mirrors the URL below to it (`swift package config set-mirror`);
// the sources are the examples of the README, docs/, the DocC catalogs and the sources'
// documentation comments (DocumentationSnippetTests compares them).
import PackageDescription

let package = Package(
    name: "Consumer",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/ORG/ShareKit.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    ],
    targets: [
        .target(name: "Lending", dependencies: [
            .product(name: "ShareClient", package: "ShareKit"),
            .product(name: "ShareTransportAHC", package: "ShareKit"),
            .product(name: "PartnerFannieMae", package: "ShareKit"),
            .product(name: "PartnerExperian", package: "ShareKit"),
            .product(name: "ShareCredentials", package: "ShareKit"),
            .product(name: "SharePartners", package: "ShareKit"),
        ]),
        .executableTarget(
            name: "Consumer",
            dependencies: [
                "Lending",
                .product(name: "ShareClient", package: "ShareKit"),
                .product(name: "ShareCore", package: "ShareKit"),
                .product(name: "ShareCredentials", package: "ShareKit"),
                .product(name: "ShareModels", package: "ShareKit"),
                .product(name: "ShareTransport", package: "ShareKit"),
                .product(name: "ShareTransportAHC", package: "ShareKit"),
                .product(name: "ShareTransportNIO", package: "ShareKit"),
                .product(name: "SharePartners", package: "ShareKit"),
                .product(name: "PartnerExperian", package: "ShareKit"),
                .product(name: "PartnerFannieMae", package: "ShareKit"),
                .product(name: "PartnerFreddieMac", package: "ShareKit"),
                .product(name: "ShareSandbox", package: "ShareKit"),
                .product(name: "ShareWire", package: "ShareKit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)

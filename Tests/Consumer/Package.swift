// swift-tools-version:6.0
// A Swift service adopting ShareKit the usual way: by URL, with a version requirement. Built and
// run by scripts/test-consumer, which tags a copy of this checkout `1.0.0` and points
// SHAREKIT_URL at it (`file://…`); the sources beside this file are the README's and
// docs' examples, byte for byte (IntegrationTests.DocumentationSnippetTests compares them).
import PackageDescription

let shareKit = Context.environment["SHAREKIT_URL"] ?? "https://github.com/ORG/ShareKit.git"

let package = Package(
    name: "Consumer",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: shareKit, from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(
            name: "Consumer",
            dependencies: [
                .product(name: "ShareClient", package: "ShareKit"),
                .product(name: "ShareCredentials", package: "ShareKit"),
                .product(name: "ShareModels", package: "ShareKit"),
                .product(name: "ShareTransportAHC", package: "ShareKit"),
                .product(name: "SharePartners", package: "ShareKit"),
                .product(name: "PartnerExperian", package: "ShareKit"),
                .product(name: "PartnerFannieMae", package: "ShareKit"),
                .product(name: "PartnerFreddieMac", package: "ShareKit"),
                .product(name: "ShareSandbox", package: "ShareKit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)

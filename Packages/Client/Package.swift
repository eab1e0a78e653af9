// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ShareClient",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "ShareClient", targets: ["ShareClient"]),
    ],
    dependencies: [
        .package(path: "../Core"),
        .package(path: "../Models"),
        .package(path: "../Wire"),
        .package(path: "../Credentials"),
        .package(path: "../Partners"),
        .package(path: "../Transport"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
    ],
    targets: [
        .target(
            name: "ShareClient",
            dependencies: [
                .product(name: "ShareCore", package: "Core"),
                .product(name: "ShareModels", package: "Models"),
                .product(name: "ShareWire", package: "Wire"),
                .product(name: "ShareCredentials", package: "Credentials"),
                .product(name: "SharePartners", package: "Partners"),
                .product(name: "ShareTransport", package: "Transport"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)

// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ShareCredentials",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "ShareCredentials", targets: ["ShareCredentials"]),
    ],
    dependencies: [
        .package(path: "../Core"),
        .package(path: "../Models"),
        .package(path: "../Wire"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        .target(
            name: "ShareCredentials",
            dependencies: [
                .product(name: "ShareCore", package: "Core"),
                .product(name: "ShareModels", package: "Models"),
                .product(name: "ShareWire", package: "Wire"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)

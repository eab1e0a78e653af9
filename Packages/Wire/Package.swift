// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ShareWire",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "ShareWire", targets: ["ShareWire"]),
    ],
    dependencies: [
        .package(path: "../Core"),
    ],
    targets: [
        .target(
            name: "ShareWire",
            dependencies: [.product(name: "ShareCore", package: "Core")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)

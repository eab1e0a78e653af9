// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ShareModels",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "ShareModels", targets: ["ShareModels"]),
    ],
    targets: [
        .target(name: "ShareModels", swiftSettings: [.swiftLanguageMode(.v6)]),
    ]
)

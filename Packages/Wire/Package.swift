// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ShareWire",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "ShareWire", targets: ["ShareWire"]),
    ],
    targets: [
        .target(name: "ShareWire", swiftSettings: [.swiftLanguageMode(.v6)]),
    ]
)

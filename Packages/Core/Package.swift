// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ShareCore",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "ShareCore", targets: ["ShareCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
    ],
    targets: [
        .target(
            name: "ShareCore",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)

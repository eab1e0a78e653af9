// swift-tools-version:6.0
import PackageDescription

let settings: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "SharePartners",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "SharePartners", targets: ["SharePartners"]),
        .library(name: "PartnerExperian", targets: ["PartnerExperian"]),
        .library(name: "PartnerFannieMae", targets: ["PartnerFannieMae"]),
        .library(name: "PartnerFreddieMac", targets: ["PartnerFreddieMac"]),
    ],
    dependencies: [
        .package(path: "../Models"),
    ],
    targets: [
        .target(name: "SharePartners", dependencies: [.product(name: "ShareModels", package: "Models")], swiftSettings: settings),
        .target(name: "PartnerExperian", dependencies: ["SharePartners"], swiftSettings: settings),
        .target(name: "PartnerFannieMae", dependencies: ["SharePartners"], swiftSettings: settings),
        .target(name: "PartnerFreddieMac", dependencies: ["SharePartners"], swiftSettings: settings),
    ]
)

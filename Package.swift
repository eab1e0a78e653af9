// swift-tools-version:6.0
// ShareKit: composes the local packages under Packages/ into the three apps under Apps/,
// and hosts every test target so that one `swift test` runs them all.
import PackageDescription

let settings: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "ShareKit",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "share", targets: ["ShareShellExecutable"]),
        .executable(name: "share-gateway", targets: ["ShareGatewayExecutable"]),
        .executable(name: "share-sandbox", targets: ["ShareSandboxServerExecutable"]),
        .executable(name: "share-bench", targets: ["ShareBenchmarks"]),
        .executable(name: "sandbox-bench-baseline", targets: ["SandboxBenchBaseline"]),
    ],
    dependencies: [
        .package(path: "Packages/Models"),
        .package(path: "Packages/Wire"),
        .package(path: "Packages/Credentials"),
        .package(path: "Packages/Partners"),
        .package(path: "Packages/Transport"),
        .package(path: "Packages/Client"),
        .package(path: "Packages/Sandbox"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        // MARK: Apps
        .target(
            name: "ShareShell",
            dependencies: [
                .product(name: "ShareModels", package: "Models"),
                .product(name: "ShareWire", package: "Wire"),
                .product(name: "ShareCredentials", package: "Credentials"),
                .product(name: "SharePartners", package: "Partners"),
                .product(name: "PartnerExperian", package: "Partners"),
                .product(name: "PartnerFannieMae", package: "Partners"),
                .product(name: "PartnerFreddieMac", package: "Partners"),
                .product(name: "ShareTransport", package: "Transport"),
                .product(name: "ShareTransportAHC", package: "Transport"),
                .product(name: "ShareClient", package: "Client"),
                .product(name: "ShareSandbox", package: "Sandbox"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Apps/Shell/Sources/ShareShell",
            swiftSettings: settings
        ),
        .executableTarget(
            name: "ShareShellExecutable",
            dependencies: ["ShareShell"],
            path: "Apps/Shell/Sources/Executable",
            swiftSettings: settings
        ),
        .target(
            name: "ShareGateway",
            dependencies: [
                .product(name: "ShareModels", package: "Models"),
                .product(name: "ShareWire", package: "Wire"),
                .product(name: "ShareCredentials", package: "Credentials"),
                .product(name: "SharePartners", package: "Partners"),
                .product(name: "PartnerExperian", package: "Partners"),
                .product(name: "PartnerFannieMae", package: "Partners"),
                .product(name: "PartnerFreddieMac", package: "Partners"),
                .product(name: "ShareTransport", package: "Transport"),
                .product(name: "ShareTransportAHC", package: "Transport"),
                .product(name: "ShareSandbox", package: "Sandbox"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Apps/Gateway/Sources/ShareGateway",
            swiftSettings: settings
        ),
        .executableTarget(
            name: "ShareGatewayExecutable",
            dependencies: ["ShareGateway"],
            path: "Apps/Gateway/Sources/Executable",
            swiftSettings: settings
        ),
        .target(
            name: "ShareSandboxServer",
            dependencies: [
                .product(name: "ShareModels", package: "Models"),
                .product(name: "SharePartners", package: "Partners"),
                .product(name: "PartnerExperian", package: "Partners"),
                .product(name: "PartnerFannieMae", package: "Partners"),
                .product(name: "PartnerFreddieMac", package: "Partners"),
                .product(name: "ShareSandbox", package: "Sandbox"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Apps/SandboxServer/Sources/ShareSandboxServer",
            swiftSettings: settings
        ),
        .executableTarget(
            name: "ShareSandboxServerExecutable",
            dependencies: ["ShareSandboxServer"],
            path: "Apps/SandboxServer/Sources/Executable",
            swiftSettings: settings
        ),

        // MARK: Benchmarks (run with scripts/bench; never part of `swift test`)
        .executableTarget(
            name: "ShareBenchmarks",
            dependencies: [
                .product(name: "ShareModels", package: "Models"),
                .product(name: "ShareWire", package: "Wire"),
                // `share-bench load`: the mixed OAuth workload of scripts/load, soak and crash-test.
                .product(name: "ShareClient", package: "Client"),
                .product(name: "ShareCredentials", package: "Credentials"),
                .product(name: "ShareTransport", package: "Transport"),
                .product(name: "ShareTransportAHC", package: "Transport"),
                .product(name: "ShareTransportNIO", package: "Transport"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // `share-bench introspect`: the sandbox and a minimal responder as servers.
                .product(name: "ShareSandbox", package: "Sandbox"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Benchmarks/ShareBenchmarks",
            swiftSettings: settings
        ),

        // The constant-JSON Hummingbird route scripts/bench-sandbox measures the sandbox against.
        .executableTarget(
            name: "SandboxBenchBaseline",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            path: "Benchmarks/SandboxBaseline",
            swiftSettings: settings
        ),

        // MARK: Tests — one target per package and app

        // What several test targets share: a real HTTP peer on a free loopback port.
        .target(
            name: "ShareTestSupport",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/ShareTestSupport",
            swiftSettings: settings
        ),
        .testTarget(
            name: "ShareModelsTests",
            dependencies: [.product(name: "ShareModels", package: "Models")],
            swiftSettings: settings
        ),
        .testTarget(
            name: "ShareWireTests",
            dependencies: [
                .product(name: "ShareWire", package: "Wire"),
                .product(name: "ShareModels", package: "Models"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "SharePartnersTests",
            dependencies: [
                .product(name: "SharePartners", package: "Partners"),
                .product(name: "PartnerExperian", package: "Partners"),
                .product(name: "PartnerFannieMae", package: "Partners"),
                .product(name: "PartnerFreddieMac", package: "Partners"),
                .product(name: "ShareModels", package: "Models"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "ShareCredentialsTests",
            dependencies: [
                .product(name: "ShareCredentials", package: "Credentials"),
                .product(name: "ShareModels", package: "Models"),
                .product(name: "ShareWire", package: "Wire"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "ShareTransportTests",
            dependencies: [
                "ShareTestSupport",
                .product(name: "ShareTransport", package: "Transport"),
                .product(name: "ShareTransportAHC", package: "Transport"),
                .product(name: "ShareTransportNIO", package: "Transport"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "ShareClientTests",
            dependencies: [
                "ShareTestSupport",
                .product(name: "ShareClient", package: "Client"),
                .product(name: "ShareModels", package: "Models"),
                .product(name: "ShareWire", package: "Wire"),
                .product(name: "ShareCredentials", package: "Credentials"),
                .product(name: "SharePartners", package: "Partners"),
                .product(name: "PartnerExperian", package: "Partners"),
                .product(name: "PartnerFannieMae", package: "Partners"),
                .product(name: "PartnerFreddieMac", package: "Partners"),
                .product(name: "ShareTransport", package: "Transport"),
                .product(name: "ShareTransportAHC", package: "Transport"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                // ShareTokenClient is tested against the real share-token API.
                .product(name: "ShareSandbox", package: "Sandbox"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "ShareSandboxTests",
            dependencies: [
                "ShareTestSupport",
                .product(name: "ShareSandbox", package: "Sandbox"),
                .product(name: "ShareCredentials", package: "Credentials"),
                .product(name: "ShareModels", package: "Models"),
                .product(name: "ShareWire", package: "Wire"),
                .product(name: "SharePartners", package: "Partners"),
                .product(name: "PartnerExperian", package: "Partners"),
                .product(name: "PartnerFannieMae", package: "Partners"),
                .product(name: "PartnerFreddieMac", package: "Partners"),
                "ShareSandboxServer",
                // WebhookVerifier checks the signatures of real deliveries.
                .product(name: "ShareClient", package: "Client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                // Raw TCP connections for the connection-limit and timeout tests.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "ShareShellTests",
            dependencies: [
                "ShareShell",
                .product(name: "ShareModels", package: "Models"),
                .product(name: "ShareWire", package: "Wire"),
                .product(name: "ShareClient", package: "Client"),
                .product(name: "ShareCredentials", package: "Credentials"),
                .product(name: "SharePartners", package: "Partners"),
                .product(name: "PartnerExperian", package: "Partners"),
                .product(name: "PartnerFannieMae", package: "Partners"),
                .product(name: "PartnerFreddieMac", package: "Partners"),
                .product(name: "ShareTransportAHC", package: "Transport"),
                .product(name: "ShareSandbox", package: "Sandbox"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "ShareGatewayTests",
            dependencies: [
                "ShareTestSupport",
                "ShareGateway",
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ShareModels", package: "Models"),
                .product(name: "ShareCredentials", package: "Credentials"),
                .product(name: "ShareSandbox", package: "Sandbox"),
                .product(name: "ShareWire", package: "Wire"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        // End to end across packages: the client against the sandbox, an example partner
        // registered from this target, the apps' binaries.
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                .product(name: "ShareModels", package: "Models"),
                .product(name: "ShareWire", package: "Wire"),
                .product(name: "ShareCredentials", package: "Credentials"),
                .product(name: "SharePartners", package: "Partners"),
                .product(name: "PartnerExperian", package: "Partners"),
                .product(name: "PartnerFannieMae", package: "Partners"),
                .product(name: "PartnerFreddieMac", package: "Partners"),
                .product(name: "ShareTransport", package: "Transport"),
                .product(name: "ShareTransportAHC", package: "Transport"),
                .product(name: "ShareClient", package: "Client"),
                .product(name: "ShareSandbox", package: "Sandbox"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
    ]
)

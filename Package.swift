// swift-tools-version:6.0
// ShareKit: every library module as a product, the three apps, the benchmarks, and every test
// target, so that one `swift test` runs them all and a Swift service can depend on ShareKit by URL:
//
//   .package(url: "https://github.com/ORG/ShareKit.git", from: "1.0.0"),
//   .product(name: "ShareClient", package: "ShareKit"),
//
// The library sources live under Packages/<Name>/Sources/<Module>. Each Packages/<Name> is also a
// package of its own that builds alone (`swift build --package-path Packages/Wire`); this manifest
// declares the same modules from the same folders, because a package resolved by URL may not have
// local path dependencies. scripts/check-manifests keeps the two views and every external
// dependency's minimum version in step.
import PackageDescription

let settings: [SwiftSetting] = [.swiftLanguageMode(.v6)]

/// The library modules, in dependency order: (module, package folder under Packages/, dependencies).
let libraries: [(name: String, folder: String, dependencies: [Target.Dependency])] = [
    ("ShareCore", "Core", [.product(name: "NIOCore", package: "swift-nio")]),
    ("ShareModels", "Models", []),
    ("ShareWire", "Wire", ["ShareCore"]),
    ("ShareCredentials", "Credentials", [
        "ShareCore", "ShareModels", "ShareWire",
        .product(name: "HTTPTypes", package: "swift-http-types"),
    ]),
    ("SharePartners", "Partners", ["ShareModels"]),
    ("PartnerExperian", "Partners", ["SharePartners"]),
    ("PartnerFannieMae", "Partners", ["SharePartners"]),
    ("PartnerFreddieMac", "Partners", ["SharePartners"]),
    ("ShareTransport", "Transport", [.product(name: "HTTPTypes", package: "swift-http-types")]),
    ("ShareTransportAHC", "Transport", [
        "ShareTransport",
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
    ]),
    ("ShareTransportNIO", "Transport", [
        "ShareTransport",
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
    ]),
    ("ShareClient", "Client", [
        "ShareCore", "ShareModels", "ShareWire", "ShareCredentials", "SharePartners", "ShareTransport",
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Crypto", package: "swift-crypto"),
    ]),
    ("ShareSandbox", "Sandbox", [
        "ShareCore", "ShareModels", "ShareWire", "SharePartners", "ShareCredentials",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdCore", package: "hummingbird"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
    ]),
    ("ShareSandboxPostgres", "Sandbox", [
        "ShareSandbox", "ShareModels", "ShareWire",
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
    ]),
]

let package = Package(
    name: "ShareKit",
    platforms: [.macOS(.v14)],
    products: libraries.map { .library(name: $0.name, targets: [$0.name]) } + [
        .executable(name: "share", targets: ["ShareShellExecutable"]),
        .executable(name: "share-gateway", targets: ["ShareGatewayExecutable"]),
        .executable(name: "share-sandbox", targets: ["ShareSandboxServerExecutable"]),
        .executable(name: "share-bench", targets: ["ShareBenchmarks"]),
        .executable(name: "sandbox-bench-baseline", targets: ["SandboxBenchBaseline"]),
    ],
    dependencies: [
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
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // `swift package generate-documentation --target ShareClient` (scripts/docs).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: libraries.map {
        .target(name: $0.name, dependencies: $0.dependencies, path: "Packages/\($0.folder)/Sources/\($0.name)", swiftSettings: settings)
    } + [
        // MARK: Apps
        .target(
            name: "ShareShell",
            dependencies: [
                "ShareModels",
                "ShareWire",
                "ShareCredentials",
                "SharePartners",
                "PartnerExperian",
                "PartnerFannieMae",
                "PartnerFreddieMac",
                "ShareTransport",
                "ShareTransportAHC",
                "ShareClient",
                "ShareSandbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
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
                "ShareCore",
                "ShareModels",
                "ShareWire",
                "ShareCredentials",
                "SharePartners",
                "PartnerExperian",
                "PartnerFannieMae",
                "PartnerFreddieMac",
                "ShareTransport",
                "ShareTransportAHC",
                "ShareSandbox",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
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
                "ShareModels",
                "SharePartners",
                "PartnerExperian",
                "PartnerFannieMae",
                "PartnerFreddieMac",
                "ShareSandbox",
                "ShareSandboxPostgres",
                "ShareWire",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
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
                "ShareModels",
                "ShareWire",
                // `share-bench load`: the mixed OAuth workload of scripts/load, soak and crash-test.
                "ShareClient",
                "ShareCredentials",
                "ShareTransport",
                "ShareTransportAHC",
                "ShareTransportNIO",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // `share-bench introspect`: the sandbox and a minimal responder as servers.
                "ShareSandbox",
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
            name: "ShareCoreTests",
            dependencies: [
                "ShareCore",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "ShareModelsTests",
            // ShareWire: the models' wire forms are checked through the real coders.
            dependencies: ["ShareModels", "ShareWire"],
            swiftSettings: settings
        ),
        .testTarget(
            name: "ShareWireTests",
            dependencies: [
                "ShareTestSupport",
                "ShareWire",
                "ShareModels",
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "SharePartnersTests",
            dependencies: [
                "SharePartners",
                "PartnerExperian",
                "PartnerFannieMae",
                "PartnerFreddieMac",
                "ShareModels",
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "ShareCredentialsTests",
            dependencies: [
                "ShareCredentials",
                "ShareModels",
                "ShareWire",
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "ShareTransportTests",
            dependencies: [
                "ShareTestSupport",
                "ShareTransport",
                "ShareTransportAHC",
                "ShareTransportNIO",
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
                "ShareClient",
                "ShareModels",
                "ShareWire",
                "ShareCredentials",
                "SharePartners",
                "PartnerExperian",
                "PartnerFannieMae",
                "PartnerFreddieMac",
                "ShareTransport",
                "ShareTransportAHC",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                // ShareTokenClient is tested against the real share-token API.
                "ShareSandbox",
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "ShareSandboxTests",
            dependencies: [
                "ShareTestSupport",
                "ShareCore",
                "ShareSandbox",
                "ShareCredentials",
                "ShareModels",
                "ShareWire",
                "SharePartners",
                "PartnerExperian",
                "PartnerFannieMae",
                "PartnerFreddieMac",
                "ShareSandboxServer",
                // The store suite runs against PostgreSQL too.
                "ShareSandboxPostgres",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // WebhookVerifier checks the signatures of real deliveries.
                "ShareClient",
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
            // Run by SilencingPostgresProxy as a process of its own, read from beside its source.
            exclude: ["Support/silencing-postgres-proxy.py"],
            swiftSettings: settings
        ),
        .testTarget(
            name: "ShareShellTests",
            dependencies: [
                "ShareShell",
                "ShareModels",
                "ShareWire",
                "ShareClient",
                "ShareCredentials",
                "SharePartners",
                "PartnerExperian",
                "PartnerFannieMae",
                "PartnerFreddieMac",
                "ShareTransportAHC",
                "ShareSandbox",
                // A webhook receiver for `events redeliver`.
                "ShareTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "ShareGatewayTests",
            dependencies: [
                "ShareTestSupport",
                "ShareCore",
                "ShareGateway",
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                "ShareModels",
                "ShareCredentials",
                "ShareSandbox",
                "ShareWire",
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        // End to end across packages: the client against the sandbox, an example partner
        // registered from this target, the apps' binaries.
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "ShareModels",
                "ShareWire",
                "ShareCredentials",
                "SharePartners",
                "PartnerExperian",
                "PartnerFannieMae",
                "PartnerFreddieMac",
                "ShareTransport",
                "ShareTransportAHC",
                "ShareClient",
                "ShareSandbox",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
    ]
)

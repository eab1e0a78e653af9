// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ShareSandbox",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "ShareSandbox", targets: ["ShareSandbox"]),
        .library(name: "ShareSandboxPostgres", targets: ["ShareSandboxPostgres"]),
    ],
    dependencies: [
        .package(path: "../Core"),
        .package(path: "../Models"),
        .package(path: "../Wire"),
        .package(path: "../Partners"),
        .package(path: "../Credentials"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .target(
            name: "ShareSandbox",
            dependencies: [
                .product(name: "ShareCore", package: "Core"),
                .product(name: "ShareModels", package: "Models"),
                .product(name: "ShareWire", package: "Wire"),
                .product(name: "SharePartners", package: "Partners"),
                // `Secret`: constant-time comparison of remembered client secrets.
                .product(name: "ShareCredentials", package: "Credentials"),
                .product(name: "Hummingbird", package: "hummingbird"),
                // `HTTP1Channel` (idle timeout, extra handlers), `MaximumAvailableConnections`.
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                // `HTTPRequestPart`/`HTTPResponsePart`: what the connection deadline handler sees.
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // Webhook deliveries for share-token events.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // The PostgreSQL store, a module of its own so that users of ShareSandbox do not build
        // postgres-nio.
        .target(
            name: "ShareSandboxPostgres",
            dependencies: [
                "ShareSandbox",
                .product(name: "ShareModels", package: "Models"),
                .product(name: "ShareWire", package: "Wire"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                // TLS settings of `sslmode`.
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                // The lock of `StatementCoalescer`.
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)

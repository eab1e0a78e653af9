import Foundation
import Logging
import PostgresNIO
import ShareSandboxPostgres
import Testing

/// The PostgreSQL server the PostgreSQL cases run on: `SHAREKIT_TEST_POSTGRES_URL`, which
/// scripts/test sets to the throwaway cluster of scripts/lib/postgres-cluster. Each case gets a
/// database of its own, dropped afterwards.
enum PostgresTestDatabase {
    static let url = ProcessInfo.processInfo.environment["SHAREKIT_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    static var isConfigured: Bool { url != nil }

    static let skipReason: Comment =
        "SHAREKIT_TEST_POSTGRES_URL is not set, so the PostgreSQL cases are skipped: run scripts/test, or scripts/lib/postgres-cluster -- swift test"

    /// Warnings and above: the pool's notes on connections closed at shutdown stay out of the output.
    static let logger: Logger = {
        var logger = Logger(label: "sharekit-test-postgres")
        logger.logLevel = .warning
        return logger
    }()

    /// Runs `body` with the location of a new, empty database, dropped when `body` ends.
    static func withDatabase<Result: Sendable>(_ body: @Sendable (PostgresLocation) async throws -> Result) async throws -> Result {
        let base = try PostgresLocation(url: try #require(url, "SHAREKIT_TEST_POSTGRES_URL"), environment: [:])
        let name = "sharekit_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await administer(base, "CREATE DATABASE \(name)")
        var location = base
        location.database = name
        do {
            let result = try await body(location)
            try await administer(base, "DROP DATABASE \(name) WITH (FORCE)")
            return result
        } catch {
            try? await administer(base, "DROP DATABASE \(name) WITH (FORCE)")
            throw error
        }
    }

    /// Runs one statement on the base database of `location` (a fixed statement: a database
    /// name cannot be a parameter).
    static func administer(_ location: PostgresLocation, _ statement: String) async throws {
        let client = PostgresClient(
            configuration: PostgresClient.Configuration(
                host: location.host, port: location.port, username: location.user, password: location.password,
                database: location.database, tls: .disable))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await client.query(PostgresQuery(unsafeSQL: statement), logger: logger)
        }
    }

    /// How long a store under test may take to reach its database and migrate it: the whole
    /// suite runs at once, dozens of tests creating databases and migrating them on two cores,
    /// and six stores migrating one database take the migration lock in turn, so the production
    /// default of 10 seconds is too tight for a loaded test host.
    static let migrationPatience = Duration.seconds(60)

    /// The pool size of the stores under test: enough for the races to run on several
    /// connections at once, small enough for the parallel cases to fit the server's limit.
    static let maximumConnections = 8

    /// Runs `body` with a running, migrated store on a new database.
    static func withStore<Result: Sendable>(_ body: @Sendable (PostgresSandboxStore) async throws -> Result) async throws -> Result {
        try await withDatabase { location in
            try await PostgresSandboxStore.withStore(location, maximumConnections: maximumConnections, connectTimeout: PostgresTestDatabase.migrationPatience, logger: logger, body)
        }
    }
}

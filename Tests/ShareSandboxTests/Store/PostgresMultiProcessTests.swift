#if os(Linux)
import Foundation
import ShareModels
import ShareSandbox
import ShareSandboxPostgres
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Two `share-sandbox` processes started together on one PostgreSQL database, as behind a load
/// balancer: one sandbox to their clients.
@Suite("share-sandbox: two processes on one PostgreSQL database", .enabled(if: PostgresTestDatabase.isConfigured, PostgresTestDatabase.skipReason))
struct PostgresMultiProcessTests {
    /// Sends `body` to `path` of `base` with the API key `key`; answers the status and the body.
    static func send(_ method: String, _ base: URL, _ path: String, key: String, body: String? = nil) async throws -> (Int, String) {
        var request = URLRequest(url: URL(string: path, relativeTo: base)!)
        request.httpMethod = method
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(body.utf8)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test("--retention: the process purges a token revoked long ago, and keeps a live one")
    func retentionInProcess() async throws {
        let binary = try #require(SandboxProcess.binary(), "build share-sandbox first (swift build)")
        try await PostgresTestDatabase.withDatabase { location in
            try await PostgresSandboxStore.withStore(location, logger: PostgresTestDatabase.logger) { store in
                // Tokens go by family: the revoked one is alone in its family, the live one in another.
                var revoked = StoreSamples.token("long-revoked", family: "fam-revoked", expiresAt: 4_000_000_000)
                revoked.revokedAt = 1000
                try await store.insertTokens([revoked, StoreSamples.token("live", family: "fam-live", expiresAt: 4_000_000_000)])
                let process = try SandboxProcess(binary: binary, arguments: ["--data", location.description, "--retention", "60"])
                defer { process.stop(signal: SIGTERM) }
                let deadline = ContinuousClock.now + .seconds(10)
                while try await store.token(revoked.digest) != nil, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(try await store.token(revoked.digest) == nil)
                #expect(try await store.token(StoreSamples.digest("live")) != nil)
            }
        }
    }

    @Test("50 concurrent redemptions of one share token, split across both processes over HTTP: exactly one 200")
    func redemptionsAcrossProcesses() async throws {
        let binary = try #require(SandboxProcess.binary(), "build share-sandbox first (swift build)")
        try await PostgresTestDatabase.withDatabase { location in
            // Started together: both migrate the new database at once.
            async let starting = Task { try SandboxProcess(binary: binary, arguments: ["--data", location.description]) }.value
            let other = try SandboxProcess(binary: binary, arguments: ["--data", location.description])
            defer { other.stop(signal: SIGTERM) }
            let one = try await starting
            defer { one.stop(signal: SIGTERM) }

            let (created, createdBody) = try await Self.send(
                "POST", one.url, "/api/v1/connect/share-tokens", key: ShareTokenDemo.sourceAPIKey,
                body: #"{"data":{"type":"connect/share-token","attributes":{"connection-id":"\#(ShareTokenDemo.connectionID)","source-id":"\#(ShareTokenDemo.inquiryID)"}}}"#)
            #expect(created == 201, "\(createdBody)")
            let document = try JSONDecoder().decode([String: AttributeValue].self, from: Data(createdBody.utf8))
            guard case .object(let data)? = document["data"], case .string(let id)? = data["id"] else {
                Issue.record("no share token id in \(createdBody)")
                return
            }
            // The token one process created is there, at once, at the other.
            #expect(try await Self.send("GET", other.url, "/api/v1/connect/share-tokens/\(id)", key: ShareTokenDemo.destinationAPIKey).0 == 200)

            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for attempt in 0..<50 {
                    let base = attempt.isMultiple(of: 2) ? one.url : other.url
                    group.addTask {
                        try await Self.send("POST", base, "/api/v1/connect/share-tokens/\(id)/redeem", key: ShareTokenDemo.destinationAPIKey).0
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == 409 }.count == 49, "\(statuses)")
        }
    }
}
#endif

import Foundation
import ShareModels
import ShareSandbox
import Testing

/// SQLite's point lookups run on read-only connections taken from a free list: many at once must
/// each read the right row, and a revocation committed while they run must be seen by every
/// lookup that starts after it.
@Suite("SQLite lookups in parallel")
struct SQLiteLookupConcurrencyTests {
    @Test("parallel lookups read their own rows, and every lookup after a revocation sees it")
    func parallelLookups() async throws {
        let folder = try PersistenceTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteSandboxStore(path: folder.appendingPathComponent("lookups.sqlite").path)
        let tokens = (0..<16).map { StoreSamples.token("t\($0)", family: "fam-\($0)") }
        try await store.insertTokens(tokens)

        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<32 {
                group.addTask {
                    for round in 0..<40 {
                        let token = tokens[(task + round) % tokens.count]
                        // Revoked or not, depending on the writer below; otherwise the row as stored.
                        var found = try #require(try await store.client(id: "lender", token: token.digest).token)
                        #expect(found.revokedAt == nil || found.revokedAt == 1500)
                        found.revokedAt = nil
                        #expect(found == token)
                    }
                }
            }
            // Revocations committed while the readers above still run.
            group.addTask {
                for token in tokens where token.familyID.hasSuffix("7") || token.familyID.hasSuffix("3") {
                    try await store.revokeTree(from: token.digest, at: 1500)
                    #expect(try await store.token(token.digest)?.revokedAt == 1500)
                }
            }
            try await group.waitForAll()
        }

        let revoked = Set(tokens.filter { $0.familyID.hasSuffix("7") || $0.familyID.hasSuffix("3") }.map(\.digest))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for token in tokens {
                group.addTask {
                    let found = try await store.client(id: "lender", token: token.digest).token
                    #expect(found?.revokedAt == (revoked.contains(token.digest) ? 1500 : nil))
                }
            }
            try await group.waitForAll()
        }
    }
}

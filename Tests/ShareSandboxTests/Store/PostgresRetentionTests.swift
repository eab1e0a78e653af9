import Foundation
import ShareModels
import ShareSandbox
import ShareSandboxPostgres
import ShareSandboxServer
import Testing

/// `--retention`: what finished before the cutoff leaves the PostgreSQL store, in batches; what
/// is live or under way stays.
@Suite("PostgreSQL retention", .enabled(if: PostgresTestDatabase.isConfigured, PostgresTestDatabase.skipReason))
struct PostgresRetentionTests {
    @Test("revoked and expired tokens, finished share tokens and ended deliveries before the cutoff go, in batches of 2")
    func purge() async throws {
        try await PostgresTestDatabase.withStore { store in
            var revoked = StoreSamples.token("revoked", expiresAt: 9000)
            revoked.revokedAt = 1500
            var revokedLate = StoreSamples.token("revoked-late", expiresAt: 9000)
            revokedLate.revokedAt = 2500
            try await store.insertTokens([
                revoked, revokedLate, StoreSamples.token("expired-1", expiresAt: 1000), StoreSamples.token("expired-2", expiresAt: 1999),
                StoreSamples.token("live", expiresAt: 9000),
            ])
            let cutoffSeconds = 2000
            let cutoff = Date(timeIntervalSince1970: TimeInterval(cutoffSeconds))
            let old = Date(timeIntervalSince1970: 1000)
            var redeemed = StoreSamples.shareToken(1, createdAt: old, ttl: 5000)
            redeemed.lifecycle = try redeemed.lifecycle.applying(.beginRedemption, at: old).applying(.finishRedemption, at: old)
            var pending = StoreSamples.shareToken(2, createdAt: old, ttl: 5000)
            pending.lifecycle = try pending.lifecycle.applying(.beginRedemption, at: old)
            let lapsed = StoreSamples.shareToken(3, createdAt: old, ttl: 10)
            let open = StoreSamples.shareToken(4, createdAt: old, ttl: 5000)
            for token in [redeemed, pending, lapsed, open] { try await store.insertShareToken(token, events: []) }
            try await store.saveRecord(
                StoreSamples.record("inq_1", of: StoreSamples.source),
                events: [
                    StoreSamples.event(1, state: .delivered, createdAt: old), StoreSamples.event(2, state: .failed, createdAt: old),
                    StoreSamples.event(3, state: .notRequested, createdAt: old), StoreSamples.event(4, state: .pending, createdAt: old),
                    StoreSamples.event(5, state: .delivered, createdAt: cutoff.addingTimeInterval(1)),
                ])

            let purge = try await store.purge(finishedBefore: cutoff, batchSize: 2)
            #expect(purge == PostgresPurge(tokens: 3, shareTokens: 2, events: 3))
            for name in ["revoked", "expired-1", "expired-2"] { #expect(try await store.token(StoreSamples.digest(name)) == nil, "\(name)") }
            for name in ["revoked-late", "live"] { #expect(try await store.token(StoreSamples.digest(name)) != nil, "\(name)") }
            #expect(try await store.shareToken(id: redeemed.id) == nil)
            #expect(try await store.shareToken(id: lapsed.id) == nil)
            #expect(try await store.shareToken(id: pending.id) == pending)
            #expect(try await store.shareToken(id: open.id) == open)
            #expect(try await store.events(of: StoreSamples.source, after: nil, limit: 10).map(\.id.rawValue) == ["evt_5", "evt_4"])
            #expect(try await store.purge(finishedBefore: cutoff, batchSize: 2) == PostgresPurge())
        }
    }
}

@Suite("share-sandbox --retention")
struct RetentionOptionTests {
    @Test("--retention takes a positive number of seconds, with a PostgreSQL --data only")
    func option() throws {
        #expect(throws: (any Error).self) { try ShareSandboxCommand.parse(["--retention", "60"]) }
        #expect(throws: (any Error).self) { try ShareSandboxCommand.parse(["--retention", "60", "--data", "state.sqlite"]) }
        #expect(throws: (any Error).self) { try ShareSandboxCommand.parse(["--retention", "0", "--data", "postgres://u@h/d"]) }
        #expect(try ShareSandboxCommand.parse(["--retention", "86400", "--data", "postgres://u@h/d"]).retention == 86400)
    }
}

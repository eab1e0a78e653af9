import Foundation
import ShareModels
import ShareSandbox
import Testing

// MARK: Retention

extension StoreContract {
    /// The cutoff of the token cases, in seconds since 1970 (the samples' tokens live around it).
    static let tokenCutoff = Date(timeIntervalSince1970: 2000)

    static let retention: [StoreContract] = [
        StoreContract(name: "retention: token families go once every member ended before the cutoff, a batch of 2 families at a time") {
            store, _ in
            var revokedRoot = StoreSamples.token("revoked-root", family: "fam-revoked", expiresAt: 9000)
            revokedRoot.revokedAt = 1500
            var revokedAccess = StoreSamples.token("revoked-access", kind: .access, family: "fam-revoked", parent: "revoked-root", expiresAt: 1200)
            revokedAccess.revokedAt = 1500
            var revokedLate = StoreSamples.token("revoked-late", family: "fam-late", expiresAt: 9000)
            revokedLate.revokedAt = 2500
            var endedTokens = [revokedRoot, revokedAccess, revokedLate]
            for number in 1...5 { endedTokens.append(StoreSamples.token("expired-\(number)", family: "fam-expired-\(number)", expiresAt: 1000 + number)) }
            endedTokens.append(StoreSamples.token("expired-at-cutoff", family: "fam-at-cutoff", expiresAt: 2000))
            endedTokens.append(StoreSamples.token("live", family: "fam-live", expiresAt: 9000))
            try await store.insertTokens(endedTokens)

            let purge = try await store.purge(finishedBefore: tokenCutoff, batchSize: 2)
            #expect(purge == SandboxPurge(tokens: 7))
            for name in ["revoked-root", "revoked-access"] + (1...5).map({ "expired-\($0)" }) {
                #expect(try await store.token(StoreSamples.digest(name)) == nil, "\(name)")
            }
            for name in ["revoked-late", "expired-at-cutoff", "live"] {
                #expect(try await store.token(StoreSamples.digest(name)) != nil, "\(name)")
            }
            #expect(try await store.purge(finishedBefore: tokenCutoff, batchSize: 2) == SandboxPurge())
        },
        StoreContract(name: "retention: a spent refresh token's family stays while a member is live, so reuse still revokes it all") { store, _ in
            // The spent token's access token ended long ago; the family stays for the live refresh token.
            var spent = StoreSamples.token("spent", family: "fam-rotated", expiresAt: 9000)
            spent.spentAt = 1000
            let access = StoreSamples.token("spent-access", kind: .access, family: "fam-rotated", parent: "spent", expiresAt: 1100)
            let next = StoreSamples.token("next", family: "fam-rotated", parent: "spent", issuedAt: 1000, expiresAt: 9000)
            try await store.insertTokens([spent, access, next])
            #expect(try await store.purge(finishedBefore: tokenCutoff, batchSize: 500) == SandboxPurge())
            #expect(try await store.token(access.digest) == access)
            #expect(try await store.rotate(spending: spent.digest, issuing: [], at: 2100) == .reused(revokedCount: 3))
            #expect(try await store.token(next.digest)?.revokedAt == 2100)
            // Revoked at 2100, the family has ended: it goes once the cutoff passes that.
            #expect(try await store.purge(finishedBefore: Date(timeIntervalSince1970: 2100), batchSize: 500) == SandboxPurge())
            #expect(try await store.purge(finishedBefore: Date(timeIntervalSince1970: 2101), batchSize: 500) == SandboxPurge(tokens: 3))
        },
        StoreContract(name: "retention: an expired ancestor stays while a descendant is live, so revoking it still reaches the descendant") {
            store, _ in
            var first = StoreSamples.token("first", family: "fam-chain", expiresAt: 1500)
            first.spentAt = 1000
            let second = StoreSamples.token("second", family: "fam-chain", parent: "first", issuedAt: 1000, expiresAt: 9000)
            try await store.insertTokens([first, second])
            #expect(try await store.purge(finishedBefore: tokenCutoff, batchSize: 1) == SandboxPurge())
            #expect(try await store.revokeTree(from: first.digest, at: 2100) == 2)
            #expect(try await store.token(second.digest)?.isActive(at: 2100) == false)
        },
        StoreContract(name: "retention: share tokens redeemed, failed or expired before the cutoff go; pending and open ones stay") { store, _ in
            let old = StoreSamples.epoch
            let cutoff = old.addingTimeInterval(1000)
            var redeemed = StoreSamples.shareToken(1, createdAt: old, ttl: 5000)
            redeemed.lifecycle = try redeemed.lifecycle.applying(.beginRedemption, at: old).applying(.finishRedemption, at: old)
            var failed = StoreSamples.shareToken(2, createdAt: old, ttl: 5000)
            failed.lifecycle = try failed.lifecycle.applying(.beginRedemption, at: old).applying(.fail(reason: "refused"), at: old)
            var expired = StoreSamples.shareToken(3, createdAt: old, ttl: 5000)
            expired.lifecycle = try expired.lifecycle.applying(.expire, at: old)
            let lapsed = StoreSamples.shareToken(4, createdAt: old, ttl: 10)
            var pending = StoreSamples.shareToken(5, createdAt: old, ttl: 10)
            pending.lifecycle = try pending.lifecycle.applying(.beginRedemption, at: old)
            let open = StoreSamples.shareToken(6, createdAt: old, ttl: 5000)
            var redeemedLate = StoreSamples.shareToken(7, createdAt: old, ttl: 5000)
            let late = cutoff.addingTimeInterval(1)
            redeemedLate.lifecycle = try redeemedLate.lifecycle.applying(.beginRedemption, at: late).applying(.finishRedemption, at: late)
            for token in [redeemed, failed, expired, lapsed, pending, open, redeemedLate] { try await store.insertShareToken(token, events: []) }

            #expect(try await store.purge(finishedBefore: cutoff, batchSize: 2) == SandboxPurge(shareTokens: 4))
            for token in [redeemed, failed, expired, lapsed] { #expect(try await store.shareToken(id: token.id) == nil, "\(token.id)") }
            for token in [pending, open, redeemedLate] { #expect(try await store.shareToken(id: token.id) == token, "\(token.id)") }
            #expect(try await store.pendingShareTokens() == [pending])
            let query = ShareTokenQuery(limit: 10)
            #expect(try await store.shareTokens(visibleTo: StoreSamples.source, matching: query, at: cutoff).map(\.id) == [redeemedLate.id, open.id, pending.id])
            #expect(try await store.purge(finishedBefore: cutoff, batchSize: 2) == SandboxPurge())
        },
        StoreContract(name: "retention: events whose delivery ended or was not requested go; pending deliveries and newer events stay") { store, _ in
            let old = StoreSamples.epoch
            let cutoff = old.addingTimeInterval(1000)
            try await store.saveRecord(
                StoreSamples.record("inq_1", of: StoreSamples.source),
                events: [
                    StoreSamples.event(1, state: .delivered, createdAt: old), StoreSamples.event(2, state: .failed, createdAt: old),
                    StoreSamples.event(3, state: .notRequested, createdAt: old), StoreSamples.event(4, state: .pending, createdAt: old),
                    StoreSamples.event(5, state: .delivered, createdAt: cutoff.addingTimeInterval(1)),
                    StoreSamples.event(6, state: .delivered, createdAt: old),
                ])
            #expect(try await store.purge(finishedBefore: cutoff, batchSize: 2) == SandboxPurge(events: 4))
            #expect(try await store.events(of: StoreSamples.source, after: nil, limit: 10).map(\.id.rawValue) == ["evt_5", "evt_4"])
            #expect(try await store.dueDeliveries(at: cutoff, limit: 10).map(\.id.rawValue) == ["evt_4"])
            // Once its delivery ends, the pending event goes too.
            try await store.updateDelivery(of: EventID(validated: "evt_4"), to: StoredEvent.Delivery(state: .delivered, attempts: 1))
            #expect(try await store.purge(finishedBefore: cutoff, batchSize: 2) == SandboxPurge(events: 1))
        },
        StoreContract(name: "retention: workflow runs created before the cutoff go, newer ones stay") { store, _ in
            let cutoff = StoreSamples.epoch.addingTimeInterval(1000)
            for number in 1...5 {
                var run = StoreSamples.workflowRun(number)
                if number >= 4 { run.createdAt = cutoff.addingTimeInterval(Double(number)) }
                let recorded = try await store.recordWorkflowRun(run, action: nil)
                #expect(recorded == .recorded)
            }
            #expect(try await store.purge(finishedBefore: cutoff, batchSize: 2) == SandboxPurge(workflowRuns: 3))
            #expect(try await store.workflowRuns(of: StoreSamples.destination, after: nil, limit: 10).map(\.id.rawValue) == ["wfr_5", "wfr_4"])
        },
        StoreContract(name: "retention: purges running during rotations and revocations never remove a live token") { store, _ in
            try await store.insertTokens((0..<40).map { StoreSamples.token("root-\($0)", family: "fam-\($0)", expiresAt: 9000) })
            try await withThrowingTaskGroup(of: Void.self) { group in
                for number in 0..<40 {
                    group.addTask {
                        if number.isMultiple(of: 2) {
                            try await store.revokeTree(from: StoreSamples.digest("root-\(number)"), at: 1000)
                        } else {
                            _ = try await store.rotate(
                                spending: StoreSamples.digest("root-\(number)"),
                                issuing: [StoreSamples.token("child-\(number)", family: "fam-\(number)", parent: "root-\(number)", expiresAt: 9000)],
                                at: 1000)
                        }
                    }
                }
                for _ in 0..<4 { group.addTask { _ = try await store.purge(finishedBefore: tokenCutoff, batchSize: 3) } }
                try await group.waitForAll()
            }
            _ = try await store.purge(finishedBefore: tokenCutoff, batchSize: 3)
            for number in 0..<40 {
                let root = try await store.token(StoreSamples.digest("root-\(number)"))
                if number.isMultiple(of: 2) {
                    #expect(root == nil, "revoked family \(number) is purged")
                } else {
                    #expect(root?.spentAt == 1000, "rotated family \(number) stays")
                    #expect(try await store.token(StoreSamples.digest("child-\(number)"))?.isUsable(at: 1000) == true)
                }
            }
        },
    ]
}

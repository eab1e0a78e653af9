import Foundation
import ShareModels
import Testing

@Suite("ShareTokenLifecycle: the share-token state machine")
struct ShareTokenLifecycleTests {
    let start = Date(timeIntervalSince1970: 1_000_000)
    var fresh: ShareTokenLifecycle { ShareTokenLifecycle(createdAt: start, expiresAt: start.addingTimeInterval(3600)) }

    @Test("created → pending → redeemed, recording each instant")
    func redemption() throws {
        let pending = try fresh.applying(.beginRedemption, at: start.addingTimeInterval(10))
        #expect(pending.status == .pending)
        #expect(pending.pendingAt == start.addingTimeInterval(10))
        #expect(pending.updatedAt == start.addingTimeInterval(10))
        let redeemed = try pending.applying(.finishRedemption, at: start.addingTimeInterval(11))
        #expect(redeemed.status == .redeemed)
        #expect(redeemed.redeemedAt == start.addingTimeInterval(11))
        #expect(redeemed.pendingAt == start.addingTimeInterval(10))
        #expect(redeemed.failedAt == nil)
    }

    @Test("pending → failed with a reason")
    func failure() throws {
        let failed = try fresh.applying(.beginRedemption, at: start).applying(.fail(reason: "gone"), at: start.addingTimeInterval(1))
        #expect(failed.status == .failed)
        #expect(failed.failureReason == "gone")
        #expect(failed.failedAt == start.addingTimeInterval(1))
        #expect(failed.redeemedAt == nil)
    }

    @Test("a second redemption, and finishing what never started, are refused")
    func refusals() throws {
        let pending = try fresh.applying(.beginRedemption, at: start)
        #expect(throws: ShareTokenLifecycle.Refusal.alreadyRedeeming) { try pending.applying(.beginRedemption, at: start) }
        #expect(throws: ShareTokenLifecycle.Refusal.notPending) { try fresh.applying(.finishRedemption, at: start) }
        #expect(throws: ShareTokenLifecycle.Refusal.notPending) { try fresh.applying(.fail(reason: "x"), at: start) }
        let redeemed = try pending.applying(.finishRedemption, at: start)
        #expect(throws: ShareTokenLifecycle.Refusal.alreadyRedeeming) { try redeemed.applying(.beginRedemption, at: start) }
        #expect(throws: ShareTokenLifecycle.Refusal.alreadyUsed) { try redeemed.applying(.expire, at: start) }
        #expect(throws: ShareTokenLifecycle.Refusal.alreadyUsed) { try pending.applying(.expire, at: start) }
        let failed = try pending.applying(.fail(reason: "x"), at: start)
        #expect(throws: ShareTokenLifecycle.Refusal.failed) { try failed.applying(.beginRedemption, at: start) }
    }

    @Test("the TTL: a created token is expired once expires-at passes, a pending one is not")
    func expiry() throws {
        let later = start.addingTimeInterval(3600)
        #expect(fresh.status(at: later.addingTimeInterval(-1)) == .created)
        #expect(fresh.status(at: later) == .expired)
        #expect(fresh.updatedAt(at: later) == later)
        #expect(throws: ShareTokenLifecycle.Refusal.expired(later)) { try fresh.applying(.beginRedemption, at: later) }
        let pending = try fresh.applying(.beginRedemption, at: later.addingTimeInterval(-1))
        #expect(pending.status(at: later.addingTimeInterval(60)) == .pending)
    }

    @Test("expire ends a created token now; expiring an expired one changes nothing")
    func expire() throws {
        let now = start.addingTimeInterval(5)
        let expired = try fresh.applying(.expire, at: now)
        #expect(expired.status == .expired)
        #expect(expired.expiresAt == now)
        #expect(try expired.applying(.expire, at: now.addingTimeInterval(1)) == expired)
        #expect(throws: ShareTokenLifecycle.Refusal.expired(now)) { try expired.applying(.beginRedemption, at: now) }
    }
}

@Suite("ConnectConnectionLifecycle: the connection state machine")
struct ConnectConnectionLifecycleTests {
    let start = Date(timeIntervalSince1970: 1_000_000)

    @Test("pending → active (destination) → inactive (either side) → pending (source)")
    func lifecycle() throws {
        let pending = ConnectConnectionLifecycle(status: .pending, createdAt: start)
        #expect(pending.activatedAt == nil)
        let active = try pending.applying(.accept, by: .destination, at: start.addingTimeInterval(1))
        #expect(active.status == .active)
        #expect(active.activatedAt == start.addingTimeInterval(1))
        let inactive = try active.applying(.deactivate, by: .destination, at: start.addingTimeInterval(2))
        #expect(inactive.status == .inactive)
        #expect(inactive.deactivatedAt == start.addingTimeInterval(2))
        let again = try inactive.applying(.reactivate, by: .source, at: start.addingTimeInterval(3))
        #expect(again.status == .pending)
        #expect(again.updatedAt == start.addingTimeInterval(3))
        #expect(try pending.applying(.deactivate, by: .source, at: start).status == .inactive)
    }

    @Test("the wrong side or the wrong status is refused")
    func refusals() throws {
        let pending = ConnectConnectionLifecycle(status: .pending, createdAt: start)
        #expect(throws: ConnectConnectionLifecycle.Refusal.wrongSide(.accept, .source)) { try pending.applying(.accept, by: .source, at: start) }
        #expect(throws: ConnectConnectionLifecycle.Refusal.wrongStatus(.reactivate, .pending)) {
            try pending.applying(.reactivate, by: .source, at: start)
        }
        let active = ConnectConnectionLifecycle(status: .active, createdAt: start)
        #expect(active.activatedAt == start)
        #expect(throws: ConnectConnectionLifecycle.Refusal.wrongStatus(.accept, .active)) { try active.applying(.accept, by: .destination, at: start) }
        let inactive = try active.applying(.deactivate, by: .source, at: start)
        #expect(throws: ConnectConnectionLifecycle.Refusal.wrongStatus(.deactivate, .inactive)) {
            try inactive.applying(.deactivate, by: .destination, at: start)
        }
        #expect(throws: ConnectConnectionLifecycle.Refusal.wrongSide(.reactivate, .destination)) {
            try inactive.applying(.reactivate, by: .destination, at: start)
        }
    }
}

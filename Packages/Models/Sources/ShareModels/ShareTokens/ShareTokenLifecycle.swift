import Foundation

/// The life of a share token as a pure value: its status and the instants of its changes, and
/// the only transitions allowed between them.
///
/// ```
/// created ──beginRedemption──▶ pending ──finishRedemption──▶ redeemed
///    │                            └──────fail(reason)──────▶ failed
///    └──expire (or its TTL passes)──▶ expired
/// ```
///
/// Redemption is asynchronous, as on Persona: a redemption request moves the token to `pending`
/// and the import finishes later, as `redeemed` or `failed`
/// (<https://docs.withpersona.com/api-reference/connect/share-tokens/redeem-share-token>).
/// A pending token no longer expires: its redemption has been accepted and will finish.
public struct ShareTokenLifecycle: Hashable, Sendable {
    /// A change of a share token.
    public enum Transition: Hashable, Sendable {
        /// The destination asked to redeem it.
        case beginRedemption
        /// The import finished.
        case finishRedemption
        /// The import failed for `reason`.
        case fail(reason: String)
        /// The source expired it.
        case expire
    }

    /// Why a transition is not allowed from the current state.
    public enum Refusal: Error, Hashable, Sendable, CustomStringConvertible {
        /// The token expired at this instant.
        case expired(Date)
        /// A redemption has already started (or finished); a token is redeemed once.
        case alreadyRedeeming
        /// The token's redemption failed; it cannot be used.
        case failed
        /// The token has been redeemed (or its redemption failed): it can no longer expire.
        case alreadyUsed
        /// No redemption is under way to finish or fail.
        case notPending

        public var description: String {
            switch self {
            case .expired(let date): "the share token expired at \(Timestamp(date))"
            case .alreadyRedeeming: "a share token can be redeemed only once"
            case .failed: "the share token's redemption failed; it cannot be used"
            case .alreadyUsed: "the share token has been used and can no longer be expired"
            case .notPending: "the share token has no redemption under way"
            }
        }
    }

    /// The stored status; ``status(at:)`` is the one callers see.
    public private(set) var status: ShareTokenStatus
    public private(set) var createdAt: Date
    public private(set) var updatedAt: Date
    public private(set) var expiresAt: Date
    public private(set) var pendingAt: Date?
    public private(set) var redeemedAt: Date?
    public private(set) var failedAt: Date?
    public private(set) var failureReason: String?

    /// A new token, `created` at `createdAt`, expiring at `expiresAt`.
    public init(createdAt: Date, expiresAt: Date) {
        self.init(
            restoring: .created, createdAt: createdAt, updatedAt: createdAt, expiresAt: expiresAt, pendingAt: nil, redeemedAt: nil,
            failedAt: nil, failureReason: nil)
    }

    /// A lifecycle as a store kept it.
    public init(
        restoring status: ShareTokenStatus, createdAt: Date, updatedAt: Date, expiresAt: Date, pendingAt: Date?, redeemedAt: Date?,
        failedAt: Date?, failureReason: String?
    ) {
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.expiresAt = expiresAt
        self.pendingAt = pendingAt
        self.redeemedAt = redeemedAt
        self.failedAt = failedAt
        self.failureReason = failureReason
    }

    /// The status at `now`: a token still `created` once its TTL has passed is `expired`,
    /// whether or not anything has written that down yet.
    public func status(at now: Date) -> ShareTokenStatus {
        status == .created && now >= expiresAt ? .expired : status
    }

    /// When the status callers see at `now` last changed.
    public func updatedAt(at now: Date) -> Date {
        status(at: now) == .expired && status == .created ? expiresAt : updatedAt
    }

    /// The lifecycle after `transition` at `now`, or why it is not allowed.
    public func applying(_ transition: Transition, at now: Date) throws(Refusal) -> ShareTokenLifecycle {
        var next = self
        let current = status(at: now)
        switch transition {
        case .beginRedemption:
            switch current {
            case .created: break
            case .expired: throw .expired(expiresAt)
            case .pending, .redeemed: throw .alreadyRedeeming
            case .failed: throw .failed
            }
            next.status = .pending
            next.pendingAt = now
        case .finishRedemption:
            guard current == .pending else { throw .notPending }
            next.status = .redeemed
            next.redeemedAt = now
        case .fail(let reason):
            guard current == .pending else { throw .notPending }
            next.status = .failed
            next.failedAt = now
            next.failureReason = reason
        case .expire:
            switch current {
            case .created: next.expiresAt = now
            case .expired: return self
            case .pending, .redeemed, .failed: throw .alreadyUsed
            }
            next.status = .expired
        }
        next.updatedAt = now
        return next
    }
}

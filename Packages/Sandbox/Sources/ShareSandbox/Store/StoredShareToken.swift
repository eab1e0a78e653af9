import Foundation
import ShareModels

/// A share token as the store keeps it: both organizations, so that each sees it with its own
/// direction, and its `ShareTokenLifecycle`.
public struct StoredShareToken: Hashable, Sendable {
    public var id: ShareTokenID
    public var connectionID: ConnectionID
    public var sourceOrganization: OrganizationID
    public var destinationOrganization: OrganizationID
    public var sourceID: SourceID
    /// The record the redemption writes: named when the redemption starts, shown (and readable)
    /// once it has finished.
    public var destinationID: SourceID?
    /// Who created it: `api-key` or `workflow-run`.
    public var creator: JSONAPIResourceIdentifier?
    public var lifecycle: ShareTokenLifecycle

    public init(
        id: ShareTokenID, connectionID: ConnectionID, sourceOrganization: OrganizationID, destinationOrganization: OrganizationID,
        sourceID: SourceID, destinationID: SourceID? = nil, creator: JSONAPIResourceIdentifier? = nil, lifecycle: ShareTokenLifecycle
    ) {
        self.id = id
        self.connectionID = connectionID
        self.sourceOrganization = sourceOrganization
        self.destinationOrganization = destinationOrganization
        self.sourceID = sourceID
        self.destinationID = destinationID
        self.creator = creator
        self.lifecycle = lifecycle
    }

    /// The stored status; see ``status(at:)`` for the one callers see.
    public var status: ShareTokenStatus { lifecycle.status }

    /// When the token can no longer change, for retention (``SandboxRetentionStore``): its last
    /// change once redeemed, failed or expired, its expiry while `created` (it expires then),
    /// and `nil` while its redemption is `pending`.
    public var finishedAt: Date? {
        switch status {
        case .created: lifecycle.expiresAt
        case .pending: nil
        case .redeemed, .failed, .expired: lifecycle.updatedAt
        }
    }

    /// The status at `now` (a `created` token past its TTL is `expired`).
    public func status(at now: Date) -> ShareTokenStatus { lifecycle.status(at: now) }

    /// Which side `organization` is on, or `nil` when it is neither.
    public func direction(for organization: OrganizationID) -> ShareTokenDirection? {
        if organization == sourceOrganization { return .outbound }
        if organization == destinationOrganization { return .inbound }
        return nil
    }

    /// The token as the organization on the `direction` side sees it at `now`.
    public func view(_ direction: ShareTokenDirection, at now: Date) -> ShareToken {
        let status = status(at: now)
        return ShareToken(
            id: id, status: status, direction: direction, connectionID: connectionID, sourceID: sourceID,
            destinationID: status == .redeemed ? destinationID : nil, creator: creator,
            createdAt: Timestamp(lifecycle.createdAt), updatedAt: Timestamp(lifecycle.updatedAt(at: now)),
            expiresAt: Timestamp(lifecycle.expiresAt), pendingAt: lifecycle.pendingAt.map(Timestamp.init),
            redeemedAt: lifecycle.redeemedAt.map(Timestamp.init), failedAt: lifecycle.failedAt.map(Timestamp.init),
            failureReason: lifecycle.failureReason)
    }
}

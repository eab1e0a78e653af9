import Foundation
import ShareModels

/// A share token as the store keeps it: both organizations, so that each sees it with its own
/// direction.
public struct StoredShareToken: Hashable, Sendable {
    public var id: ShareTokenID
    public var connectionID: ConnectionID
    public var sourceOrganization: OrganizationID
    public var destinationOrganization: OrganizationID
    public var sourceID: SourceID
    public var destinationID: SourceID?
    /// The stored status; see ``status(at:)`` for the one callers see.
    public var status: ShareTokenStatus
    public var createdAt: Date
    public var expiresAt: Date
    public var redeemedAt: Date?

    public init(
        id: ShareTokenID, connectionID: ConnectionID, sourceOrganization: OrganizationID, destinationOrganization: OrganizationID,
        sourceID: SourceID, destinationID: SourceID? = nil, status: ShareTokenStatus, createdAt: Date, expiresAt: Date,
        redeemedAt: Date? = nil
    ) {
        self.id = id
        self.connectionID = connectionID
        self.sourceOrganization = sourceOrganization
        self.destinationOrganization = destinationOrganization
        self.sourceID = sourceID
        self.destinationID = destinationID
        self.status = status
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.redeemedAt = redeemedAt
    }

    /// The status at `now`: a token still `created` (or `pending`) once its TTL has passed is
    /// `expired`, whether or not anything has written that down yet.
    public func status(at now: Date) -> ShareTokenStatus {
        if (status == .created || status == .pending) && now >= expiresAt { return .expired }
        return status
    }

    /// Which side `organization` is on, or `nil` when it is neither.
    public func direction(for organization: OrganizationID) -> ShareTokenDirection? {
        if organization == sourceOrganization { return .outbound }
        if organization == destinationOrganization { return .inbound }
        return nil
    }

    /// The token as the organization on the `direction` side sees it at `now`.
    public func view(_ direction: ShareTokenDirection, at now: Date) -> ShareToken {
        ShareToken(
            id: id, status: status(at: now), direction: direction, connectionID: connectionID, sourceID: sourceID,
            destinationID: destinationID, createdAt: Timestamp(createdAt), expiresAt: Timestamp(expiresAt),
            redeemedAt: redeemedAt.map(Timestamp.init))
    }
}

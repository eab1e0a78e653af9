import Foundation
import ShareModels

/// A connection as the store keeps it: declared in the configuration file (stored `active` at
/// the first start, then kept as it stands), or created through `POST /api/v1/connect/connections`
/// (`pending` until the destination accepts it).
public struct StoredConnection: Hashable, Sendable {
    public var id: ConnectionID
    public var sourceOrganization: OrganizationID
    public var destinationOrganization: OrganizationID
    public var lifecycle: ConnectConnectionLifecycle

    public init(id: ConnectionID, sourceOrganization: OrganizationID, destinationOrganization: OrganizationID, lifecycle: ConnectConnectionLifecycle) {
        self.id = id
        self.sourceOrganization = sourceOrganization
        self.destinationOrganization = destinationOrganization
        self.lifecycle = lifecycle
    }

    public var status: ConnectConnectionStatus { lifecycle.status }

    /// Which side `organization` is on, or `nil` when it is neither.
    public func side(of organization: OrganizationID) -> ConnectConnectionLifecycle.Side? {
        if organization == sourceOrganization { return .source }
        if organization == destinationOrganization { return .destination }
        return nil
    }

    /// The connection on the wire.
    public var resource: ConnectConnection {
        ConnectConnection(
            id: id, status: lifecycle.status, sourceOrganizationID: sourceOrganization, destinationOrganizationID: destinationOrganization,
            createdAt: Timestamp(lifecycle.createdAt), updatedAt: Timestamp(lifecycle.updatedAt),
            activatedAt: lifecycle.activatedAt.map(Timestamp.init), deactivatedAt: lifecycle.deactivatedAt.map(Timestamp.init))
    }
}

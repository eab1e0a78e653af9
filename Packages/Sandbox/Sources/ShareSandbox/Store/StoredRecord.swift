import Foundation
import ShareModels

/// A record of an organization (`inq_…`, `txn_…`, `act_…`): seeded from the configuration, or
/// written by a redemption at the destination.
public struct StoredRecord: Hashable, Sendable {
    public var id: SourceID
    public var organization: OrganizationID
    public var attributes: [String: AttributeValue]
    public var createdAt: Date
    /// The share token whose redemption wrote this record, for records a redemption wrote.
    public var sharedFrom: ShareTokenID?

    public init(
        id: SourceID, organization: OrganizationID, attributes: [String: AttributeValue], createdAt: Date,
        sharedFrom: ShareTokenID? = nil
    ) {
        self.id = id
        self.organization = organization
        self.attributes = attributes
        self.createdAt = createdAt
        self.sharedFrom = sharedFrom
    }
}

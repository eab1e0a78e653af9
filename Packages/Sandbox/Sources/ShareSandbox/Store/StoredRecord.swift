import Foundation
import ShareModels

/// A record of an organization (`inq_…`, `txn_…`, `act_…`): seeded from the configuration, or
/// written by a redemption at the destination.
///
/// Its attributes are personal data: ``description`` and ``debugDescription`` name only the
/// attribute keys' count, so that no log line, error or dump of a value holding a record can
/// carry them.
public struct StoredRecord: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
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

    public var description: String {
        "StoredRecord(id: \(id), organization: \(organization), attributes: <\(attributes.count) redacted>)"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["id": id, "organization": organization, "attributes": "<\(attributes.count) redacted>"])
    }
}

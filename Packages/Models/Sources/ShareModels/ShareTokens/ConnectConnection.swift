/// A connection (`cxn_…`, JSON:API type `connect/connection`): the source organization may create
/// share tokens that only the destination organization may redeem, while the connection is
/// `active` (<https://docs.withpersona.com/managing-connections>).
///
/// Attributes: `status`, `created-at`, `updated-at`, `activated-at` and `deactivated-at` (`null`
/// until reached); relationships: `source-organization` and `destination-organization`.
public struct ConnectConnection: Hashable, Sendable, Codable {
    /// The JSON:API resource type.
    public static let resourceType = "connect/connection"

    public var id: ConnectionID
    public var status: ConnectConnectionStatus
    public var sourceOrganizationID: OrganizationID
    public var destinationOrganizationID: OrganizationID
    public var createdAt: Timestamp
    public var updatedAt: Timestamp
    public var activatedAt: Timestamp?
    public var deactivatedAt: Timestamp?

    public init(
        id: ConnectionID, status: ConnectConnectionStatus, sourceOrganizationID: OrganizationID, destinationOrganizationID: OrganizationID,
        createdAt: Timestamp, updatedAt: Timestamp? = nil, activatedAt: Timestamp? = nil, deactivatedAt: Timestamp? = nil
    ) {
        self.id = id
        self.status = status
        self.sourceOrganizationID = sourceOrganizationID
        self.destinationOrganizationID = destinationOrganizationID
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.activatedAt = activatedAt
        self.deactivatedAt = deactivatedAt
    }

    enum ResourceKeys: String, CodingKey { case type, id, attributes, relationships }

    enum AttributeKeys: String, CodingKey {
        case status
        case createdAt = "created-at"
        case updatedAt = "updated-at"
        case activatedAt = "activated-at"
        case deactivatedAt = "deactivated-at"
    }

    enum RelationshipKeys: String, CodingKey {
        case sourceOrganization = "source-organization"
        case destinationOrganization = "destination-organization"
    }

    struct Relationship: Codable { var data: JSONAPIResourceIdentifier }

    /// The JSON:API type of an organization in a relationship.
    public static let organizationType = "organization"

    public init(from decoder: any Decoder) throws {
        let resource = try decoder.container(keyedBy: ResourceKeys.self)
        let type = try resource.decode(String.self, forKey: .type)
        guard type == Self.resourceType else {
            throw DecodingError.dataCorruptedError(forKey: .type, in: resource, debugDescription: "expected type \"\(Self.resourceType)\"")
        }
        id = try resource.decode(ConnectionID.self, forKey: .id)
        let attributes = try resource.nestedContainer(keyedBy: AttributeKeys.self, forKey: .attributes)
        status = try attributes.decode(ConnectConnectionStatus.self, forKey: .status)
        createdAt = try attributes.decode(Timestamp.self, forKey: .createdAt)
        updatedAt = try attributes.decodeIfPresent(Timestamp.self, forKey: .updatedAt) ?? createdAt
        activatedAt = try attributes.decodeIfPresent(Timestamp.self, forKey: .activatedAt)
        deactivatedAt = try attributes.decodeIfPresent(Timestamp.self, forKey: .deactivatedAt)
        let relationships = try resource.nestedContainer(keyedBy: RelationshipKeys.self, forKey: .relationships)
        sourceOrganizationID = try Self.organization(.sourceOrganization, in: relationships)
        destinationOrganizationID = try Self.organization(.destinationOrganization, in: relationships)
    }

    public func encode(to encoder: any Encoder) throws {
        var resource = encoder.container(keyedBy: ResourceKeys.self)
        try resource.encode(Self.resourceType, forKey: .type)
        try resource.encode(id, forKey: .id)
        var attributes = resource.nestedContainer(keyedBy: AttributeKeys.self, forKey: .attributes)
        try attributes.encode(status, forKey: .status)
        try attributes.encode(createdAt, forKey: .createdAt)
        try attributes.encode(updatedAt, forKey: .updatedAt)
        try attributes.encode(activatedAt, forKey: .activatedAt)
        try attributes.encode(deactivatedAt, forKey: .deactivatedAt)
        var relationships = resource.nestedContainer(keyedBy: RelationshipKeys.self, forKey: .relationships)
        try relationships.encode(
            Relationship(data: .init(type: Self.organizationType, id: sourceOrganizationID.rawValue)), forKey: .sourceOrganization)
        try relationships.encode(
            Relationship(data: .init(type: Self.organizationType, id: destinationOrganizationID.rawValue)), forKey: .destinationOrganization)
    }

    private static func organization(_ key: RelationshipKeys, in container: KeyedDecodingContainer<RelationshipKeys>) throws -> OrganizationID {
        let linkage = try container.decode(Relationship.self, forKey: key).data
        guard let id = OrganizationID(rawValue: linkage.id) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "expected an organization id")
        }
        return id
    }
}

/// Where a connection is in its life (<https://docs.withpersona.com/managing-connections>).
public enum ConnectConnectionStatus: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Created by the source; waiting for the destination to accept it.
    case pending
    /// Accepted: share tokens can be created and redeemed through it.
    case active
    /// Deactivated by either side: no share token can be created or redeemed through it.
    case inactive

    public var description: String { rawValue }
}

/// The attributes of `POST /api/v1/connect/connections`: the destination organization, by its
/// organization id (<https://docs.withpersona.com/managing-connections>).
public struct ConnectConnectionCreateAttributes: Hashable, Sendable, Codable {
    public var destinationOrganizationID: OrganizationID

    public init(destinationOrganizationID: OrganizationID) { self.destinationOrganizationID = destinationOrganizationID }

    enum CodingKeys: String, CodingKey { case destinationOrganizationID = "destination-organization-id" }
}

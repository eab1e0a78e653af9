/// A share token (`cnst_…`): one record of a source organization, handed to the destination
/// organization of one connection, redeemable once before it expires.
///
/// On the wire it is a JSON:API resource of type `connect/share-token`, shaped as Persona's
/// reference shows it (<https://docs.withpersona.com/api-reference/connect/share-tokens/retrieve-a-share-token>):
/// kebab-case `attributes` (`status`, `direction`, `created-at`, `updated-at`, `pending-at`,
/// `redeemed-at`, `failed-at`, `failure-reason`, `expires-at`; the instants not reached yet are
/// `null`) and `relationships` naming the `connection` (`connect/connection`), the `creator`,
/// the `source` record and, once redeemed, the `destination` record.
///
/// Decoding also takes the shape of the example in Persona's 2025-12-08 guide
/// (<https://docs.withpersona.com/2025-12-08/creating-share-tokens>): `direction` may be absent,
/// `expires-at` may be `null`, and the connection may be named `connect-connection`.
public struct ShareToken: Hashable, Sendable, Codable {
    /// The JSON:API resource type.
    public static let resourceType = "connect/share-token"

    public var id: ShareTokenID
    public var status: ShareTokenStatus
    /// `outbound` when the source organization reads it, `inbound` for the destination; `nil`
    /// when the answer does not say (Persona's 2025-12-08 version leaves it out).
    public var direction: ShareTokenDirection?
    /// The `connection` relationship.
    public var connectionID: ConnectionID
    /// The `source` relationship: the shared record.
    public var sourceID: SourceID
    /// The `destination` relationship: the record the redemption wrote, once redeemed.
    public var destinationID: SourceID?
    /// The `creator` relationship: who created the token (an API key, or a workflow run).
    public var creator: JSONAPIResourceIdentifier?
    public var createdAt: Timestamp
    public var updatedAt: Timestamp
    /// When the token stops being redeemable; `nil` when the answer gives no expiry.
    public var expiresAt: Timestamp?
    /// When a redemption was requested.
    public var pendingAt: Timestamp?
    public var redeemedAt: Timestamp?
    public var failedAt: Timestamp?
    /// Why the redemption failed, for a `failed` token.
    public var failureReason: String?

    public init(
        id: ShareTokenID,
        status: ShareTokenStatus,
        direction: ShareTokenDirection?,
        connectionID: ConnectionID,
        sourceID: SourceID,
        destinationID: SourceID? = nil,
        creator: JSONAPIResourceIdentifier? = nil,
        createdAt: Timestamp,
        updatedAt: Timestamp? = nil,
        expiresAt: Timestamp?,
        pendingAt: Timestamp? = nil,
        redeemedAt: Timestamp? = nil,
        failedAt: Timestamp? = nil,
        failureReason: String? = nil
    ) {
        self.id = id
        self.status = status
        self.direction = direction
        self.connectionID = connectionID
        self.sourceID = sourceID
        self.destinationID = destinationID
        self.creator = creator
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.expiresAt = expiresAt
        self.pendingAt = pendingAt
        self.redeemedAt = redeemedAt
        self.failedAt = failedAt
        self.failureReason = failureReason
    }

    enum ResourceKeys: String, CodingKey { case type, id, attributes, relationships }

    enum AttributeKeys: String, CodingKey {
        case status, direction
        case createdAt = "created-at"
        case updatedAt = "updated-at"
        case pendingAt = "pending-at"
        case redeemedAt = "redeemed-at"
        case failedAt = "failed-at"
        case failureReason = "failure-reason"
        case expiresAt = "expires-at"
    }

    enum RelationshipKeys: String, CodingKey {
        case connection, creator, source, destination
        /// The name Persona's 2025-12-08 examples give the connection relationship.
        case connectConnection = "connect-connection"
    }

    /// A relationship object: `{"data": <resource identifier or null>}`.
    struct Relationship: Codable {
        var data: JSONAPIResourceIdentifier?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(data, forKey: .data)
        }
    }

    public init(from decoder: any Decoder) throws {
        let resource = try decoder.container(keyedBy: ResourceKeys.self)
        let type = try resource.decode(String.self, forKey: .type)
        guard type == Self.resourceType else {
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: resource, debugDescription: "expected type \"\(Self.resourceType)\"")
        }
        id = try resource.decode(ShareTokenID.self, forKey: .id)
        let attributes = try resource.nestedContainer(keyedBy: AttributeKeys.self, forKey: .attributes)
        status = try attributes.decode(ShareTokenStatus.self, forKey: .status)
        direction = try attributes.decodeIfPresent(ShareTokenDirection.self, forKey: .direction)
        createdAt = try attributes.decode(Timestamp.self, forKey: .createdAt)
        updatedAt = try attributes.decodeIfPresent(Timestamp.self, forKey: .updatedAt) ?? createdAt
        expiresAt = try attributes.decodeIfPresent(Timestamp.self, forKey: .expiresAt)
        pendingAt = try attributes.decodeIfPresent(Timestamp.self, forKey: .pendingAt)
        redeemedAt = try attributes.decodeIfPresent(Timestamp.self, forKey: .redeemedAt)
        failedAt = try attributes.decodeIfPresent(Timestamp.self, forKey: .failedAt)
        failureReason = try attributes.decodeIfPresent(String.self, forKey: .failureReason)
        let relationships = try resource.nestedContainer(keyedBy: RelationshipKeys.self, forKey: .relationships)
        let connectionKey: RelationshipKeys =
            !relationships.contains(.connection) && relationships.contains(.connectConnection) ? .connectConnection : .connection
        connectionID = try Self.identifier(ConnectionID.self, connectionKey, in: relationships, required: true)!
        sourceID = try Self.identifier(SourceID.self, .source, in: relationships, required: true)!
        destinationID = try Self.identifier(SourceID.self, .destination, in: relationships, required: false)
        creator = try relationships.decodeIfPresent(Relationship.self, forKey: .creator)?.data
    }

    public func encode(to encoder: any Encoder) throws {
        var resource = encoder.container(keyedBy: ResourceKeys.self)
        try resource.encode(Self.resourceType, forKey: .type)
        try resource.encode(id, forKey: .id)
        var attributes = resource.nestedContainer(keyedBy: AttributeKeys.self, forKey: .attributes)
        try attributes.encode(status, forKey: .status)
        try attributes.encodeIfPresent(direction, forKey: .direction)
        try attributes.encode(createdAt, forKey: .createdAt)
        try attributes.encode(updatedAt, forKey: .updatedAt)
        // Instants not reached yet are null, as Persona shows them.
        try attributes.encode(pendingAt, forKey: .pendingAt)
        try attributes.encode(redeemedAt, forKey: .redeemedAt)
        try attributes.encode(failedAt, forKey: .failedAt)
        try attributes.encode(failureReason, forKey: .failureReason)
        try attributes.encode(expiresAt, forKey: .expiresAt)
        var relationships = resource.nestedContainer(keyedBy: RelationshipKeys.self, forKey: .relationships)
        try relationships.encode(
            Relationship(data: .init(type: ConnectConnection.resourceType, id: connectionID.rawValue)), forKey: .connection)
        if let creator { try relationships.encode(Relationship(data: creator), forKey: .creator) }
        try relationships.encode(Relationship(data: .init(type: sourceID.kind.resourceType, id: sourceID.rawValue)), forKey: .source)
        if let destinationID {
            try relationships.encode(
                Relationship(data: .init(type: destinationID.kind.resourceType, id: destinationID.rawValue)), forKey: .destination)
        }
    }

    /// The id of the relationship `key`, checked for its kind of identifier.
    private static func identifier<ID: Identifier>(
        _ type: ID.Type, _ key: RelationshipKeys, in container: KeyedDecodingContainer<RelationshipKeys>, required: Bool
    ) throws -> ID? {
        let linkage = required
            ? try container.decode(Relationship.self, forKey: key).data : try container.decodeIfPresent(Relationship.self, forKey: key)?.data
        guard let linkage else {
            if required {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "the relationship names no resource")
            }
            return nil
        }
        guard let id = ID(rawValue: linkage.id) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "expected a \(ID.kindName)")
        }
        return id
    }

    /// The same token as the other side of the connection sees it.
    public func seen(as direction: ShareTokenDirection) -> ShareToken {
        var copy = self
        copy.direction = direction
        return copy
    }
}

import ShareModels

/// A share token as the store keeps it. Times are milliseconds since 1970.
public struct StoredShareToken: Hashable, Sendable {
    public var id: String
    public var connectionID: String
    public var sourceOrganization: String
    public var destinationOrganization: String
    public var sourceID: String
    public var destinationID: String?
    /// The stored status; ``effectiveStatus(at:)`` applies expiry.
    public var status: ShareTokenStatus
    public var createdAt: Int
    public var expiresAt: Int
    public var redeemedAt: Int?

    public init(
        id: String, connectionID: String, sourceOrganization: String, destinationOrganization: String, sourceID: String,
        destinationID: String? = nil, status: ShareTokenStatus, createdAt: Int, expiresAt: Int, redeemedAt: Int? = nil
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

    /// The status at `now` (milliseconds): a token still `created` past its expiry is `expired`,
    /// whether or not anything has written that down yet.
    public func effectiveStatus(at now: Int) -> ShareTokenStatus {
        status == .created && now >= expiresAt ? .expired : status
    }

    /// The direction `organization` sees this token in, or `nil` when it is neither side.
    public func direction(for organization: String) -> ShareTokenDirection? {
        if organization == sourceOrganization { return .outbound }
        if organization == destinationOrganization { return .inbound }
        return nil
    }
}

/// A record (`inq_…`, `txn_…`, `act_…`) of an organization.
public struct StoredRecord: Hashable, Sendable {
    public var id: String
    public var organization: String
    /// The attributes as a JSON object.
    public var attributesJSON: String

    public init(id: String, organization: String, attributesJSON: String) {
        self.id = id
        self.organization = organization
        self.attributesJSON = attributesJSON
    }
}

/// An event of one organization, with the state of its webhook delivery.
public struct StoredEvent: Hashable, Sendable {
    /// Where the webhook delivery of an event stands.
    public enum Delivery: String, Hashable, Sendable {
        /// The organization has no webhook.
        case none
        /// Waiting for its next attempt.
        case pending
        case delivered
        /// Every attempt failed.
        case failed
    }

    public var id: String
    public var organization: String
    public var name: String
    public var createdAt: Int
    /// The event resource as JSON, exactly the bytes delivered and listed.
    public var resourceJSON: String
    public var delivery: Delivery
    public var attempts: Int
    /// When the next attempt is due, milliseconds since 1970.
    public var nextAttemptAt: Int

    public init(
        id: String, organization: String, name: String, createdAt: Int, resourceJSON: String, delivery: Delivery, attempts: Int = 0,
        nextAttemptAt: Int
    ) {
        self.id = id
        self.organization = organization
        self.name = name
        self.createdAt = createdAt
        self.resourceJSON = resourceJSON
        self.delivery = delivery
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
    }
}

/// Which share tokens to list, and where the page starts.
public struct ShareTokenQuery: Hashable, Sendable {
    /// The organization asking; only tokens it is a side of are listed.
    public var organization: String
    public var connectionID: String?
    public var status: ShareTokenStatus?
    public var direction: ShareTokenDirection?
    /// The id of the last token of the previous page.
    public var after: String?
    public var limit: Int
    /// Now, in milliseconds, to apply expiry to `status`.
    public var now: Int

    public init(
        organization: String, connectionID: String? = nil, status: ShareTokenStatus? = nil, direction: ShareTokenDirection? = nil,
        after: String? = nil, limit: Int, now: Int
    ) {
        self.organization = organization
        self.connectionID = connectionID
        self.status = status
        self.direction = direction
        self.after = after
        self.limit = limit
        self.now = now
    }

    /// Whether `token` belongs in the answer (ignoring the page position).
    public func matches(_ token: StoredShareToken) -> Bool {
        guard let side = token.direction(for: organization) else { return false }
        if let direction, side != direction { return false }
        if let connectionID, token.connectionID != connectionID { return false }
        if let status, token.effectiveStatus(at: now) != status { return false }
        return true
    }
}

/// What an attempt to redeem or expire a share token found.
public enum ShareTokenTransition: Hashable, Sendable {
    /// Done; the token as it now is.
    case done(StoredShareToken)
    /// The token was not in a state that allows it; its status at that moment.
    case refused(ShareTokenStatus)
    /// No such token.
    case unknown
}

import Foundation
import Logging
import ShareModels
import ShareWire

/// The rules of the share-token API: who may create, see, redeem and expire a token, with TTL
/// bounds, single redemption, expiry enforced whenever a token is read, and the lifecycle events
/// each side receives.
public struct ShareTokenService: Sendable {
    let world: ShareTokenWorld
    let store: any SandboxStore
    let clock: SandboxClock
    let logger: Logger

    /// The default page size of lists, and the largest allowed.
    public static let defaultPageSize = 20
    public static let maximumPageSize = 100

    public init(world: ShareTokenWorld, store: any SandboxStore, configuration: SandboxConfiguration) {
        self.world = world
        self.store = store
        self.clock = configuration.clock
        self.logger = configuration.logger
    }

    /// Milliseconds since 1970.
    var now: Int { Int((clock.now().timeIntervalSince1970 * 1000).rounded(.down)) }

    /// Writes the configured records that are not stored yet.
    func seedRecords(_ seed: ShareTokenSeed) async throws {
        for record in seed.records {
            let json = String(decoding: try WireJSON.encode(record.attributes), as: UTF8.self)
            try await store.insertRecordIfAbsent(StoredRecord(id: record.id, organization: record.organization, attributesJSON: json))
        }
    }

    // MARK: Authentication

    /// The organization of an `Authorization: Bearer <api key>` header.
    public func authenticate(authorization: String?) throws -> ShareTokenWorld.Organization {
        guard let authorization, authorization.count > 7, authorization.prefix(7).lowercased() == "bearer ",
            let organization = world.organization(apiKey: String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        else { throw JSONAPIFailure.unauthorized }
        return organization
    }

    // MARK: Operations

    /// Creates a share token of `organization` for `attributes`' connection and record.
    public func create(_ attributes: ShareTokenCreateAttributes, by organization: ShareTokenWorld.Organization) async throws -> ShareToken {
        let ttl: ShareTokenTTL
        do {
            ttl = try attributes.ttl()
        } catch {
            throw JSONAPIFailure.invalidAttribute("expires-in-seconds", error.description)
        }
        guard let connection = world.connections[attributes.connectionID], connection.source == organization.id else {
            throw JSONAPIFailure.invalidAttribute(
                "connection-id", "connection-id must name a connection whose source is your organization")
        }
        guard let record = try await store.record(id: attributes.sourceID.rawValue), record.organization == organization.id.rawValue else {
            throw JSONAPIFailure.invalidAttribute("source-id", "source-id must name an inquiry, transaction or account of your organization")
        }
        let created = now
        let token = StoredShareToken(
            id: "cnst_" + RandomToken.base64URL(byteCount: 12), connectionID: connection.id.rawValue,
            sourceOrganization: connection.source.rawValue, destinationOrganization: connection.destination.rawValue,
            sourceID: record.id, status: .created, createdAt: created, expiresAt: created + ttl.seconds * 1000)
        let events = try makeEvents(for: token, source: .outboundCreated, destination: .inboundCreated, at: created)
        try await store.insertShareToken(token, events: events)
        return try view(token, for: organization.id.rawValue)
    }

    /// The token `id` as `organization` sees it; 404 unless it is a side of it.
    public func get(_ id: String, by organization: ShareTokenWorld.Organization) async throws -> ShareToken {
        guard let token = try await store.shareToken(id: id), token.direction(for: organization.id.rawValue) != nil else {
            throw JSONAPIFailure.notFound
        }
        return try view(token, for: organization.id.rawValue)
    }

    /// One page of the tokens `organization` is a side of, and the cursor of the next page.
    public func list(
        _ filters: ShareTokenQuery, by organization: ShareTokenWorld.Organization
    ) async throws -> (tokens: [ShareToken], nextCursor: String?) {
        var query = filters
        query.organization = organization.id.rawValue
        query.now = now
        let limit = query.limit
        query.limit = limit + 1
        let page = try await store.shareTokens(query)
        let tokens = try page.prefix(limit).map { try view($0, for: organization.id.rawValue) }
        return (tokens, page.count > limit ? tokens.last?.id.rawValue : nil)
    }

    /// Redeems token `id` for its destination organization, copying the source record.
    public func redeem(
        _ id: String, _ attributes: ShareTokenRedeemAttributes, by organization: ShareTokenWorld.Organization
    ) async throws -> ShareToken {
        guard let token = try await store.shareToken(id: id), token.destinationOrganization == organization.id.rawValue else {
            throw JSONAPIFailure.notFound
        }
        guard let source = try await store.record(id: token.sourceID) else {
            throw JSONAPIFailure(status: 409, title: "Source record missing", detail: "the shared record no longer exists")
        }
        let destinationID: String
        if let requested = attributes.destinationID {
            if let existing = try await store.record(id: requested.rawValue), existing.organization != organization.id.rawValue {
                throw JSONAPIFailure.invalidAttribute("destination-id", "destination-id names a record of another organization")
            }
            destinationID = requested.rawValue
        } else {
            let kind = SourceID(validated: token.sourceID).kind.rawValue
            destinationID = kind + RandomToken.base64URL(byteCount: 12)
        }
        let destination = StoredRecord(id: destinationID, organization: organization.id.rawValue, attributesJSON: source.attributesJSON)
        let at = now
        let eventIDs = (0..<2).map { _ in Self.newEventID() }
        let world = self.world
        let outcome = try await store.redeemShareToken(id: id, destination: destination, at: at) { redeemed in
            (try? Self.makeEvents(
                for: redeemed, source: .outboundRedeemed, destination: .inboundRedeemed, at: at, ids: eventIDs, world: world)) ?? []
        }
        switch outcome {
        case .done(let redeemed):
            return try view(redeemed, for: organization.id.rawValue)
        case .refused(let status):
            throw JSONAPIFailure(
                status: 409, title: "Not redeemable", detail: "the share token is \(status.rawValue) and can no longer be redeemed")
        case .unknown:
            throw JSONAPIFailure.notFound
        }
    }

    /// Expires token `id` early, for its source organization.
    public func expire(_ id: String, by organization: ShareTokenWorld.Organization) async throws -> ShareToken {
        guard let token = try await store.shareToken(id: id), token.sourceOrganization == organization.id.rawValue else {
            throw JSONAPIFailure.notFound
        }
        switch try await store.expireShareToken(id: token.id, at: now) {
        case .done(let expired):
            return try view(expired, for: organization.id.rawValue)
        case .refused(let status):
            throw JSONAPIFailure(status: 409, title: "Not expirable", detail: "the share token is already \(status.rawValue)")
        case .unknown:
            throw JSONAPIFailure.notFound
        }
    }

    /// One page of `organization`'s events and the cursor of the next page.
    public func events(after: String?, limit: Int, by organization: ShareTokenWorld.Organization) async throws
        -> (events: [ShareTokenEvent], nextCursor: String?)
    {
        let page = try await store.events(organization: organization.id.rawValue, after: after, limit: limit + 1)
        let events = try page.prefix(limit).map { try WireJSON.decode(ShareTokenEvent.self, from: Array($0.resourceJSON.utf8)) }
        return (events, page.count > limit ? events.last?.id.rawValue : nil)
    }

    // MARK: Views and events

    /// `token` as `organization` sees it, with expiry applied.
    func view(_ token: StoredShareToken, for organization: String) throws -> ShareToken {
        try Self.view(token, direction: token.direction(for: organization) ?? .outbound, now: now)
    }

    static func view(_ token: StoredShareToken, direction: ShareTokenDirection, now: Int) throws -> ShareToken {
        ShareToken(
            id: try ShareTokenID(token.id), status: token.effectiveStatus(at: now), direction: direction,
            connectionID: try ConnectionID(token.connectionID), sourceID: try SourceID(token.sourceID),
            destinationID: try token.destinationID.map { try SourceID($0) }, createdAt: timestamp(token.createdAt),
            expiresAt: timestamp(token.expiresAt), redeemedAt: token.redeemedAt.map(timestamp))
    }

    static func timestamp(_ milliseconds: Int) -> Timestamp { Timestamp(Date(timeIntervalSince1970: Double(milliseconds) / 1000)) }

    static func newEventID() -> String { "evt_" + RandomToken.base64URL(byteCount: 12) }

    private func makeEvents(for token: StoredShareToken, source: EventName, destination: EventName, at: Int) throws -> [StoredEvent] {
        try Self.makeEvents(
            for: token, source: source, destination: destination, at: at, ids: [Self.newEventID(), Self.newEventID()], world: world)
    }

    /// One event for each side of `token`, pending delivery where the organization has a webhook.
    static func makeEvents(
        for token: StoredShareToken, source: EventName, destination: EventName, at: Int, ids: [String], world: ShareTokenWorld
    ) throws -> [StoredEvent] {
        let sides: [(EventName, String, ShareTokenDirection)] = [
            (source, token.sourceOrganization, .outbound), (destination, token.destinationOrganization, .inbound),
        ]
        return try zip(sides, ids).map { side, id in
            let (name, organization, direction) = side
            let event = ShareTokenEvent(
                id: try EventID(id), name: name, createdAt: timestamp(at),
                shareToken: try view(token, direction: direction, now: at))
            let hasWebhook = (try? OrganizationID(organization)).flatMap { world.organizations[$0]?.webhookURL } != nil
            return StoredEvent(
                id: id, organization: organization, name: name.rawValue, createdAt: at,
                resourceJSON: String(decoding: try WireJSON.encode(event), as: UTF8.self),
                delivery: hasWebhook ? .pending : .none, nextAttemptAt: at)
        }
    }
}

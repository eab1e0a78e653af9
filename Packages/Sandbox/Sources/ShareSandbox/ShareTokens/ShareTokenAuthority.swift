import Foundation
import Logging
import ShareModels
import ShareWire

/// The rules of share tokens: who may create, redeem, read and expire them, what a redemption
/// copies, which events each step raises, and which workflows those events start.
///
/// Every state change is one atomic store call that also stores its events, so an event (and its
/// pending webhook delivery) exists exactly when the change does. Expiry is decided at the time
/// of each read and redemption from `expires-at`, not by a sweeper.
///
/// Redemption is asynchronous, as on Persona
/// (<https://docs.withpersona.com/api-reference/connect/share-tokens/redeem-share-token>): the
/// request moves the token to `pending` and answers; a background step ``redemptionDelay`` later
/// writes the destination record, moves the token to `redeemed` (or `failed`) and raises the
/// `…-redeemed` events. Tokens still pending when the sandbox stopped are finished at its start.
///
/// Workflows run once per triggering event: an event that starts at least one is stored with a
/// pending mark (``StoredEvent/pendingWorkflows``) claimed by the process that raised it, which
/// runs them right after; each action commits with its ``StoredWorkflowRun``
/// (``ShareTokenStore/recordWorkflowRun(_:action:)``), at most once per (workflow, event), and
/// the mark is cleared once all have run. A mark a stopped process left is claimed, once its
/// lease has lapsed, by ``recoverPendingWorkflows()``.
public struct ShareTokenAuthority: Sendable {
    let store: any ShareTokenStore
    let directory: ShareTokenDirectory
    let clock: SandboxClock
    let logger: Logger
    /// How long the import of a redemption takes.
    public let redemptionDelay: Duration
    /// How long a claim on an event's pending workflows keeps other processes away from them;
    /// a claim left by a process that stopped lapses after it.
    public let workflowClaimLease: Duration
    /// The wall clock the claims are measured with: never the control plane's clock, so that a
    /// lapsed claim is recovered without moving the sandbox's time.
    let wallClock: SandboxClock
    /// Called after every commit that stored events: wakes the webhook delivery, so that they go
    /// out at once instead of at its next poll.
    let whenEventsStored: @Sendable () -> Void

    /// How deep a chain of workflows may go (a workflow's action raising events that start
    /// further workflows) before the next run is recorded as failed instead of run.
    static let maximumWorkflowDepth = 8

    /// The default of ``redemptionDelay``: short, so that polling sees `redeemed` quickly.
    public static let defaultRedemptionDelay: Duration = .milliseconds(200)

    /// The default of ``workflowClaimLease``: the workflows of one event are a few store writes.
    public static let defaultWorkflowClaimLease: Duration = .seconds(10)

    /// `wallClock` measures the claims on pending workflows (the system clock unless a test
    /// injects another); `whenEventsStored` is called after every commit that stored events (a
    /// ``WebhookDeliveryService``'s ``WebhookDeliveryService/wake()``, so that they are delivered
    /// at once).
    public init(
        store: any ShareTokenStore, directory: ShareTokenDirectory, clock: SandboxClock, logger: Logger,
        redemptionDelay: Duration = Self.defaultRedemptionDelay, workflowClaimLease: Duration = Self.defaultWorkflowClaimLease,
        wallClock: SandboxClock = .system, whenEventsStored: @escaping @Sendable () -> Void = {}
    ) {
        self.store = store
        self.directory = directory
        self.clock = clock
        self.logger = logger
        self.redemptionDelay = redemptionDelay
        self.workflowClaimLease = workflowClaimLease
        self.wallClock = wallClock
        self.whenEventsStored = whenEventsStored
    }

    /// Stores the directory's seed records and connections that are not stored yet (configured
    /// connections start `active`), finishes the redemptions a previous run left pending, and
    /// runs the workflows it left pending whose claim has lapsed.
    public func seed() async throws {
        try await store.seedRecords(directory.records)
        try await store.seedConnections(
            directory.connections.values.sorted { $0.id < $1.id }.map { connection in
                StoredConnection(
                    id: connection.id, sourceOrganization: connection.source, destinationOrganization: connection.destination,
                    lifecycle: ConnectConnectionLifecycle(status: .active, createdAt: directory.createdAt))
            })
        for token in try await store.pendingShareTokens() {
            await finishRedemption(token.id, depth: 0)
        }
        await recoverPendingWorkflows()
    }

    // MARK: Authentication

    /// The organization presenting `authorization` (`Bearer <api key>`), or a 401 failure.
    public func authenticate(authorization: String?) throws(ShareTokenFailure) -> ShareTokenDirectory.Organization {
        guard let authorization else { throw .unauthenticated }
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw .unauthenticated }
        let key = parts[1].trimmingCharacters(in: .whitespaces)
        guard let organization = directory.organization(apiKey: key) else { throw .unauthenticated }
        return organization
    }

    // MARK: Share tokens

    /// Creates a share token of `organization` for `attributes.sourceID` on `attributes.connectionID`.
    public func create(_ attributes: ShareTokenCreateAttributes, by organization: OrganizationID) async throws -> ShareToken {
        let creator = JSONAPIResourceIdentifier(type: "api-key", id: Self.apiKeyID(of: organization))
        let (token, events) = try await newToken(attributes, by: organization, creator: creator, depth: 0)
        try await store.insertShareToken(token, events: events.map(\.event))
        logTokenCreated(token)
        await eventsStored(events, depth: 0)
        return token.view(.outbound, at: token.lifecycle.createdAt)
    }

    /// Starts the redemption of share token `id` for the destination organization
    /// `organization`, and answers the token `pending`. The import (the source record copied into
    /// `attributes.destinationID`, or into a new record when absent) finishes in the background.
    public func redeem(_ id: ShareTokenID, _ attributes: ShareTokenRedeemAttributes, by organization: OrganizationID) async throws
        -> ShareToken
    {
        let pending = try await redemption(of: id, attributes, by: organization)
        guard try await store.replaceShareToken(pending, expecting: .created, record: nil, events: []) == .replaced else {
            throw ShareTokenFailure.alreadyRedeemed
        }
        scheduleFinish(of: pending, depth: 0)
        return pending.view(.inbound, at: clock.now())
    }

    /// The id the `creator` relationship gives the API key of `organization`: the sandbox knows
    /// one key per organization and never shows the key itself.
    static func apiKeyID(of organization: OrganizationID) -> String {
        "api_" + organization.rawValue.dropFirst("org_".count)
    }

    /// Share token `id` as `organization` sees it; 404 when it is neither side.
    public func shareToken(_ id: ShareTokenID, by organization: OrganizationID) async throws -> ShareToken {
        guard let token = try await store.shareToken(id: id), let direction = token.direction(for: organization) else {
            throw ShareTokenFailure.notFound("share token")
        }
        return token.view(direction, at: clock.now())
    }

    /// A page of the share tokens `organization` sees, and the cursor of the next page when there
    /// may be one.
    public func list(_ query: ShareTokenQuery, by organization: OrganizationID) async throws -> (tokens: [ShareToken], next: ShareTokenID?) {
        if let after = query.after {
            guard let cursor = try await store.shareToken(id: after), cursor.direction(for: organization) != nil else {
                throw ShareTokenFailure.invalidParameter("page[after]", "page[after] is not a share token of this listing")
            }
        }
        let now = clock.now()
        var probe = query
        probe.limit = query.limit + 1
        let found = try await store.shareTokens(visibleTo: organization, matching: probe, at: now)
        let page = Array(found.prefix(query.limit))
        let tokens = page.compactMap { token in token.direction(for: organization).map { token.view($0, at: now) } }
        return (tokens, found.count > query.limit ? page.last?.id : nil)
    }

    /// Expires share token `id` now, for its source organization. Expiring an expired token
    /// changes nothing; one whose redemption started cannot be expired.
    public func expire(_ id: ShareTokenID, by organization: OrganizationID) async throws -> ShareToken {
        guard let token = try await store.shareToken(id: id), let direction = token.direction(for: organization) else {
            throw ShareTokenFailure.notFound("share token")
        }
        guard direction == .outbound else {
            throw ShareTokenFailure.forbidden("only the source organization of a share token can expire it")
        }
        let now = clock.now()
        var expired = token
        do {
            expired.lifecycle = try token.lifecycle.applying(.expire, at: now)
        } catch {
            throw ShareTokenFailure(status: 409, title: "Share token already used", detail: error.description)
        }
        guard expired.lifecycle != token.lifecycle else { return token.view(.outbound, at: now) }
        guard try await store.replaceShareToken(expired, expecting: token.status, record: nil, events: []) == .replaced else {
            return try await self.expire(id, by: organization)
        }
        return expired.view(.outbound, at: now)
    }

    /// The resources of `token` named by `paths` (`connection`, `source`, `destination`;
    /// `creator` names nothing readable), as `organization` may read them: the source record
    /// only for its owner, the destination record only for its owner once written.
    func related(_ token: ShareToken, paths: [String], by organization: OrganizationID) async throws -> [any Encodable & Sendable] {
        var resources: [any Encodable & Sendable] = []
        for path in paths {
            switch path {
            case "connection":
                if let connection = try await store.connection(id: token.connectionID), connection.side(of: organization) != nil {
                    resources.append(connection.resource)
                }
            case "source", "destination":
                let id = path == "source" ? token.sourceID : token.destinationID
                if let id, let record = try await store.record(id: id), record.organization == organization {
                    resources.append(RecordResource(record))
                }
            default:
                break
            }
        }
        return resources
    }

    // MARK: Connections

    /// `POST /api/v1/connect/connections`: a `pending` connection from `organization` to
    /// `attributes.destinationOrganizationID`.
    public func createConnection(_ attributes: ConnectConnectionCreateAttributes, by organization: OrganizationID) async throws
        -> ConnectConnection
    {
        let destination = attributes.destinationOrganizationID
        guard directory.organizations[destination] != nil else {
            throw ShareTokenFailure.invalidAttribute(
                ShareTokenFailure.pointer("destination-organization-id"), "no organization with this id is known to the sandbox")
        }
        guard destination != organization else {
            throw ShareTokenFailure.invalidAttribute(
                ShareTokenFailure.pointer("destination-organization-id"), "a connection cannot connect an organization to itself")
        }
        let connection = StoredConnection(
            id: ConnectionID(validated: "cxn_" + RandomToken.alphanumeric(length: 24)), sourceOrganization: organization,
            destinationOrganization: destination, lifecycle: ConnectConnectionLifecycle(status: .pending, createdAt: clock.now()))
        try await store.insertConnection(connection)
        return connection.resource
    }

    /// Connection `id` as `organization` (either side) sees it; 404 for anyone else.
    public func connection(_ id: ConnectionID, by organization: OrganizationID) async throws -> ConnectConnection {
        try await visibleConnection(id, by: organization).connection.resource
    }

    /// A page of the connections `organization` is a side of, newest first, and the cursor of
    /// the next page.
    public func connections(of organization: OrganizationID, after: ConnectionID?, limit: Int) async throws
        -> (connections: [ConnectConnection], next: ConnectionID?)
    {
        if let after {
            guard let cursor = try await store.connection(id: after), cursor.side(of: organization) != nil else {
                throw ShareTokenFailure.invalidParameter("page[after]", "page[after] is not a connection of this listing")
            }
        }
        let found = try await store.connections(of: organization, after: after, limit: limit + 1)
        let page = Array(found.prefix(limit))
        return (page.map(\.resource), found.count > limit ? page.last?.id : nil)
    }

    /// Applies `transition` to connection `id` for `organization`: `accept` (destination,
    /// `pending` → `active`), `deactivate` (either side, → `inactive`), `reactivate` (source,
    /// `inactive` → `pending`). A refused change is 409, or 403 for the wrong side.
    public func changeConnection(_ id: ConnectionID, _ transition: ConnectConnectionLifecycle.Transition, by organization: OrganizationID)
        async throws -> ConnectConnection
    {
        let (connection, side) = try await visibleConnection(id, by: organization)
        var changed = connection
        do {
            changed.lifecycle = try connection.lifecycle.applying(transition, by: side, at: clock.now())
        } catch let refusal {
            switch refusal {
            case .wrongSide: throw ShareTokenFailure.forbidden(refusal.description)
            case .wrongStatus: throw ShareTokenFailure(status: 409, title: "Connection status conflict", detail: refusal.description)
            }
        }
        guard try await store.replaceConnection(changed, expecting: connection.status) else {
            return try await changeConnection(id, transition, by: organization)
        }
        logger.debug("connection changed", metadata: ["connection.id": "\(id)", "connection.status": "\(changed.status)"])
        return changed.resource
    }

    private func visibleConnection(_ id: ConnectionID, by organization: OrganizationID) async throws
        -> (connection: StoredConnection, side: ConnectConnectionLifecycle.Side)
    {
        guard let connection = try await store.connection(id: id), let side = connection.side(of: organization) else {
            throw ShareTokenFailure.notFound("connection")
        }
        return (connection, side)
    }

    // MARK: Records

    /// Record `id` of `organization`; 404 for a record of another organization.
    public func record(_ id: SourceID, by organization: OrganizationID) async throws -> StoredRecord {
        guard let record = try await store.record(id: id), record.organization == organization else {
            throw ShareTokenFailure.notFound(id.kind.resourceType)
        }
        return record
    }

    /// Marks inquiry `id` of `organization` completed and raises `inquiry.completed`, which may
    /// start workflows.
    public func completeInquiry(_ id: SourceID, by organization: OrganizationID) async throws -> StoredRecord {
        guard id.kind == .inquiry else { throw ShareTokenFailure.notFound("inquiry") }
        var record = try await self.record(id, by: organization)
        let now = clock.now()
        record.attributes["status"] = .string("completed")
        record.attributes["completed-at"] = .string(Timestamp(now).description)
        let eventID = Self.newEventID()
        let resource = RecordEventResource(
            id: eventID,
            attributes: .init(name: .inquiryCompleted, createdAt: Timestamp(now), payload: JSONAPIDocumentOf(data: RecordResource(record))))
        let event = try storedEvent(id: eventID, name: .inquiryCompleted, organization: organization, resource: resource, at: now, depth: 0)
        try await store.saveRecord(record, events: [event])
        await eventsStored([EmittedEvent(event: event, subject: .record(id))], depth: 0)
        return record
    }

    // MARK: Events and workflow runs

    /// A page of `organization`'s events, newest first, and the cursor of the next page.
    public func events(of organization: OrganizationID, after: EventID?, limit: Int) async throws -> (events: [StoredEvent], next: EventID?) {
        if let after {
            guard let cursor = try await store.event(id: after), cursor.organization == organization else {
                throw ShareTokenFailure.invalidParameter("page[after]", "page[after] is not an event of this listing")
            }
        }
        let found = try await store.events(of: organization, after: after, limit: limit + 1)
        let page = Array(found.prefix(limit))
        return (page, found.count > limit ? page.last?.id : nil)
    }

    /// A page of `organization`'s workflow runs, newest first, and the cursor of the next page.
    public func workflowRuns(of organization: OrganizationID, after: WorkflowRunID?, limit: Int) async throws
        -> (runs: [StoredWorkflowRun], next: WorkflowRunID?)
    {
        // An unknown cursor gives an empty page.
        let found = try await store.workflowRuns(of: organization, after: after, limit: limit + 1)
        let page = Array(found.prefix(limit))
        return (page, found.count > limit ? page.last?.id : nil)
    }

    // MARK: State changes

    /// An event just stored, and what it is about (for workflows).
    struct EmittedEvent: Sendable {
        enum Subject: Sendable {
            case shareToken(StoredShareToken)
            case record(SourceID)
            /// The share token or record an event recovered from the store is about no longer exists.
            case gone
        }

        var event: StoredEvent
        var subject: Subject
    }

    /// A new share token of `organization` and its events (raised at workflow `depth`), checked
    /// against the stored connection and record; the caller stores them.
    func newToken(
        _ attributes: ShareTokenCreateAttributes, by organization: OrganizationID, creator: JSONAPIResourceIdentifier, depth: Int
    ) async throws -> (StoredShareToken, [EmittedEvent]) {
        let connectionPointer = ShareTokenFailure.pointer("connection-id")
        guard let connection = try await store.connection(id: attributes.connectionID), connection.sourceOrganization == organization else {
            throw ShareTokenFailure.invalidAttribute(connectionPointer, "no connection with this id has your organization as its source")
        }
        guard connection.status == .active else {
            // https://docs.withpersona.com/managing-connections: share tokens cannot be issued while
            // the connection is pending or inactive.
            throw ShareTokenFailure.connectionNotActive(connection.status, pointer: connectionPointer)
        }
        guard let record = try await store.record(id: attributes.sourceID), record.organization == organization else {
            throw ShareTokenFailure.invalidAttribute(
                ShareTokenFailure.pointer("source-id"),
                "no inquiry, transaction, account or verification with this id belongs to your organization")
        }
        let ttl: ShareTokenTTL
        do {
            ttl = try attributes.ttl()
        } catch {
            throw ShareTokenFailure.invalidAttribute(ShareTokenFailure.pointer("expires-in-seconds"), error.description)
        }
        let now = clock.now()
        let token = StoredShareToken(
            id: ShareTokenID(validated: "cnst_" + RandomToken.alphanumeric(length: 24)), connectionID: connection.id,
            sourceOrganization: connection.sourceOrganization, destinationOrganization: connection.destinationOrganization,
            sourceID: record.id, creator: creator,
            lifecycle: ShareTokenLifecycle(createdAt: now, expiresAt: now.addingTimeInterval(TimeInterval(ttl.seconds))))
        let events = try [
            shareTokenEvent(.outboundCreated, token, at: now, depth: depth),
            shareTokenEvent(.inboundCreated, token, at: now, depth: depth),
        ]
        return (token, events)
    }

    func logTokenCreated(_ token: StoredShareToken) {
        logger.debug(
            "share token created",
            metadata: [
                "share_token.id": "\(token.id)", "connection.id": "\(token.connectionID)", "organization.id": "\(token.sourceOrganization)",
            ])
    }

    /// Share token `id` moved to `pending` for `organization`, checked against the stored token,
    /// connection and records; the caller stores it (expecting `created`) and then schedules
    /// the end of the redemption (`scheduleFinish(of:depth:)`).
    func redemption(of id: ShareTokenID, _ attributes: ShareTokenRedeemAttributes, by organization: OrganizationID) async throws
        -> StoredShareToken
    {
        guard let token = try await store.shareToken(id: id), token.destinationOrganization == organization else {
            throw ShareTokenFailure.notRedeemableByYou
        }
        let now = clock.now()
        var pending = token
        do {
            pending.lifecycle = try token.lifecycle.applying(.beginRedemption, at: now)
        } catch {
            throw ShareTokenFailure.refusedRedemption(error)
        }
        guard let connection = try await store.connection(id: token.connectionID), connection.status == .active else {
            let status = try await store.connection(id: token.connectionID)?.status ?? .inactive
            throw ShareTokenFailure.connectionNotActive(status, pointer: nil)
        }
        guard let source = try await store.record(id: token.sourceID) else {
            throw ShareTokenFailure(status: 409, title: "Source record missing", detail: "the shared record no longer exists")
        }
        let kind = source.id.kind
        let pointer = ShareTokenFailure.pointer("destination-id")
        if let wanted = attributes.destinationID {
            // Hydrate mode (https://docs.withpersona.com/api-reference/connect/share-tokens/redeem-share-token).
            guard kind.canBeHydrated else {
                throw ShareTokenFailure.invalidAttribute(
                    pointer, "a \(kind.resourceType) share token can only be cloned: leave destination-id out")
            }
            guard wanted.kind == kind else {
                throw ShareTokenFailure.invalidAttribute(pointer, "destination-id must name a record of the shared kind (\(kind.rawValue)…)")
            }
            if let existing = try await store.record(id: wanted), existing.organization != organization {
                throw ShareTokenFailure.invalidAttribute(pointer, "destination-id is not available to your organization")
            }
            pending.destinationID = wanted
        } else {
            // Clone mode: a new record of the shared kind.
            pending.destinationID = SourceID(validated: kind.rawValue + RandomToken.alphanumeric(length: 24))
        }
        return pending
    }

    /// Finishes the redemption `pending` started, stored just now, after ``redemptionDelay``;
    /// its events (and the workflows they start, at `depth`) follow the import.
    func scheduleFinish(of pending: StoredShareToken, depth: Int) {
        logger.debug(
            "share token redemption started",
            metadata: ["share_token.id": "\(pending.id)", "organization.id": "\(pending.destinationOrganization)"])
        let delay = redemptionDelay
        Task {
            try? await Task.sleep(for: delay)
            await finishRedemption(pending.id, depth: depth)
        }
    }

    /// Finishes the redemption of share token `id` if it is still pending: writes the destination
    /// record and moves the token to `redeemed` with its events, or to `failed` with a reason
    /// (the connection was deactivated meanwhile, the source record is gone, or another
    /// organization took the destination id). Never throws; a store failure is logged and the
    /// token stays pending until the next start.
    func finishRedemption(_ id: ShareTokenID, depth: Int) async {
        do {
            guard let token = try await store.shareToken(id: id), token.status == .pending, let destinationID = token.destinationID else {
                return
            }
            let now = clock.now()
            var failure: String?
            var copy: StoredRecord?
            if try await store.connection(id: token.connectionID)?.status != .active {
                failure = "the connection is no longer active"
            } else if let source = try await store.record(id: token.sourceID) {
                copy = StoredRecord(
                    id: destinationID, organization: token.destinationOrganization, attributes: source.attributes, createdAt: now,
                    sharedFrom: token.id)
            } else {
                failure = "the shared record no longer exists"
            }
            if let copy {
                var redeemed = token
                redeemed.lifecycle = try token.lifecycle.applying(.finishRedemption, at: now)
                let events = try [
                    shareTokenEvent(.outboundRedeemed, redeemed, at: now, depth: depth),
                    shareTokenEvent(.inboundRedeemed, redeemed, at: now, depth: depth),
                ]
                switch try await store.replaceShareToken(redeemed, expecting: .pending, record: copy, events: events.map(\.event)) {
                case .replaced:
                    logger.debug("share token redeemed", metadata: ["share_token.id": "\(id)"])
                    await eventsStored(events, depth: depth)
                    return
                case .statusChanged:
                    return
                case .recordOwnedByAnotherOrganization:
                    failure = "the destination record belongs to another organization"
                }
            }
            var failed = token
            failed.lifecycle = try token.lifecycle.applying(.fail(reason: failure ?? "the import failed"), at: now)
            _ = try await store.replaceShareToken(failed, expecting: .pending, record: nil, events: [])
            logger.debug("share token redemption failed", metadata: ["share_token.id": "\(id)"])
        } catch {
            logger.error("share token redemption could not be finished", metadata: ["share_token.id": "\(id)", "error.type": "\(type(of: error))"])
        }
    }

    // MARK: Events

    static func newEventID() -> EventID { EventID(validated: "evt_" + RandomToken.alphanumeric(length: 24)) }

    /// The event `name` of `token`, for the organization on the side the name says, raised at
    /// workflow `depth`.
    private func shareTokenEvent(_ name: EventName, _ token: StoredShareToken, at now: Date, depth: Int) throws -> EmittedEvent {
        let outbound = name == .outboundCreated || name == .outboundRedeemed
        let organization = outbound ? token.sourceOrganization : token.destinationOrganization
        let id = Self.newEventID()
        let resource = ShareTokenEvent(
            id: id, name: name, createdAt: Timestamp(now), shareToken: token.view(outbound ? .outbound : .inbound, at: now))
        return EmittedEvent(
            event: try storedEvent(id: id, name: name, organization: organization, resource: resource, at: now, depth: depth),
            subject: .shareToken(token))
    }

    /// The event to store, with its webhook delivery pending when the organization has a
    /// webhook, and its workflows pending, claimed by this process, when it triggers any.
    private func storedEvent(
        id: EventID, name: EventName, organization: OrganizationID, resource: some Encodable, at now: Date, depth: Int
    ) throws -> StoredEvent {
        let wantsDelivery = directory.organizations[organization]?.webhookURL != nil
        let triggers = !directory.workflows(of: organization, triggeredBy: name).isEmpty
        return StoredEvent(
            id: id, organization: organization, name: name, createdAt: now, resource: try WireJSON.encode(resource),
            delivery: wantsDelivery ? .init(state: .pending, nextAttemptAt: now) : .init(state: .notRequested),
            pendingWorkflows: triggers ? .init(depth: depth, claimedUntil: workflowClaimEnd(from: wallClock.now())) : nil)
    }
}

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
public struct ShareTokenAuthority: Sendable {
    let store: any ShareTokenStore
    let directory: ShareTokenDirectory
    let clock: SandboxClock
    let logger: Logger

    /// How deep a chain of workflows may go (a workflow's action raising events that start
    /// further workflows) before the next run is recorded as failed instead of run.
    static let maximumWorkflowDepth = 8

    public init(store: any ShareTokenStore, directory: ShareTokenDirectory, clock: SandboxClock, logger: Logger) {
        self.store = store
        self.directory = directory
        self.clock = clock
        self.logger = logger
    }

    /// Stores the directory's seed records that are not stored yet.
    public func seed() async throws {
        try await store.seedRecords(directory.records)
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
        let (token, events) = try await createToken(attributes, by: organization)
        await runWorkflows(after: events, depth: 0)
        return token.view(.outbound, at: token.createdAt)
    }

    /// Redeems share token `id` for the destination organization `organization`, copying the
    /// source record into `attributes.destinationID` (created when absent).
    public func redeem(_ id: ShareTokenID, _ attributes: ShareTokenRedeemAttributes, by organization: OrganizationID) async throws
        -> ShareToken
    {
        let (token, events) = try await redeemToken(id, attributes, by: organization)
        await runWorkflows(after: events, depth: 0)
        return token.view(.inbound, at: clock.now())
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
    /// changes nothing; a redeemed one cannot be expired.
    public func expire(_ id: ShareTokenID, by organization: OrganizationID) async throws -> ShareToken {
        guard let token = try await store.shareToken(id: id), let direction = token.direction(for: organization) else {
            throw ShareTokenFailure.notFound("share token")
        }
        guard direction == .outbound else {
            throw ShareTokenFailure(
                status: 403, title: "Forbidden", detail: "only the source organization of a share token can expire it")
        }
        let now = clock.now()
        switch token.status(at: now) {
        case .expired:
            return token.view(.outbound, at: now)
        case .redeemed, .failed:
            throw ShareTokenFailure(
                status: 409, title: "Share token already used", detail: "the share token is \(token.status) and can no longer be expired")
        case .created, .pending:
            var expired = token
            expired.status = .expired
            expired.expiresAt = now
            guard try await store.replaceShareToken(expired, expecting: token.status, record: nil, events: []) == .replaced else {
                return try await self.expire(id, by: organization)
            }
            return expired.view(.outbound, at: now)
        }
    }

    // MARK: Records

    /// Record `id` of `organization`; 404 for a record of another organization.
    public func record(_ id: SourceID, by organization: OrganizationID) async throws -> StoredRecord {
        guard let record = try await store.record(id: id), record.organization == organization else {
            throw ShareTokenFailure.notFound(RecordResource.resourceType(of: id.kind))
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
        let event = try storedEvent(id: eventID, name: .inquiryCompleted, organization: organization, resource: resource, at: now)
        try await store.saveRecord(record, events: [event])
        await runWorkflows(after: [EmittedEvent(event: event, subject: .record(id))], depth: 0)
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
        }

        var event: StoredEvent
        var subject: Subject
    }

    private func createToken(_ attributes: ShareTokenCreateAttributes, by organization: OrganizationID) async throws
        -> (StoredShareToken, [EmittedEvent])
    {
        guard let connection = directory.connections[attributes.connectionID], connection.source == organization else {
            throw ShareTokenFailure.invalidAttribute(
                ShareTokenFailure.pointer("connection-id"), "no connection with this id has your organization as its source")
        }
        guard let record = try await store.record(id: attributes.sourceID), record.organization == organization else {
            throw ShareTokenFailure.invalidAttribute(
                ShareTokenFailure.pointer("source-id"), "no inquiry, transaction or account with this id belongs to your organization")
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
            sourceOrganization: connection.source, destinationOrganization: connection.destination, sourceID: record.id,
            status: .created, createdAt: now, expiresAt: now.addingTimeInterval(TimeInterval(ttl.seconds)))
        let events = try [
            shareTokenEvent(.outboundCreated, token, at: now),
            shareTokenEvent(.inboundCreated, token, at: now),
        ]
        try await store.insertShareToken(token, events: events.map(\.event))
        logger.debug(
            "share token created",
            metadata: ["share_token.id": "\(token.id)", "connection.id": "\(connection.id)", "organization.id": "\(organization)"])
        return (token, events)
    }

    private func redeemToken(_ id: ShareTokenID, _ attributes: ShareTokenRedeemAttributes, by organization: OrganizationID) async throws
        -> (StoredShareToken, [EmittedEvent])
    {
        // Anyone but the destination gets the answer of an unknown id: existence does not leak.
        guard let token = try await store.shareToken(id: id), token.destinationOrganization == organization else {
            throw ShareTokenFailure.notFound("share token")
        }
        let now = clock.now()
        switch token.status(at: now) {
        case .created:
            break
        case .expired:
            throw ShareTokenFailure(status: 410, title: "Share token expired", detail: "the share token expired at \(Timestamp(token.expiresAt))")
        case .redeemed, .pending:
            throw ShareTokenFailure(status: 409, title: "Share token already redeemed", detail: "a share token can be redeemed only once")
        case .failed:
            throw ShareTokenFailure(status: 409, title: "Share token failed", detail: "the share token's redemption failed; it cannot be used")
        }
        guard let source = try await store.record(id: token.sourceID) else {
            throw ShareTokenFailure(status: 409, title: "Source record missing", detail: "the shared record no longer exists")
        }
        let destinationID: SourceID
        if let wanted = attributes.destinationID {
            let pointer = ShareTokenFailure.pointer("destination-id")
            guard wanted.kind == source.id.kind else {
                throw ShareTokenFailure.invalidAttribute(
                    pointer, "destination-id must name a record of the shared kind (\(source.id.kind.rawValue)…)")
            }
            if let existing = try await store.record(id: wanted), existing.organization != organization {
                throw ShareTokenFailure.invalidAttribute(pointer, "destination-id is not available to your organization")
            }
            destinationID = wanted
        } else {
            destinationID = SourceID(validated: source.id.kind.rawValue + RandomToken.alphanumeric(length: 24))
        }
        let copy = StoredRecord(
            id: destinationID, organization: organization, attributes: source.attributes, createdAt: now, sharedFrom: token.id)
        var redeemed = token
        redeemed.status = .redeemed
        redeemed.destinationID = destinationID
        redeemed.redeemedAt = now
        let events = try [
            shareTokenEvent(.outboundRedeemed, redeemed, at: now),
            shareTokenEvent(.inboundRedeemed, redeemed, at: now),
        ]
        switch try await store.replaceShareToken(redeemed, expecting: .created, record: copy, events: events.map(\.event)) {
        case .replaced:
            break
        case .statusChanged:
            // Another redemption (or an expiry) won the race.
            throw ShareTokenFailure(status: 409, title: "Share token already redeemed", detail: "a share token can be redeemed only once")
        case .recordOwnedByAnotherOrganization:
            // Another organization created the record after the check above.
            throw ShareTokenFailure.invalidAttribute(
                ShareTokenFailure.pointer("destination-id"), "destination-id is not available to your organization")
        }
        logger.debug("share token redeemed", metadata: ["share_token.id": "\(token.id)", "organization.id": "\(organization)"])
        return (redeemed, events)
    }

    // MARK: Events

    static func newEventID() -> EventID { EventID(validated: "evt_" + RandomToken.alphanumeric(length: 24)) }

    /// The event `name` of `token`, for the organization on the side the name says.
    private func shareTokenEvent(_ name: EventName, _ token: StoredShareToken, at now: Date) throws -> EmittedEvent {
        let outbound = name == .outboundCreated || name == .outboundRedeemed
        let organization = outbound ? token.sourceOrganization : token.destinationOrganization
        let id = Self.newEventID()
        let resource = ShareTokenEvent(
            id: id, name: name, createdAt: Timestamp(now), shareToken: token.view(outbound ? .outbound : .inbound, at: now))
        return EmittedEvent(
            event: try storedEvent(id: id, name: name, organization: organization, resource: resource, at: now), subject: .shareToken(token))
    }

    private func storedEvent(id: EventID, name: EventName, organization: OrganizationID, resource: some Encodable, at now: Date) throws
        -> StoredEvent
    {
        let wantsDelivery = directory.organizations[organization]?.webhookURL != nil
        return StoredEvent(
            id: id, organization: organization, name: name, createdAt: now, resource: try WireJSON.encode(resource),
            delivery: wantsDelivery ? .init(state: .pending, nextAttemptAt: now) : .init(state: .notRequested))
    }

    // MARK: Workflows

    /// Runs the workflows `events` trigger, recording every run. Never throws: a failing action
    /// is a failed run, not a failure of the call that raised the event.
    private func runWorkflows(after events: [EmittedEvent], depth: Int) async {
        for emitted in events {
            for rule in directory.workflows(of: emitted.event.organization, triggeredBy: emitted.event.name) {
                var run = StoredWorkflowRun(
                    id: WorkflowRunID(validated: "wfr_" + RandomToken.alphanumeric(length: 24)),
                    organization: emitted.event.organization, workflowID: rule.id, triggerEventID: emitted.event.id,
                    triggerName: emitted.event.name, outcome: .succeeded, createdAt: clock.now())
                var raised: [EmittedEvent] = []
                do {
                    guard depth < Self.maximumWorkflowDepth else {
                        throw ShareTokenFailure(
                            status: 508, title: "Workflow chain too deep",
                            detail: "more than \(Self.maximumWorkflowDepth) workflows in a row were triggered by one another")
                    }
                    let (token, events) = try await perform(rule.action, on: emitted, as: emitted.event.organization)
                    run.shareTokenID = token.id
                    raised = events
                } catch let failure as ShareTokenFailure {
                    run.outcome = .failed
                    run.error = failure.title + ": " + failure.detail
                } catch {
                    run.outcome = .failed
                    run.error = "the action could not be stored"
                    logger.error("workflow action failed", metadata: ["workflow.id": "\(rule.id)", "error.type": "\(type(of: error))"])
                }
                do {
                    try await store.insertWorkflowRun(run)
                } catch {
                    logger.error("workflow run could not be recorded", metadata: ["workflow.id": "\(rule.id)", "error.type": "\(type(of: error))"])
                }
                await runWorkflows(after: raised, depth: depth + 1)
            }
        }
    }

    private func perform(_ action: WorkflowRule.Action, on trigger: EmittedEvent, as organization: OrganizationID) async throws
        -> (StoredShareToken, [EmittedEvent])
    {
        switch action {
        case .createShareToken(let connection, let expiresInSeconds):
            let sourceID: SourceID? =
                switch trigger.subject {
                case .record(let id): id
                case .shareToken(let token): token.destinationID
                }
            guard let sourceID else {
                throw ShareTokenFailure(status: 422, title: "No record", detail: "the trigger carries no record to share")
            }
            guard let connectionID = ConnectionID(rawValue: connection) else {
                throw ShareTokenFailure.invalidAttribute(ShareTokenFailure.pointer("connection-id"), "connection-id must start with \"conn_\"")
            }
            var attributes = ShareTokenCreateAttributes(connectionID: connectionID, sourceID: sourceID)
            attributes.expiresInSeconds = expiresInSeconds
            return try await createToken(attributes, by: organization)
        case .redeemShareToken(let destination):
            guard case .shareToken(let token) = trigger.subject else {
                throw ShareTokenFailure(status: 422, title: "No share token", detail: "the trigger carries no share token to redeem")
            }
            var attributes = ShareTokenRedeemAttributes()
            if let destination {
                guard let id = SourceID(rawValue: destination) else {
                    throw ShareTokenFailure.invalidAttribute(ShareTokenFailure.pointer("destination-id"), "destination-id is not a record id")
                }
                attributes.destinationID = id
            }
            return try await redeemToken(token.id, attributes, by: organization)
        }
    }
}

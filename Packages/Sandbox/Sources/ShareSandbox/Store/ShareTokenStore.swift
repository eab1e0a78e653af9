import Foundation
import ShareModels

/// Where share tokens, records, events (with their pending webhook deliveries and workflows) and
/// workflow runs live: the same store as the OAuth state (``SandboxStore`` refines this protocol), in memory or
/// in the SQLite file of `--data`.
///
/// Each call is atomic and durable before it returns. Listings are newest first.
public protocol ShareTokenStore: Sendable {
    // MARK: Records

    /// The record `id`, or `nil`.
    func record(id: SourceID) async throws -> StoredRecord?
    /// Stores each record that is not stored yet; existing ones (a restart) are kept as they are.
    func seedRecords(_ records: [StoredRecord]) async throws
    /// Adds or replaces `record`, and stores `events`, all or none.
    func saveRecord(_ record: StoredRecord, events: [StoredEvent]) async throws

    // MARK: Share tokens

    /// Stores a new share token and its events, all or none.
    func insertShareToken(_ token: StoredShareToken, events: [StoredEvent]) async throws
    /// The share token `id`, or `nil`.
    func shareToken(id: ShareTokenID) async throws -> StoredShareToken?
    /// The share tokens `organization` sees that match `query` at `now`, newest first.
    func shareTokens(visibleTo organization: OrganizationID, matching query: ShareTokenQuery, at now: Date) async throws
        -> [StoredShareToken]
    /// Replaces the share token with `token.id`, provided its stored status is still `expected`,
    /// and with it stores `record` (when given) and `events`, all or none. `record` is inserted,
    /// or replaces a stored record of the same organization; a stored record with its id that
    /// belongs to another organization is never overwritten. Both conditions are checked in the
    /// same atomic step as the writes.
    func replaceShareToken(
        _ token: StoredShareToken, expecting expected: ShareTokenStatus, record: StoredRecord?, events: [StoredEvent]
    ) async throws -> ShareTokenReplacement

    /// The share tokens whose redemption is under way (`pending`), oldest first: a restart
    /// finishes them.
    func pendingShareTokens() async throws -> [StoredShareToken]

    // MARK: Connections

    /// Stores each connection that is not stored yet; existing ones (a restart) keep their status.
    func seedConnections(_ connections: [StoredConnection]) async throws
    /// Stores a new connection.
    func insertConnection(_ connection: StoredConnection) async throws
    /// The connection `id`, or `nil`.
    func connection(id: ConnectionID) async throws -> StoredConnection?
    /// The connections `organization` is a side of, newest first, after the connection `after`
    /// when given.
    func connections(of organization: OrganizationID, after: ConnectionID?, limit: Int) async throws -> [StoredConnection]
    /// Replaces the connection with `connection.id`, provided its stored status is still
    /// `expected`, atomically; `false` when it changed meanwhile.
    func replaceConnection(_ connection: StoredConnection, expecting expected: ConnectConnectionStatus) async throws -> Bool

    // MARK: Events

    /// The events of `organization`, newest first, after the event `after` when given.
    func events(of organization: OrganizationID, after: EventID?, limit: Int) async throws -> [StoredEvent]
    /// The event `id`, or `nil`.
    func event(id: EventID) async throws -> StoredEvent?
    /// Events whose delivery is pending and due at `now`, oldest first.
    func dueDeliveries(at now: Date, limit: Int) async throws -> [StoredEvent]
    /// Claims the pending delivery of event `id` for one attempt, when it is still due at `now`
    /// and no other claim on it runs until after `now`; the claim holds until `leaseEnd`, or
    /// until ``updateDelivery(of:to:)`` records the attempt. `false` when another process sharing
    /// the store claimed it first, or the attempt was recorded meanwhile.
    ///
    /// A store that one process owns answers `true` (the default implementation): the delivery
    /// loop never attempts one event twice at once. A store several processes share claims
    /// atomically, so that each event is attempted by one of them at a time; a claim left by a
    /// process that stopped mid-attempt lapses at `leaseEnd`.
    func claimDelivery(of id: EventID, at now: Date, until leaseEnd: Date) async throws -> Bool
    /// Records the progress of the delivery of event `id`.
    func updateDelivery(of id: EventID, to delivery: StoredEvent.Delivery) async throws

    // MARK: Workflows

    /// Events whose workflows are pending (``StoredEvent/pendingWorkflows``) and that no claim
    /// holds at `now` (wall time), oldest first: the workflows a process that stopped left unrun.
    func eventsWithPendingWorkflows(claimableAt now: Date, limit: Int) async throws -> [StoredEvent]
    /// Claims the pending workflows of event `id` until `leaseEnd` (wall time), when they are
    /// still pending and no claim on them runs past `now`. `false` when another process (or
    /// another task) claimed them first, or they have all run meanwhile. Atomic on every store,
    /// so that of processes recovering one event together, one runs its workflows.
    func claimWorkflows(of id: EventID, at now: Date, until leaseEnd: Date) async throws -> Bool
    /// Clears the pending mark of event `id`: every workflow it triggers has run.
    func finishWorkflows(of id: EventID) async throws

    // MARK: Workflow runs

    /// Stores `run` and, when given, its `action`, all or none. A run of the same workflow for
    /// the same trigger event (``StoredWorkflowRun/workflowID``,
    /// ``StoredWorkflowRun/triggerEventID``) is stored at most once: a second one answers
    /// ``WorkflowRunRecording/alreadyRan`` and stores nothing, its action included, even when
    /// both are recorded at once from different processes.
    func recordWorkflowRun(_ run: StoredWorkflowRun, action: WorkflowRunAction?) async throws -> WorkflowRunRecording
    /// The workflow runs of `organization`, newest first, after the run `after` when given.
    func workflowRuns(of organization: OrganizationID, after: WorkflowRunID?, limit: Int) async throws -> [StoredWorkflowRun]
}

extension ShareTokenStore {
    /// `true`: the store belongs to one process, whose delivery loop attempts an event once at a time.
    public func claimDelivery(of id: EventID, at now: Date, until leaseEnd: Date) async throws -> Bool { true }
}

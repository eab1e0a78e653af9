/// The share-token half of a ``SandboxStore``: tokens, records, and events with their webhook
/// deliveries. Each call is atomic; each write is durable before it returns. A token and the
/// events it raises are written together, so no event is lost and none exists without its cause.
public protocol ShareTokenStore: Sendable {
    /// Stores `record` unless a record with its id exists.
    func insertRecordIfAbsent(_ record: StoredRecord) async throws
    /// The record with `id`, or `nil`.
    func record(id: String) async throws -> StoredRecord?

    /// Stores a new share token and the events its creation raises.
    func insertShareToken(_ token: StoredShareToken, events: [StoredEvent]) async throws
    /// The share token with `id`, or `nil`.
    func shareToken(id: String) async throws -> StoredShareToken?
    /// One page of share tokens matching `query`, in creation order.
    func shareTokens(_ query: ShareTokenQuery) async throws -> [StoredShareToken]

    /// Redeems token `id` if it is `created` and unexpired at `now`: writes `destination`
    /// (replacing a record of the same id and owner), marks the token `redeemed` with
    /// `destination.id`, and stores the events `makeEvents` builds from the redeemed token.
    func redeemShareToken(
        id: String, destination: StoredRecord, at now: Int, makeEvents: @Sendable (StoredShareToken) -> [StoredEvent]
    ) async throws -> ShareTokenTransition
    /// Marks token `id` `expired` if it is `created` (expired or not yet).
    func expireShareToken(id: String, at now: Int) async throws -> ShareTokenTransition

    /// One page of `organization`'s events, in creation order, after the event `after`.
    func events(organization: String, after: String?, limit: Int) async throws -> [StoredEvent]
    /// Pending deliveries due at `now`, oldest first.
    func dueDeliveries(at now: Int, limit: Int) async throws -> [StoredEvent]
    /// Records the outcome of a delivery attempt of event `id`.
    func recordDeliveryAttempt(eventID: String, delivery: StoredEvent.Delivery, attempts: Int, nextAttemptAt: Int) async throws
}

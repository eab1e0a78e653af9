/// The state of the control plane a store keeps (``SandboxStore`` refines this protocol): the
/// offset of the sandbox's clock (``SandboxTimeline``), so that with `--data` a restart keeps the
/// time a test moved to, and the erasure behind `POST /sandbox/reset`.
public protocol SandboxControlStore: Sendable {
    /// The stored clock offset in seconds, `0` when none was stored.
    func clockOffset() async throws -> Int
    /// Stores the clock offset.
    func saveClockOffset(_ seconds: Int) async throws
    /// Removes everything stored: clients, users, tokens, records, connections, share tokens,
    /// events with their deliveries, workflow runs, saved idempotent answers and the clock
    /// offset. The sandbox seeds its configured state again afterwards.
    func eraseAll() async throws
}

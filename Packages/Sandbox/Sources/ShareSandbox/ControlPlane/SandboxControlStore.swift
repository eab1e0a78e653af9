/// The state of the control plane a store keeps (``SandboxStore`` refines this protocol): the
/// sandbox's clock (``SandboxClockSetting``), so that with `--data` a restart keeps the time a
/// test moved to, the faults in force (``SandboxFault``), and the erasure behind
/// `POST /sandbox/reset`.
///
/// A store shared by several sandboxes (PostgreSQL) is what makes them one sandbox: each change
/// is atomic in the store, and ``watchControlChanges(_:)`` tells every sandbox when to read the
/// state again. The running sandbox keeps a copy of the clock (``SandboxTimeline``) and of the
/// faults (``SandboxFaultTable``) that it refreshes then, so that reading the time or checking a
/// request no fault matches costs no store call. Stores used by one process keep the faults in
/// that process's memory.
public protocol SandboxControlStore: Sendable {
    // MARK: Clock

    /// The stored clock; ``SandboxClockSetting/start`` when it never changed.
    func clockSetting() async throws -> SandboxClockSetting
    /// Atomically moves the stored clock `seconds` (positive) further ahead, with a new version,
    /// and returns the result; `nil`, changing nothing, when the offset would pass
    /// `maximumOffset`. Concurrent advances all count, wherever they run: the offset never goes
    /// backwards.
    func advanceClock(by seconds: Int, maximumOffset: Int) async throws -> SandboxClockSetting?
    /// Puts the stored clock back on the configured clock (offset 0), with a new version.
    func resetClock() async throws -> SandboxClockSetting

    // MARK: Faults

    /// The faults in force, oldest first.
    func faults() async throws -> [SandboxFault]
    /// Adds `fault` after the others, unless `maximumCount` faults are in force already (`false`).
    func addFault(_ fault: SandboxFault, maximumCount: Int) async throws -> Bool
    /// Removes the fault `id` and returns it; `nil` when none is in force.
    func removeFault(id: String) async throws -> SandboxFault?
    /// Removes every fault; returns how many were in force.
    func removeAllFaults() async throws -> Int
    /// Atomically counts the fault `id` down by one, removing it when none is left, and returns
    /// it as it is after (``SandboxFault/remaining``); `nil` when it is not in force (removed, or
    /// run out). However many sandboxes share the store, a fault created for `times` requests is
    /// counted down exactly `times` times.
    func countDownFault(id: String) async throws -> SandboxFault?

    // MARK: Sharing

    /// Runs until the task is cancelled, calling `changed` whenever another sandbox sharing the
    /// store may have changed the clock or the faults, and each time the watch (re)starts, so
    /// that a change made while it was not watching is read too. A store that only one process
    /// uses returns at once.
    func watchControlChanges(_ changed: @escaping @Sendable () async -> Void) async throws

    /// Removes everything stored: clients, users, tokens, records, connections, share tokens,
    /// events with their deliveries, workflow runs, saved idempotent answers and faults, and
    /// puts the clock back on the configured clock (with a new version). The sandbox seeds its
    /// configured state again afterwards.
    func eraseAll() async throws
}

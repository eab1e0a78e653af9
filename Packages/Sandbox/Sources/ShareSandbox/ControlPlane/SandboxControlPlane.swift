import NIOConcurrencyHelpers

/// The state of the sandbox's control plane (the `/sandbox/` endpoints): the sandbox's time
/// (``SandboxTimeline``) and the faults in force, both kept by the store
/// (``SandboxControlStore``).
///
/// The store holds the truth; this process keeps a copy of each — the timeline and a snapshot
/// of the faults (``SandboxFaultTable``) — which its own changes update at once and
/// ``refresh()`` reads again from the store (the sandbox calls it whenever the store reports a
/// change another sandbox made, see ``SandboxControlStore/watchControlChanges(_:)``). Rules read
/// the time from the timeline, and a request that no fault of the snapshot matches runs without
/// a store call; a matching one is counted down in the store, so that a fault applies exactly
/// ``SandboxFault/times`` times however many sandboxes share it.
public final class SandboxControlPlane: Sendable {
    /// The sandbox's time.
    public let timeline: SandboxTimeline
    let store: any SandboxControlStore
    private let snapshot = NIOLockedValueBox(SandboxFaultTable())
    /// Runs clock changes, fault changes, refreshes and resets one at a time.
    let serializer = ControlPlaneSerializer()

    /// A control plane over `store`, starting from `timeline` and no fault; ``refresh()`` reads
    /// the stored state.
    public init(timeline: SandboxTimeline, store: any SandboxControlStore) {
        self.timeline = timeline
        self.store = store
    }

    // MARK: Refresh

    /// Reads the stored clock and faults again and follows them. Returns whether the clock
    /// changed.
    @discardableResult
    public func refresh() async throws -> Bool {
        try await serializer.run { try await load() }
    }

    /// ``refresh()`` for callers already running in ``serializer``.
    @discardableResult
    func load() async throws -> Bool {
        let setting = try await store.clockSetting()
        let faults = try await store.faults()
        snapshot.withLockedValue { $0 = SandboxFaultTable(faults: faults) }
        return timeline.apply(setting)
    }

    // MARK: Clock

    /// The stored clock, followed by the timeline: what `GET /sandbox/clock` answers.
    func readClock() async throws {
        timeline.apply(try await store.clockSetting())
    }

    /// Moves the stored clock forward by `seconds` and follows it; `nil`, changing nothing,
    /// when `seconds` is not positive or the offset would pass ``SandboxTimeline/maximumOffsetSeconds``.
    func advanceClock(by seconds: Int) async throws -> SandboxClockSetting? {
        guard seconds > 0 else { return nil }
        guard let setting = try await store.advanceClock(by: seconds, maximumOffset: SandboxTimeline.maximumOffsetSeconds) else {
            return nil
        }
        timeline.apply(setting)
        return setting
    }

    /// Puts the stored clock back on the configured clock and follows it.
    func resetClock() async throws {
        timeline.apply(try await store.resetClock())
    }

    // MARK: Faults

    /// The faults in force, oldest first, as the store has them.
    public func faults() async throws -> [SandboxFault] {
        try await serializer.run {
            let faults = try await store.faults()
            snapshot.withLockedValue { $0 = SandboxFaultTable(faults: faults) }
            return faults
        }
    }

    /// Adds `fault` unless `maximumCount` faults are in force (`false`).
    public func add(_ fault: SandboxFault, maximumCount: Int) async throws -> Bool {
        try await serializer.run {
            guard try await store.addFault(fault, maximumCount: maximumCount) else { return false }
            snapshot.withLockedValue { $0.add(fault) }
            return true
        }
    }

    /// Removes the fault `id` and returns it; `nil` when there is none.
    public func removeFault(id: String) async throws -> SandboxFault? {
        try await serializer.run {
            let removed = try await store.removeFault(id: id)
            _ = snapshot.withLockedValue { $0.remove(id: id) }
            return removed
        }
    }

    /// Removes every fault and returns how many there were.
    @discardableResult
    public func removeAllFaults() async throws -> Int {
        try await serializer.run {
            let removed = try await store.removeAllFaults()
            snapshot.withLockedValue { _ = $0.removeAll() }
            return removed
        }
    }

    /// Whether the snapshot holds any fault: when not, requests skip fault matching entirely.
    var hasFaults: Bool { snapshot.withLockedValue { !$0.faults.isEmpty } }

    /// Whether a fault for `method` and `path` names a client (see ``SandboxFaultTable/needsClientID(method:path:)``).
    func needsClientID(method: String, path: String) -> Bool {
        snapshot.withLockedValue { $0.needsClientID(method: method, path: path) }
    }

    /// The fault the request gets, counted down in the store; `nil` when none applies. The
    /// oldest fault of the snapshot that matches is counted down; one the store no longer has
    /// (run out or removed by another sandbox) leaves the snapshot and the next match is tried.
    func takeFault(method: String, path: String, clientID: String?) async throws -> SandboxFault? {
        while let candidate = snapshot.withLockedValue({ $0.firstMatch(method: method, path: path, clientID: clientID) }) {
            if let taken = try await store.countDownFault(id: candidate.id) {
                snapshot.withLockedValue { $0.settle(taken) }
                return taken
            }
            _ = snapshot.withLockedValue { $0.remove(id: candidate.id) }
        }
        return nil
    }
}

import NIOConcurrencyHelpers

/// The state of the sandbox's control plane (the `/sandbox/` endpoints): the sandbox's time
/// (``SandboxTimeline``) and the faults in force (``SandboxFaultTable``).
public final class SandboxControlPlane: Sendable {
    /// The sandbox's time.
    public let timeline: SandboxTimeline
    private let table = NIOLockedValueBox(SandboxFaultTable())
    /// Runs clock changes and resets one at a time.
    let serializer = ControlPlaneSerializer()

    public init(timeline: SandboxTimeline) { self.timeline = timeline }

    /// The faults in force, oldest first.
    public var faults: [SandboxFault] { table.withLockedValue { $0.faults } }

    /// Adds `fault`.
    public func add(_ fault: SandboxFault) { table.withLockedValue { $0.add(fault) } }

    /// Removes the fault `id` and returns it; `nil` when there is none.
    public func removeFault(id: String) -> SandboxFault? { table.withLockedValue { $0.remove(id: id) } }

    /// Removes every fault and returns how many there were.
    @discardableResult
    public func removeAllFaults() -> Int { table.withLockedValue { $0.removeAll() } }

    /// Whether a fault for `method` and `path` names a client (see ``SandboxFaultTable/needsClientID(method:path:)``).
    func needsClientID(method: String, path: String) -> Bool {
        table.withLockedValue { $0.needsClientID(method: method, path: path) }
    }

    /// The fault the request gets, counted down (see ``SandboxFaultTable/take(method:path:clientID:)``).
    func takeFault(method: String, path: String, clientID: String?) -> SandboxFault? {
        table.withLockedValue { $0.take(method: method, path: path, clientID: clientID) }
    }
}

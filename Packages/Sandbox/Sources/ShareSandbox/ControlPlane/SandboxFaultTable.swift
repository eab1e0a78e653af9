/// The faults in force, oldest first, and their countdown: a pure value, kept behind a lock by
/// ``SandboxControlPlane``.
///
/// A request takes the oldest fault it matches; each take counts one of the fault's ``SandboxFault/times``
/// down, and a fault with none left is removed.
public struct SandboxFaultTable: Hashable, Sendable {
    /// The faults in force, oldest first.
    public private(set) var faults: [SandboxFault] = []

    public init() {}

    /// Adds `fault` after the others.
    public mutating func add(_ fault: SandboxFault) { faults.append(fault) }

    /// Removes the fault `id` and returns it; `nil` when there is none.
    public mutating func remove(id: String) -> SandboxFault? {
        guard let index = faults.firstIndex(where: { $0.id == id }) else { return nil }
        return faults.remove(at: index)
    }

    /// Removes every fault and returns how many there were.
    @discardableResult
    public mutating func removeAll() -> Int {
        defer { faults.removeAll() }
        return faults.count
    }

    /// Whether some fault for `method` and `path` names a client, so that the request's client
    /// must be read before ``take(method:path:clientID:)``.
    public func needsClientID(method: String, path: String) -> Bool {
        faults.contains { $0.clientID != nil && $0.matches(method: method, path: path) }
    }

    /// The oldest fault matching the request, counted down by one (and removed when it reaches
    /// zero); `nil` when none matches. The returned fault's ``SandboxFault/remaining`` is what is
    /// left after this request.
    public mutating func take(method: String, path: String, clientID: String?) -> SandboxFault? {
        guard let index = faults.firstIndex(where: { $0.matches(method: method, path: path, clientID: clientID) }) else { return nil }
        faults[index].remaining -= 1
        let taken = faults[index]
        if taken.remaining <= 0 { faults.remove(at: index) }
        return taken
    }
}

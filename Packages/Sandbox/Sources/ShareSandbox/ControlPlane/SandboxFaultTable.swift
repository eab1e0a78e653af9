/// The faults in force, oldest first, and their countdown: a pure value. Stores used by one
/// process keep the faults in one (``SandboxControlStore``), and ``SandboxControlPlane`` keeps one
/// as its snapshot of the stored faults, so that a request no fault matches costs no store call.
///
/// A request takes the oldest fault it matches; each take counts one of the fault's ``SandboxFault/times``
/// down, and a fault with none left is removed.
public struct SandboxFaultTable: Hashable, Sendable {
    /// The faults in force, oldest first.
    public private(set) var faults: [SandboxFault]

    /// A table of `faults`, oldest first; those with nothing ``SandboxFault/remaining`` are left out.
    public init(faults: [SandboxFault] = []) { self.faults = faults.filter { $0.remaining > 0 } }

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

    /// The oldest fault matching the request, unchanged; `nil` when none matches.
    public func firstMatch(method: String, path: String, clientID: String?) -> SandboxFault? {
        faults.first { $0.matches(method: method, path: path, clientID: clientID) }
    }

    /// Counts the fault `id` down by one (removing it when it reaches zero) and returns it as it
    /// is after; `nil`, changing nothing, when there is no such fault.
    public mutating func countDown(id: String) -> SandboxFault? {
        guard let index = faults.firstIndex(where: { $0.id == id }) else { return nil }
        faults[index].remaining -= 1
        let taken = faults[index]
        if taken.remaining <= 0 { faults.remove(at: index) }
        return taken
    }

    /// Records a countdown done elsewhere (by the store): the fault `taken.id` now has
    /// `taken.remaining` left, and is removed at zero. A fault the table lacks is not added.
    public mutating func settle(_ taken: SandboxFault) {
        guard let index = faults.firstIndex(where: { $0.id == taken.id }) else { return }
        if taken.remaining <= 0 {
            faults.remove(at: index)
        } else {
            faults[index].remaining = taken.remaining
        }
    }

    /// The oldest fault matching the request, counted down by one (and removed when it reaches
    /// zero); `nil` when none matches. The returned fault's ``SandboxFault/remaining`` is what is
    /// left after this request.
    public mutating func take(method: String, path: String, clientID: String?) -> SandboxFault? {
        guard let match = firstMatch(method: method, path: path, clientID: clientID) else { return nil }
        return countDown(id: match.id)
    }
}

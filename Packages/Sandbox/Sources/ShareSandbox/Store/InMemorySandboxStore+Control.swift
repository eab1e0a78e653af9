// The SandboxControlStore half of SandboxStore (which refines it).
extension InMemorySandboxStore {
    public func clockOffset() -> Int { withState { $0.clockOffset } }

    public func saveClockOffset(_ seconds: Int) { withState { $0.clockOffset = seconds } }

    public func eraseAll() { withState { $0 = State() } }
}

// The SandboxControlStore half of SandboxStore (which refines it).
extension InMemorySandboxStore {
    public func clockSetting() -> SandboxClockSetting { withState { $0.clock } }

    public func advanceClock(by seconds: Int, maximumOffset: Int) -> SandboxClockSetting? {
        withState { state in
            guard seconds > 0, seconds <= maximumOffset - state.clock.offsetSeconds else { return nil }
            state.clock = SandboxClockSetting(offsetSeconds: state.clock.offsetSeconds + seconds, version: state.clock.version + 1)
            return state.clock
        }
    }

    public func resetClock() -> SandboxClockSetting {
        withState { state in
            state.clock = SandboxClockSetting(offsetSeconds: 0, version: state.clock.version + 1)
            return state.clock
        }
    }

    public func faults() -> [SandboxFault] { withState { $0.faults.faults } }

    public func addFault(_ fault: SandboxFault, maximumCount: Int) -> Bool {
        withState { state in
            guard state.faults.faults.count < maximumCount else { return false }
            state.faults.add(fault)
            return true
        }
    }

    public func removeFault(id: String) -> SandboxFault? { withState { $0.faults.remove(id: id) } }

    public func removeAllFaults() -> Int { withState { $0.faults.removeAll() } }

    public func countDownFault(id: String) -> SandboxFault? { withState { $0.faults.countDown(id: id) } }

    /// Only this process uses the store: nothing to watch.
    public func watchControlChanges(_ changed: @escaping @Sendable () async -> Void) {}

    public func eraseAll() {
        withState { state in
            let clock = state.clock
            state = State()
            state.clock = SandboxClockSetting(offsetSeconds: 0, version: clock.version + 1)
        }
    }
}

import Foundation

extension SandboxServices {
    /// Moves the sandbox's time forward by `seconds` (stored first, so that with `--data` a
    /// restart keeps it), wakes the webhook delivery loop for the retries now due and the
    /// retention task for the rows now finished long enough, and returns
    /// the new offset; `nil`, changing nothing, when `seconds` is not positive or the offset would
    /// pass ``SandboxTimeline/maximumOffsetSeconds``.
    public func advanceClock(by seconds: Int) async throws -> Int? {
        let offset = try await control.serializer.run { () async throws -> Int? in
            guard let offset = control.timeline.offset(advancedBy: seconds) else { return nil }
            try await store.saveClockOffset(offset)
            control.timeline.setOffset(offset)
            return offset
        }
        if offset != nil {
            webhookDelivery.wake()
            retention?.wake()
        }
        return offset
    }

    /// Sets the sandbox's time back to the configured clock.
    public func resetClock() async throws {
        try await control.serializer.run {
            try await store.saveClockOffset(0)
            control.timeline.setOffset(0)
        }
    }

    /// Brings the sandbox back to its configured start state: the configured (or demo) clients,
    /// organizations, connections and records; every user, issued token, share token, event,
    /// delivery, workflow run and saved idempotent answer gone; no fault; rate-limit windows
    /// forgotten; the clock on the configured time.
    public func resetToStart() async throws {
        try await control.serializer.run {
            control.removeAllFaults()
            try await store.eraseAll()
            try await idempotency.removeAllAnswers()
            control.timeline.setOffset(0)
            rateLimiter.reset()
            for client in configuration.effectiveClients { try await authority.register(client) }
            try await shareTokens.seed()
        }
    }
}

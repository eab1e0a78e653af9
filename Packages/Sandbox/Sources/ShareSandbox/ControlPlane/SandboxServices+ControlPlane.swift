import Foundation

extension SandboxServices {
    /// Moves the sandbox's time forward by `seconds` (in the store, so that every sandbox sharing
    /// it follows, and with `--data` a restart keeps it), wakes the webhook delivery loop for the
    /// retries now due and the retention task for the rows now finished long enough, and returns
    /// the new offset; `nil`, changing nothing, when `seconds` is not positive or the offset
    /// would pass ``SandboxTimeline/maximumOffsetSeconds``.
    public func advanceClock(by seconds: Int) async throws -> Int? {
        guard let setting = try await control.advanceClock(by: seconds) else { return nil }
        webhookDelivery.wake()
        retention?.wake()
        return setting.offsetSeconds
    }

    /// Sets the sandbox's time back to the configured clock.
    public func resetClock() async throws {
        try await control.resetClock()
    }

    /// Reads the control plane's state again from the store (``SandboxControlPlane/refresh()``)
    /// and, when the clock moved, wakes the webhook delivery loop for the retries now due and the
    /// retention task for the rows now finished long enough.
    public func refreshControlPlane() async throws {
        if try await control.refresh() {
            webhookDelivery.wake()
            retention?.wake()
        }
    }

    /// Brings the sandbox back to its configured start state: the configured (or demo) clients,
    /// organizations, connections and records; every user, issued token, share token, event,
    /// delivery, workflow run and saved idempotent answer gone; no fault; rate-limit windows
    /// forgotten; the clock on the configured time. The faults and the clock are the store's,
    /// so every sandbox sharing it is reset too.
    public func resetToStart() async throws {
        try await control.serializer.run {
            try await store.eraseAll()
            try await idempotency.removeAllAnswers()
            try await control.load()
            rateLimiter.reset()
            for client in configuration.effectiveClients { try await authority.register(client) }
            try await shareTokens.seed()
        }
    }
}

/// The answer of `POST /sandbox/reset`: `{"reset": true, "clock": {"now", "offset_seconds"}}`.
struct SandboxResetAnswer: Encodable, Sendable {
    var reset = true
    var clock: SandboxClockAnswer
}

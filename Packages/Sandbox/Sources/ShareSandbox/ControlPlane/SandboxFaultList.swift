/// The answer of `GET /sandbox/faults`: `{"faults": [...]}`, oldest first.
struct SandboxFaultList: Encodable, Sendable {
    var faults: [SandboxFault]
}

/// The answer of `DELETE /sandbox/faults`: `{"removed": N}`, how many faults were in force.
struct SandboxFaultRemoval: Encodable, Sendable {
    var removed: Int
}

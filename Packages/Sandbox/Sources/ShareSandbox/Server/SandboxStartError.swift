/// The sandbox could not start.
public struct SandboxStartError: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { "the sandbox could not start: \(reason)" }
}

/// A configuration the sandbox cannot run with.
public struct SandboxConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

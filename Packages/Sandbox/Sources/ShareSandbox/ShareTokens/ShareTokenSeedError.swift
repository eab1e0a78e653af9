/// The share-token part of a sandbox configuration is inconsistent.
public struct ShareTokenSeedError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

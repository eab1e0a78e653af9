import Crypto

/// The SHA-256 digest of a token: the only form in which the sandbox keeps a token, so a copy
/// of its database reveals nothing that can be presented.
public struct TokenDigest: Hashable, Sendable, CustomStringConvertible {
    /// The 32 digest bytes.
    public let bytes: [UInt8]

    /// The digest of `token`.
    public init(of token: String) { bytes = Array(SHA256.hash(data: Array(token.utf8))) }

    /// A digest read back from storage.
    public init?(bytes: [UInt8]) {
        guard bytes.count == SHA256.byteCount else { return nil }
        self.bytes = bytes
    }

    public var description: String { "TokenDigest(\(bytes.prefix(4).map { String($0, radix: 16) }.joined())…)" }
}

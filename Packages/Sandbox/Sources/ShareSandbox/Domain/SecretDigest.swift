import Crypto

/// A client secret as the sandbox stores it: HMAC-SHA256 keyed with a random per-client salt.
///
/// Secrets are checked on every request, so a deliberately slow hash (scrypt, PBKDF2) would
/// dominate the cost of `/oauth/introspect`; sandbox secrets are random strings rather than
/// passwords, for which a salted HMAC is the customary choice. Verification compares digests in
/// constant time.
public struct SecretDigest: Hashable, Sendable, CustomStringConvertible {
    /// The random key of the HMAC, 16 bytes.
    public let salt: [UInt8]
    /// HMAC-SHA256(salt, secret), 32 bytes.
    public let mac: [UInt8]

    /// Hashes `secret` with a fresh random salt.
    public init(hashing secret: String) {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        self.init(salt: salt, mac: Self.mac(of: secret, salt: salt))
    }

    /// A digest read back from storage.
    public init(salt: [UInt8], mac: [UInt8]) {
        self.salt = salt
        self.mac = mac
    }

    /// Whether `secret` is the secret this digest was made from, compared in constant time.
    public func matches(_ secret: String) -> Bool {
        let candidate = Self.mac(of: secret, salt: salt)
        guard candidate.count == mac.count else { return false }
        var difference: UInt8 = 0
        for index in mac.indices { difference |= candidate[index] ^ mac[index] }
        return difference == 0
    }

    private static func mac(of secret: String, salt: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(secret.utf8), using: SymmetricKey(data: salt)))
    }

    public var description: String { "SecretDigest(<redacted>)" }
}

import NIOConcurrencyHelpers

/// Remembers, per client, the last secret that verified against the client's stored
/// ``SecretDigest``, so that a client presenting the same secret again is checked with one
/// constant-time comparison instead of an HMAC.
///
/// A client sends the same secret on every request, and the HMAC (with its key set-up) was the
/// largest cost of client authentication in `/oauth/introspect` profiles. The cache lives only in
/// this process's memory — the sandbox already holds configured secrets there — and is never
/// stored, logged or printed. An entry counts only while the client's stored digest is the one it
/// was verified against, so re-registering a client with a new secret retires it; one entry per
/// known client bounds its size.
final class VerifiedSecretCache: Sendable {
    private struct Entry {
        var mac: [UInt8]
        var secret: [UInt8]
    }

    private let entries = NIOLockedValueBox<[String: Entry]>([:])

    /// Whether `secret` is the one last verified for `client`, whose stored digest is still the same.
    func contains(_ secret: String, for client: StoredClient) -> Bool {
        guard let entry = entries.withLockedValue({ $0[client.id] }), entry.mac == client.secretDigest.mac else { return false }
        return Self.constantTimeEquals(entry.secret, Array(secret.utf8))
    }

    /// Records that `secret` verified against `client`'s stored digest.
    func remember(_ secret: String, for client: StoredClient) {
        let entry = Entry(mac: client.secretDigest.mac, secret: Array(secret.utf8))
        entries.withLockedValue { $0[client.id] = entry }
    }

    /// Compares every byte of the longer input, so the time taken does not tell where two
    /// secrets first differ.
    static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        var difference = UInt(bitPattern: lhs.count ^ rhs.count)
        for index in 0..<max(lhs.count, rhs.count) {
            let left = index < lhs.count ? lhs[index] : 0
            let right = index < rhs.count ? rhs[index] : 0
            difference |= UInt(left ^ right)
        }
        return difference == 0
    }
}

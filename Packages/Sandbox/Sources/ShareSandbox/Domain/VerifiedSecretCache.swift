import NIOConcurrencyHelpers
import ShareCredentials

/// Remembers, per client, the last secret that verified against the client's stored
/// ``SecretDigest``, so that a client presenting the same secret again is checked with one
/// constant-time comparison instead of an HMAC.
///
/// A client sends the same secret on every request, and the HMAC (with its key set-up) was the
/// largest cost of client authentication in `/oauth/introspect` profiles. The cache lives only in
/// this process's memory — the sandbox already holds configured secrets there — and is never
/// stored, logged or printed. An entry counts only while the client's stored digest is the one it
/// was verified against, so re-registering a client with a new secret retires it — in this
/// sandbox or in any other sharing its store, as the digest is read from the store on every
/// request (``ClientAuthenticator``); one entry per known client bounds its size.
final class VerifiedSecretCache: Sendable {
    private struct Entry {
        var mac: [UInt8]
        var secret: Secret
    }

    private let entries = NIOLockedValueBox<[String: Entry]>([:])

    /// Whether `secret` is the one last verified for `client`, whose stored digest is still the
    /// same. The secrets are compared in constant time (``Secret``'s equality).
    func contains(_ secret: String, for client: StoredClient) -> Bool {
        guard let entry = entries.withLockedValue({ $0[client.id] }), entry.mac == client.secretDigest.mac else { return false }
        return entry.secret == Secret(secret)
    }

    /// Records that `secret` verified against `client`'s stored digest.
    func remember(_ secret: String, for client: StoredClient) {
        let entry = Entry(mac: client.secretDigest.mac, secret: Secret(secret))
        entries.withLockedValue { $0[client.id] = entry }
    }
}

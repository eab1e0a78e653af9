import Foundation

/// The client credentials a request carried, from every place a client may put them:
/// `PLAID-CLIENT-ID`/`PLAID-SECRET` headers, HTTP Basic, and the body's `client_id` with
/// `secret` or `client_secret`.
///
/// Each place is kept apart so that the sandbox's `ClientAuthenticator` can insist they agree.
/// In ShareCore, beside ``CredentialField``, so that what the sandbox reads and what the gateway
/// strips come from one module (and the fuzz harness can reach it without the sandbox's
/// dependencies).
public struct PresentedCredentials: Sendable, CustomStringConvertible {
    /// The credentials found in one place.
    public struct Source: Sendable {
        /// Where they were found, for error messages: "headers", "HTTP Basic", "body".
        public var name: String
        /// The client id found there, if any.
        public var clientID: String?
        /// Spellings of the one secret this place carried; any may match. HTTP Basic yields two
        /// when form-url-decoding changes the value (see ``PresentedCredentials/addAuthorization(_:)``).
        public var secretCandidates: [String]

        /// The credentials found in place `name`.
        public init(name: String, clientID: String?, secretCandidates: [String]) {
            self.name = name
            self.clientID = clientID
            self.secretCandidates = secretCandidates
        }
    }

    /// Every place that carried credentials, in the order they were added.
    public var sources: [Source]
    /// Whether an `Authorization: Basic` header was present, so a 401 challenges it.
    public var usedBasic: Bool
    /// Whether that header could not be parsed.
    public var basicIsMalformed: Bool

    /// Credentials found so far (none by default).
    public init(sources: [Source] = [], usedBasic: Bool = false, basicIsMalformed: Bool = false) {
        self.sources = sources
        self.usedBasic = usedBasic
        self.basicIsMalformed = basicIsMalformed
    }

    /// Adds the body's `client_id` and `secret`/`client_secret`, when any is present.
    public mutating func addBody(clientID: String?, secret: String?, clientSecret: String?) {
        let secrets = [secret, clientSecret].compactMap { $0 }.filter { !$0.isEmpty }
        let id = clientID.flatMap { $0.isEmpty ? nil : $0 }
        guard id != nil || !secrets.isEmpty else { return }
        if secrets.count == 2, secrets[0] != secrets[1] {
            // Two different secrets in one body: both must match, so keep them as two places.
            sources.append(Source(name: "body secret", clientID: id, secretCandidates: [secrets[0]]))
            sources.append(Source(name: "body client_secret", clientID: id, secretCandidates: [secrets[1]]))
        } else {
            sources.append(Source(name: "body", clientID: id, secretCandidates: Array(secrets.prefix(1))))
        }
    }

    /// Adds the `PLAID-CLIENT-ID` and `PLAID-SECRET` header values, when any is present.
    public mutating func addHeaders(clientID: String?, secret: String?) {
        let id = clientID.flatMap { $0.isEmpty ? nil : $0 }
        let secrets = secret.flatMap { $0.isEmpty ? nil : [$0] } ?? []
        guard id != nil || !secrets.isEmpty else { return }
        sources.append(Source(name: "PLAID-CLIENT-ID/PLAID-SECRET headers", clientID: id, secretCandidates: secrets))
    }

    /// Adds HTTP Basic credentials from an `Authorization` header value; other schemes are
    /// ignored.
    ///
    /// RFC 6749 §2.3.1 says the id and secret are form-url-encoded before Basic encoding, but
    /// some clients send them raw. Both readings are kept as candidates: a raw secret holding
    /// `+` matches as sent, and a correctly encoded `%2B` matches once decoded.
    public mutating func addAuthorization(_ value: String) {
        let trimmed = value.drop { $0 == " " }
        guard trimmed.count >= 6, trimmed.prefix(6).lowercased() == "basic " else { return }
        usedBasic = true
        let encoded = trimmed.dropFirst(6).trimmingCharacters(in: .whitespaces)
        // UTF-8 first; Latin-1 for clients that encode Basic credentials that way (authlib does).
        guard let data = Data(base64Encoded: encoded),
            let decoded = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1),
            let colon = decoded.firstIndex(of: ":")
        else {
            basicIsMalformed = true
            return
        }
        let rawID = String(decoded[..<colon])
        let rawSecret = String(decoded[decoded.index(after: colon)...])
        let id = Self.formURLDecoded(rawID) ?? rawID
        var candidates: [String] = []
        if let secret = Self.formURLDecoded(rawSecret) { candidates.append(secret) }
        if !candidates.contains(rawSecret) { candidates.append(rawSecret) }
        sources.append(Source(name: "HTTP Basic", clientID: id.isEmpty ? nil : id, secretCandidates: rawSecret.isEmpty ? [] : candidates))
    }

    /// `application/x-www-form-urlencoded` decoding of one value: `+` is a space, `%XX` a byte.
    /// `nil` when a percent escape is invalid or the result is not UTF-8.
    static func formURLDecoded(_ value: String) -> String? {
        PercentCoding.decode(value, plus: .space)
    }

    public var description: String {
        "PresentedCredentials(" + sources.map { "\($0.name): client_id \($0.clientID ?? "nil"), secret <redacted>" }
            .joined(separator: "; ") + ")"
    }
}

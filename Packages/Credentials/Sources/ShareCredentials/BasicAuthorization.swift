import Foundation
import ShareCore

/// HTTP Basic client authentication as OAuth defines it (RFC 6749 §2.3.1): the client id and
/// secret are each `application/x-www-form-urlencoded`, joined by `:`, and Base64-encoded
/// (RFC 7617).
///
/// Servers and gateways read the header with ``parse(_:plus:)``, or with ``candidates(_:)`` to
/// accept both readings of a bare `+` (below):
///
/// ```swift
/// if let header = request.headerFields[.authorization], BasicAuthorization.isBasic(header) {
///     let candidates = try BasicAuthorization.candidates(header)
///     let known = candidates.first { registered.contains($0) }   // `==` compares secrets in constant time
///     print(known?.clientID ?? "unknown client")
/// }
/// ```
///
/// ## What a raw `+` means
/// Both parts are form-url-decoded, so `%2B` is always `+`, and by the RFC a bare `+` is a space.
/// Some clients skip the encoding and send a secret containing `+` as it is. ``parse(_:plus:)``
/// follows the RFC by default (``Plus/space``); ``Plus/literal`` reads `+` as itself.
/// ``candidates(_:)`` returns the RFC reading first and, only when the value holds a bare `+`,
/// the literal reading second, so a server can accept both kinds of client by trying each in
/// turn — an encoded secret and its unencoded twin are the same secret, so this admits nobody new.
public enum BasicAuthorization {
    /// What a bare `+` in either part stands for.
    public enum Plus: Hashable, Sendable {
        /// A space, as RFC 6749 §2.3.1 (form-url-encoding) defines. The default.
        case space
        /// A literal `+`, for clients that send their secret without form-url-encoding it.
        case literal
    }

    /// The `Authorization` value for `credentials`: `Basic base64(enc(id):enc(secret))`.
    public static func headerValue(for credentials: ClientCredentials) -> String {
        let joined = PercentCoding.formEncoded(credentials.clientID) + ":" + PercentCoding.formEncoded(credentials.secret.revealed)
        return "Basic " + Data(joined.utf8).base64EncodedString()
    }

    /// Whether an `Authorization` value uses the Basic scheme (case-insensitive).
    public static func isBasic(_ headerValue: String) -> Bool {
        headerValue.split(separator: " ", maxSplits: 1).first?.lowercased() == "basic"
    }

    /// The client id and secret of a `Basic` `Authorization` value.
    ///
    /// - Parameters:
    ///   - headerValue: The `Authorization` header's value, scheme included.
    ///   - plus: What a bare `+` means; ``Plus/space`` (the RFC) by default.
    /// - Throws: ``CredentialsError`` with code ``CredentialsError/Code/malformedAuthorization``
    ///   when the scheme is not Basic, the Base64 or an escape is malformed, there is no `:`, or
    ///   the client id is empty. The message never includes the value.
    public static func parse(_ headerValue: String, plus: Plus = .space) throws(CredentialsError) -> ClientCredentials {
        let (id, secret) = try split(headerValue)
        let mode: PercentCoding.Plus = plus == .space ? .space : .literal
        guard let clientID = PercentCoding.decode(id, plus: mode) else {
            throw malformed("the client id has a malformed %-escape or is not UTF-8")
        }
        guard let decodedSecret = PercentCoding.decode(secret, plus: mode) else {
            throw malformed("the secret has a malformed %-escape or is not UTF-8")
        }
        guard !clientID.isEmpty else { throw malformed("the client id is empty") }
        return ClientCredentials(clientID: clientID, secret: decodedSecret)
    }

    /// Every reading of a `Basic` value worth trying, best first: the RFC reading, then — only
    /// when either part holds a bare `+` — the reading with `+` kept literal.
    public static func candidates(_ headerValue: String) throws(CredentialsError) -> [ClientCredentials] {
        let strict = try parse(headerValue, plus: .space)
        let (id, secret) = try split(headerValue)
        guard id.contains("+") || secret.contains("+") else { return [strict] }
        let lenient = try parse(headerValue, plus: .literal)
        return lenient == strict ? [strict] : [strict, lenient]
    }

    private static func split(_ headerValue: String) throws(CredentialsError) -> (Substring, Substring) {
        let parts = headerValue.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic" else { throw malformed("expected the Basic scheme") }
        var encoded = parts[1].trimmingCharacters(in: .whitespaces)
        // Some clients leave out the Base64 padding.
        if encoded.count % 4 != 0 { encoded += String(repeating: "=", count: 4 - encoded.count % 4) }
        guard let data = Data(base64Encoded: encoded), let decoded = String(data: data, encoding: .utf8) else {
            throw malformed("the credentials are not valid Base64 of UTF-8 text")
        }
        guard let colon = decoded.firstIndex(of: ":") else { throw malformed("the credentials have no \":\" between client id and secret") }
        let text = Substring(decoded)
        return (text[..<colon], text[text.index(after: colon)...])
    }

    private static func malformed(_ reason: String) -> CredentialsError {
        CredentialsError(.malformedAuthorization, "malformed Basic authorization: \(reason)")
    }
}

import Crypto

/// The `Persona-Signature` header of a webhook delivery: `t=<unix seconds>,v1=<hex
/// HMAC-SHA256(secret, "<t>.<raw body>")>`, the scheme of the vendor whose API the share-token
/// endpoints emulate, so existing verifiers accept it.
public enum WebhookSignature {
    /// The header name.
    public static let headerName = "Persona-Signature"

    /// The header value for `body` sent at `timestamp` (seconds since 1970).
    public static func header(body: [UInt8], secret: String, timestamp: Int) -> String {
        "t=\(timestamp),v1=\(signature(body: body, secret: secret, timestamp: timestamp))"
    }

    /// The lowercase hex HMAC-SHA256 of `"<timestamp>.<body>"`.
    public static func signature(body: [UInt8], secret: String, timestamp: Int) -> String {
        let message = Array("\(timestamp).".utf8) + body
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Array(secret.utf8)))
        return mac.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

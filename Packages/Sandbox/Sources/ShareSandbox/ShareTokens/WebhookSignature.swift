import Crypto
import Foundation

/// The `Persona-Signature` header of a webhook delivery: `t=<unix seconds>,v1=<hex
/// HMAC-SHA256(secret, "<t>.<raw body>")>`, the scheme of the API the sandbox emulates, so that
/// existing verifiers accept its deliveries.
public enum WebhookSignature {
    /// The header's name.
    public static let headerName = "Persona-Signature"

    /// The header value signing `body` with `secret` at `timestamp` (unix seconds).
    public static func header(body: [UInt8], secret: String, timestamp: Int) -> String {
        "t=\(timestamp),v1=\(hexSignature(body: body, secret: secret, timestamp: timestamp))"
    }

    /// The header value signing `body` with each of `secrets` at `timestamp`: one `t=…,v1=…`
    /// set per secret, separated by a space, as Persona signs during a secret rotation
    /// (https://docs.withpersona.com/webhooks-best-practices, "Checking signatures").
    public static func header(body: [UInt8], secrets: [String], timestamp: Int) -> String {
        secrets.map { header(body: body, secret: $0, timestamp: timestamp) }.joined(separator: " ")
    }

    /// The lowercase hex HMAC-SHA256 of `"<timestamp>.<body>"` under `secret`.
    public static func hexSignature(body: [UInt8], secret: String, timestamp: Int) -> String {
        var message = Array("\(timestamp).".utf8)
        message.append(contentsOf: body)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        return mac.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

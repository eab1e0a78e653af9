public import Foundation
import Crypto
public import ShareModels
import ShareCore
import ShareWire

/// Checks that a webhook delivery comes from the API: its `Persona-Signature` header,
/// `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, must carry a signature
/// of the raw body under one of your webhook secrets, made recently.
///
/// ```swift
/// let verifier = WebhookVerifier(secrets: [currentSecret, previousSecret])   // during rotation
/// let event = try verifier.event(body: rawBody, signatureHeader: request.headers["Persona-Signature"])
/// ```
///
/// - Signatures are compared in constant time (swift-crypto's HMAC validation).
/// - A timestamp further than ``tolerance`` from now (in either direction) is refused, so a
///   captured delivery cannot be replayed later.
/// - During a secret rotation the header holds two space-separated `t=…,v1=…` sets, one per
///   secret (https://docs.withpersona.com/webhooks-best-practices), and the verifier may know
///   two secrets; a delivery is accepted when any signature matches under any secret.
public struct WebhookVerifier: Sendable {
    /// The header that carries the signature.
    public static let headerName = "Persona-Signature"

    /// The secrets' bytes (a `SymmetricKey` is made per check: it is not `Sendable`).
    private let secrets: [[UInt8]]
    /// How far the header's timestamp may be from now. Default 5 minutes.
    public let tolerance: TimeInterval

    /// A verifier accepting signatures under any of `secrets` (one, or two during a rotation).
    public init(secrets: [String], tolerance: TimeInterval = 300) {
        self.secrets = secrets.filter { !$0.isEmpty }.map { Array($0.utf8) }
        self.tolerance = tolerance
    }

    /// A verifier of one secret.
    public init(secret: String, tolerance: TimeInterval = 300) {
        self.init(secrets: [secret], tolerance: tolerance)
    }

    /// Throws unless `signatureHeader` signs `body` under one of the secrets within the tolerance of `now`.
    public func verify(body: some Collection<UInt8>, signatureHeader: String?, now: Date = Date()) throws(WebhookVerificationError) {
        guard !secrets.isEmpty else { throw WebhookVerificationError(.noSecret) }
        guard let signatureHeader, !signatureHeader.isEmpty else { throw WebhookVerificationError(.missingHeader) }
        // The header holds one `t=…,v1=…` set per signing secret, separated by spaces (Persona,
        // https://docs.withpersona.com/webhooks-best-practices); each set is checked against its
        // own timestamp. A set may also carry several `v1=` values.
        // A set without its own `t=` shares the timestamp written before it (so `t=…, v1=…`, with
        // a space after the comma, reads as one set).
        var sets: [(timestamp: Int, signatures: [[UInt8]])] = []
        var lastTimestamp: Int?
        for set in signatureHeader.split(separator: " ", omittingEmptySubsequences: true) {
            var timestamp = lastTimestamp
            var signatures: [[UInt8]] = []
            for item in set.split(separator: ",", omittingEmptySubsequences: true) {
                let parts = item.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                switch parts[0] {
                case "t": timestamp = Int(parts[1])
                case "v1": if let bytes = Self.bytes(hex: parts[1]) { signatures.append(bytes) }
                default: continue
                }
            }
            lastTimestamp = timestamp
            if let timestamp, !signatures.isEmpty { sets.append((timestamp, signatures)) }
        }
        guard !sets.isEmpty else { throw WebhookVerificationError(.malformedHeader) }
        let recent = sets.filter { abs(now.timeIntervalSince1970 - TimeInterval($0.timestamp)) <= tolerance }
        guard !recent.isEmpty else { throw WebhookVerificationError(.timestampOutsideTolerance) }
        var matched = false
        // Every pair is checked, so the time taken does not tell which one matched.
        for set in recent {
            var message = Array("\(set.timestamp).".utf8)
            message.append(contentsOf: body)
            for secret in secrets {
                let key = SymmetricKey(data: secret)
                for signature in set.signatures where HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: message, using: key) {
                    matched = true
                }
            }
        }
        guard matched else { throw WebhookVerificationError(.signatureMismatch) }
    }

    /// Verifies the delivery, then decodes its body, `{"data": <event>}`, as a share-token event.
    public func event(body: some Collection<UInt8>, signatureHeader: String?, now: Date = Date()) throws -> ShareTokenEvent {
        try verify(body: body, signatureHeader: signatureHeader, now: now)
        return try WireJSON.decode(JSONAPIDocument<ShareTokenEvent>.self, from: body).data
    }

    /// `text` as bytes when it is an even number of hex digits.
    private static func bytes(hex text: Substring) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard !digits.isEmpty, digits.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = PercentCoding.hexValue(digits[index]), let low = PercentCoding.hexValue(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}

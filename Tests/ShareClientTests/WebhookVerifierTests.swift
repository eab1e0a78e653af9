import Crypto
import Foundation
import ShareClient
import ShareModels
import Testing

@Suite("WebhookVerifier")
struct WebhookVerifierTests {
    static let body = Array(#"{"data":{"type":"event","id":"evt_1","attributes":{"name":"connect/share-token.inbound-created"}}}"#.utf8)
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// The header the API would send: `t=<seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
    static func header(_ secret: String, timestamp: Int = 1_800_000_000, body: [UInt8] = body) -> String {
        "t=\(timestamp),v1=\(signature(secret, timestamp: timestamp, body: body))"
    }

    static func signature(_ secret: String, timestamp: Int, body: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(timestamp).".utf8) + body, using: SymmetricKey(data: Data(secret.utf8)))
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    @Test("a signature under the secret within the tolerance is accepted")
    func accepts() throws {
        try WebhookVerifier(secret: "s1").verify(body: Self.body, signatureHeader: Self.header("s1"), now: Self.now)
        // Upper-case hex and spaces after the comma are read too.
        let upper = "t=1800000000, v1=\(Self.signature("s1", timestamp: 1_800_000_000, body: Self.body).uppercased())"
        try WebhookVerifier(secret: "s1").verify(body: Self.body, signatureHeader: upper, now: Self.now)
    }

    @Test("a known test vector verifies")
    func knownVector() throws {
        // HMAC-SHA256("whsec", "1700000000.{}") computed independently with Python's hmac module.
        let header = "t=1700000000,v1=7d44587dddbaf4c7f70fef20f48cd594834ffea1641e3ac227b84408298738af"
        try WebhookVerifier(secret: "whsec").verify(
            body: Array("{}".utf8), signatureHeader: header, now: Date(timeIntervalSince1970: 1_700_000_000))
    }

    @Test("the wrong secret, a changed body or a changed timestamp is a mismatch")
    func mismatch() {
        let verifier = WebhookVerifier(secret: "s1")
        for (body, header) in [
            (Self.body, Self.header("s2")),
            (Self.body + [0x20], Self.header("s1")),
            (Self.body, Self.header("s1").replacingOccurrences(of: "t=1800000000", with: "t=1800000001")),
        ] {
            #expect(throws: WebhookVerificationError(.signatureMismatch)) {
                try verifier.verify(body: body, signatureHeader: header, now: Self.now)
            }
        }
    }

    @Test("timestamps beyond the tolerance are refused, in either direction")
    func tolerance() throws {
        let verifier = WebhookVerifier(secret: "s1", tolerance: 300)
        try verifier.verify(body: Self.body, signatureHeader: Self.header("s1"), now: Self.now.addingTimeInterval(300))
        #expect(throws: WebhookVerificationError(.timestampOutsideTolerance)) {
            try verifier.verify(body: Self.body, signatureHeader: Self.header("s1"), now: Self.now.addingTimeInterval(301))
        }
        #expect(throws: WebhookVerificationError(.timestampOutsideTolerance)) {
            try verifier.verify(body: Self.body, signatureHeader: Self.header("s1"), now: Self.now.addingTimeInterval(-301))
        }
    }

    @Test("during a rotation two secrets and several v1 signatures are accepted")
    func rotation() throws {
        let rotating = WebhookVerifier(secrets: ["new", "old"])
        try rotating.verify(body: Self.body, signatureHeader: Self.header("old"), now: Self.now)
        try rotating.verify(body: Self.body, signatureHeader: Self.header("new"), now: Self.now)
        let both = Self.header("old") + " v1=" + Self.signature("new", timestamp: 1_800_000_000, body: Self.body)
        try WebhookVerifier(secret: "new").verify(body: Self.body, signatureHeader: both, now: Self.now)
        try WebhookVerifier(secret: "old").verify(body: Self.body, signatureHeader: both, now: Self.now)
        #expect(throws: WebhookVerificationError(.signatureMismatch)) {
            try WebhookVerifier(secret: "other").verify(body: Self.body, signatureHeader: both, now: Self.now)
        }
    }

    @Test("Persona's rotation header, two space-separated t=…,v1=… sets, verifies under either secret; each set keeps its own timestamp")
    func rotationSets() throws {
        let timestamp = 1_800_000_000
        let both = "t=\(timestamp),v1=\(Self.signature("new", timestamp: timestamp, body: Self.body)) "
            + "t=\(timestamp),v1=\(Self.signature("old", timestamp: timestamp, body: Self.body))"
        for secrets in [["new"], ["old"], ["new", "old"], ["other", "old"]] {
            try WebhookVerifier(secrets: secrets).verify(body: Self.body, signatureHeader: both, now: Self.now)
        }
        #expect(throws: WebhookVerificationError(.signatureMismatch)) {
            try WebhookVerifier(secret: "other").verify(body: Self.body, signatureHeader: both, now: Self.now)
        }
        // A set signed long ago does not count, even next to a recent one of another secret.
        let stale = timestamp - 1000
        let mixed = "t=\(stale),v1=\(Self.signature("old", timestamp: stale, body: Self.body)) "
            + "t=\(timestamp),v1=\(Self.signature("new", timestamp: timestamp, body: Self.body))"
        try WebhookVerifier(secret: "new").verify(body: Self.body, signatureHeader: mixed, now: Self.now)
        #expect(throws: WebhookVerificationError(.signatureMismatch)) {
            try WebhookVerifier(secret: "old").verify(body: Self.body, signatureHeader: mixed, now: Self.now)
        }
    }

    @Test("missing or malformed headers are refused with a reason and without the secret")
    func malformed() {
        let verifier = WebhookVerifier(secret: "top-secret")
        #expect(throws: WebhookVerificationError(.missingHeader)) { try verifier.verify(body: Self.body, signatureHeader: nil, now: Self.now) }
        for header in ["v1=abcd", "t=1800000000", "t=1800000000,v1=xyz", "t=soon,v1=00", "garbage"] {
            #expect(throws: WebhookVerificationError(.malformedHeader), "\(header)") {
                try verifier.verify(body: Self.body, signatureHeader: header, now: Self.now)
            }
        }
        #expect(throws: WebhookVerificationError(.noSecret)) {
            try WebhookVerifier(secrets: []).verify(body: Self.body, signatureHeader: Self.header("s"), now: Self.now)
        }
        do {
            try verifier.verify(body: Self.body, signatureHeader: Self.header("x"), now: Self.now)
        } catch {
            #expect(!"\(error)".contains("top-secret"))
        }
    }
}

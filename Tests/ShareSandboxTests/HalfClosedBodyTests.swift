import Foundation
import NIOCore
import ShareSandbox
import Testing

/// A client that closes its side of the connection (a half-close) still gets its answer, and a
/// body cut short by the close is a 400 in the route's own error shape — never a 413, which would
/// send the client looking for a size limit it did not reach.
@Suite("half-closed request bodies")
struct HalfClosedBodyTests {
    static func request(_ path: String, headers: [String], body: String, sending count: Int? = nil) -> ByteBuffer {
        let whole = String(buffer: RawTCPConnection.request("POST", path, headers: headers, body: body))
        return ByteBuffer(string: String(whole.dropLast(body.utf8.count - (count ?? body.utf8.count))))
    }

    static let introspect = (
        path: "/oauth/introspect",
        headers: ["Content-Type: application/json", "PLAID-CLIENT-ID: \(SandboxHarness.lender.id)", "PLAID-SECRET: lender-secret"],
        body: #"{"token":"not-a-token"}"#
    )

    @Test("a whole request, then the client's half-close: answered as usual")
    func wholeRequestIsAnswered() async throws {
        try await ConnectionLimitTests.withSandbox(ConnectionLimits()) { port in
            let received = try await RawTCPConnection.halfClosing(
                port: port, after: Self.request(Self.introspect.path, headers: Self.introspect.headers, body: Self.introspect.body))
            #expect(received.hasPrefix("HTTP/1.1 200 OK"), "answer: \(received.prefix(200))")
            #expect(received.contains(#""active":false"#))
        }
    }

    @Test("an OAuth body cut short by the half-close is 400 invalid_request naming the early end")
    func truncatedOAuthBody() async throws {
        try await ConnectionLimitTests.withSandbox(ConnectionLimits()) { port in
            let received = try await RawTCPConnection.halfClosing(
                port: port, after: Self.request(Self.introspect.path, headers: Self.introspect.headers, body: Self.introspect.body, sending: 5))
            #expect(received.hasPrefix("HTTP/1.1 400"), "answer: \(received.prefix(200))")
            #expect(received.contains(#""error":"invalid_request""#))
            #expect(received.contains("ended before its declared end"))
        }
    }

    @Test("a share-token body cut short by the half-close is 400 in the JSON:API error shape")
    func truncatedShareTokenBody() async throws {
        try await ConnectionLimitTests.withSandbox(ConnectionLimits()) { port in
            let body = #"{"data":{"type":"share-token","attributes":{}}}"#
            let received = try await RawTCPConnection.halfClosing(
                port: port,
                after: Self.request(
                    "/api/v1/connect/share-tokens",
                    headers: ["Authorization: Bearer \(ShareTokenDemo.sourceAPIKey)", "Content-Type: application/vnd.api+json"], body: body,
                    sending: 10))
            #expect(received.hasPrefix("HTTP/1.1 400"), "answer: \(received.prefix(200))")
            #expect(received.contains(#""errors""#))
            #expect(received.contains("ended before its declared end"))
        }
    }
}

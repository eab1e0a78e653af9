import Foundation
import NIOCore
import NIOSSL
import Testing

@testable import ShareGateway

/// A client that closes its side once its requests are written (`nc -N`, `shutdown(SHUT_WR)` in a
/// script) still reads every answer, then the end of the stream — on forwarded requests,
/// pipelined ones and the gateway's own routes — and a request cut short by the close is answered
/// 400 in the API's error shape.
@Suite("Gateway half-closing clients (live)")
struct GatewayHalfCloseTests {
    static let request = GatewayHeaderIntegrityTests.request(
        headers: ["Host: 127.0.0.1", "Content-Type: application/json"], body: #"{"token":"t"}"#)

    /// Sends `text`, closes the client's output and waits for the gateway to end the connection;
    /// the responses that arrived, which must be all that did.
    static func halfClose(
        after text: String, port: Int, tls: NIOSSLContext? = nil, responses: Int, method: String = "POST"
    ) async throws -> [ByteLevelClient.Reply] {
        try await HalfClosingClient.with(port: port, tls: tls) { client in
            try await client.send(text)
            try await client.closeOutput()
            let ended = try await client.wait(upTo: .seconds(10)) { $0.inputEnded || $0.closed }
            #expect(ended, "the gateway neither answered nor closed")
            let record = client.inbox.snapshot
            #expect(record.failure == nil, "the connection was reset: \(record.failure ?? "")")
            var replies: [ByteLevelClient.Reply] = []
            var rest = record.bytes[...]
            while !rest.isEmpty, let (reply, length) = try ByteLevelClient.parse(Array(rest), closed: true, method: method) {
                replies.append(reply)
                rest = rest.dropFirst(length)
            }
            #expect(replies.count == responses)
            #expect(rest.isEmpty, "bytes after the responses: \(String(decoding: rest, as: UTF8.self))")
            return replies
        }
    }

    @Test("a forwarded request, then the client's half-close: the upstream's answer arrives whole, then the end of the stream")
    func forwardedRequest() async throws {
        try await GatewayHeaderIntegrityTests.withOKGateway({ _ in }) { port, upstream in
            let replies = try await Self.halfClose(after: Self.request, port: port, responses: 1)
            #expect(replies.first?.status == 200)
            #expect(replies.first?.body == "{}")
            #expect(upstream.requests.count == 1)
        }
    }

    @Test("two pipelined requests, then the client's half-close: both are forwarded and answered in order")
    func pipelinedRequests() async throws {
        try await GatewayHeaderIntegrityTests.withOKGateway({ _ in }) { port, upstream in
            let replies = try await Self.halfClose(after: Self.request + Self.request, port: port, responses: 2)
            #expect(replies.map(\.status) == [200, 200])
            #expect(upstream.requests.count == 2)
        }
    }

    @Test("a body cut short by the client's half-close is answered 400 invalid_request, and nothing reaches the upstream")
    func truncatedBody() async throws {
        try await GatewayHeaderIntegrityTests.withOKGateway({ _ in }) { port, upstream in
            let replies = try await Self.halfClose(after: String(Self.request.dropLast(4)), port: port, responses: 1)
            let reply = try #require(replies.first)
            #expect(reply.status == 400)
            #expect(GatewayHeaderIntegrityTests.errorCode(reply) == "invalid_request")
            #expect(GatewayHeaderIntegrityTests.errorDescription(reply).contains("ended early"))
            #expect(reply.header("connection")?.lowercased() == "close")
            #expect(upstream.requests.isEmpty)
        }
    }

    @Test("the gateway's own route, then the client's half-close: answered as well")
    func operationsRoute() async throws {
        try await GatewayHeaderIntegrityTests.withOKGateway({ _ in }) { port, _ in
            let replies = try await Self.halfClose(after: "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", port: port, responses: 1, method: "GET")
            #expect(replies.first?.status == 200)
        }
    }

    @Test("over HTTPS, the client's close_notify and half-close after a forwarded request: the answer arrives whole")
    func forwardedRequestOverHTTPS() async throws {
        let files = try GatewayHTTPSTests.CertificateFiles()
        defer { files.remove() }
        let context = try files.clientContext()
        try await GatewayHTTPSTests.withHTTPSGateway(files, { _ in }) { base, _ in
            let port = try #require(base.split(separator: ":").last.flatMap { Int($0) })
            let request = Self.request.replacingOccurrences(of: "/oauth/token", with: "/oauth/introspect").replacingOccurrences(of: "127.0.0.1", with: "localhost")
            let replies = try await Self.halfClose(after: request, port: port, tls: context, responses: 1)
            #expect(replies.first?.status == 200)
            #expect(replies.first?.body.contains(#""active":false"#) == true)
        }
    }
}

import Foundation
import NIOCore
import NIOSSL
import Testing

@testable import ShareGateway

/// A refusal the gateway writes while its client is still sending (a late head, a body over the
/// limit) survives the client's next bytes: the gateway closes its output after the answer and
/// drops what still comes for a short linger, instead of closing a socket with unread input —
/// which resets the connection, and a reset can destroy the answer before the client reads it.
/// The client here sends after the refusal on purpose; it must see the whole answer, the end of
/// the stream, and no reset. Waits are generous, for a loaded machine: the only bound that
/// matters is the 2 s linger, and the client's bytes follow the refusal by milliseconds.
@Suite("Gateway lingering close (live)")
struct GatewayLingeringCloseTests {
    /// Runs `body` with the port of a gateway with short client timeouts.
    static func withShortTimeoutGateway(
        _ adjust: @escaping @Sendable (inout GatewayConfiguration) -> Void = GatewayClientLimitTests.shortTimeouts,
        _ body: @escaping @Sendable (Int) async throws -> Void
    ) async throws {
        try await GatewayHeaderIntegrityTests.withOKGateway(adjust) { port, _ in try await body(port) }
    }

    /// The one response in `record`, which must be all that arrived.
    static func onlyResponse(_ record: HalfClosingClient.Record) throws -> ByteLevelClient.Reply {
        let (reply, length) = try #require(try ByteLevelClient.parse(record.bytes, closed: true, method: "POST"))
        #expect(length == record.bytes.count, "bytes after the response: \(String(decoding: record.bytes.dropFirst(length), as: UTF8.self))")
        return reply
    }

    @Test("a client that trickles a head past its deadline and then sends a burst reads the whole 408, then the end of the stream, without a reset")
    func lateHeadAnswerSurvivesTheClientsBytes() async throws {
        try await Self.withShortTimeoutGateway { port in
            try await HalfClosingClient.with(port: port) { client in
                try await client.send("POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                // A header every 100 ms, what arrived looked at every 20 ms, until the 408 comes.
                let start = ContinuousClock.now
                var tick = 0
                while client.inbox.snapshot.bytes.isEmpty && !client.inbox.snapshot.closed {
                    try #require(ContinuousClock.now - start < .seconds(20), "no answer to the late head")
                    if tick % 5 == 0 { try await client.send("X-Slow-\(tick): 1\r\n") }
                    tick += 1
                    try await Task.sleep(for: .milliseconds(20))
                }
                // Right after the 408: 256 KiB more, as a client that writes its whole request
                // before reading. Closing with these unread would reset the connection.
                try await client.send(ByteBuffer(repeating: UInt8(ascii: "x"), count: 256 * 1024))
                try await client.send("X-After-The-Deadline: 1\r\n")

                let ended = try await client.wait(upTo: .seconds(10)) { $0.inputEnded || $0.closed }
                #expect(ended)
                let record = client.inbox.snapshot
                #expect(record.failure == nil, "the connection was reset: \(record.failure ?? "")")
                #expect(record.inputEnded)
                #expect(!record.closed)
                let reply = try Self.onlyResponse(record)
                #expect(reply.status == 408)
                #expect(reply.header("connection")?.lowercased() == "close")
                #expect(GatewayHeaderIntegrityTests.errorCode(reply) == "request_timeout")

                // A client that goes on sending is closed all the same once the linger is over.
                let lingerStart = ContinuousClock.now
                let closed = try await Self.trickleUntilClosed(client, for: .seconds(20))
                #expect(closed)
                #expect(ContinuousClock.now - lingerStart < .seconds(15))
            }
        }
    }

    @Test("a body declared over the limit is answered 413 at once; a client writing the body on reads the whole 413, then the end of the stream, without a reset")
    func oversizedBodyAnswerSurvivesTheBody() async throws {
        try await Self.withShortTimeoutGateway({ $0.maximumBodySize = 1024 }) { port in
            try await HalfClosingClient.with(port: port) { client in
                try await Self.expectWholeRefusal(
                    sending: "POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n",
                    bodyBytes: 320 * 1024, on: client)
            }
        }
    }

    /// Over TLS the output's close is a `close_notify` (TLS's own shutdown also reads on for a
    /// while, so a full close would pass here too): what this checks is that the half-close goes
    /// through the TLS handler and the answer and the stream's end arrive intact.
    @Test("over HTTPS the 413 is followed by the TLS stream's end, and the body sent on is dropped without a reset")
    func oversizedBodyOverHTTPS() async throws {
        let files = try GatewayHTTPSTests.CertificateFiles()
        defer { files.remove() }
        let context = try files.clientContext()
        try await GatewayHTTPSTests.withHTTPSGateway(files, { $0.maximumBodySize = 1024 }) { base, _ in
            let port = try #require(base.split(separator: ":").last.flatMap { Int($0) })
            try await HalfClosingClient.with(port: port, tls: context) { client in
                try await Self.expectWholeRefusal(
                    sending: "POST /user/create HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n",
                    bodyBytes: 256 * 1024, on: client)
            }
        }
    }

    /// Writes `head` (declaring a body over the limit) and `bodyBytes` of its body in one write,
    /// then expects the gateway's whole 413, followed by the end of the stream, and no reset or
    /// failure on the way. One write: the body follows the head, and the 413 it gets at once, as
    /// fast as the sockets take it, however late a loaded host runs this task again — the body
    /// sent in several writes could be held up past the 2 s linger by the test's own scheduling.
    static func expectWholeRefusal(sending head: String, bodyBytes: Int, on client: HalfClosingClient) async throws {
        var request = ByteBuffer(string: head)
        request.writeRepeatingByte(UInt8(ascii: "a"), count: bodyBytes)
        try await client.send(request)
        let ended = try await client.wait(upTo: .seconds(10)) { $0.inputEnded || $0.closed }
        #expect(ended)
        let record = client.inbox.snapshot
        #expect(record.failure == nil, "the connection was reset or failed: \(record.failure ?? "")")
        #expect(record.inputEnded)
        let reply = try Self.onlyResponse(record)
        #expect(reply.status == 413)
        #expect(GatewayHeaderIntegrityTests.errorCode(reply) == "request_too_large")
    }

    /// Sends a byte every 100 ms until the connection closes (the gateway's close resets the
    /// next byte); `false` when it is still open after `limit`.
    static func trickleUntilClosed(_ client: HalfClosingClient, for limit: Duration) async throws -> Bool {
        let start = ContinuousClock.now
        while !client.inbox.snapshot.closed {
            if ContinuousClock.now - start > limit { return false }
            try? await client.send("x")
            try await Task.sleep(for: .milliseconds(100))
        }
        return true
    }
}

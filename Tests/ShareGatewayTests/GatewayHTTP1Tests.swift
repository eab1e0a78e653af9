import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import ShareGateway

/// The gateway's hand-written HTTP/1.1 forwarder, end to end over real sockets: a raw client in
/// front of the gateway, a ``ScriptedUpstream`` behind it. Response framing (chunked, HTTP/1.0,
/// close-delimited, interim, HEAD), headers in both directions, malformed requests and broken
/// upstream responses.
@Suite("Gateway HTTP/1.1 forwarding (live)")
struct GatewayHTTP1Tests {
    static let body = #"{"token":"t"}"#

    /// `POST /oauth/introspect` with a JSON body and `Content-Length` framing; an HTTP/1.0
    /// request has no `Host`.
    static func introspect(version: String = "1.1", headers: [String] = [], body: String = Self.body) -> String {
        var text = "POST /oauth/introspect HTTP/\(version)\r\n"
        if version == "1.1" { text += "Host: 127.0.0.1\r\n" }
        text += "Content-Type: application/json\r\n"
        for header in headers { text += header + "\r\n" }
        return text + "Content-Length: \(body.utf8.count)\r\n\r\n" + body
    }

    /// A chunked upstream response, written in pieces: a chunk extension, a chunk split across
    /// two writes, and a trailer.
    static let chunkedPieces = [
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n",
        "5;ext=1\r\nhello\r\n",
        "6\r\n wo",
        "rld\r\n",
        "1\r\n!\r\n0\r\nX-Trailer: t\r\n\r\n",
    ]
    static let chunkedData = "hello world!"

    /// Runs `body` on a byte-level connection to a gateway (test configuration) in front of a
    /// ``ScriptedUpstream`` that answers with `respond`.
    static func withScriptedGateway(
        configuration: GatewayConfiguration = testConfiguration(),
        _ respond: @escaping @Sendable (String) -> ScriptedUpstream.Response,
        _ body: @escaping @Sendable (inout ByteLevelClient, ScriptedUpstream) async throws -> Void
    ) async throws {
        try await ScriptedUpstream.run(respond) { upstream in
            try await withGateway(upstream: upstream.baseURL, configuration) { client in
                try await ByteLevelClient.with(port: try #require(client.port)) { connection in
                    try await body(&connection, upstream)
                }
            }
        }
    }

    // MARK: Response framing

    @Test("a chunked upstream response reaches an HTTP/1.1 client chunked, with the same data, and the connection stays usable")
    func chunkedResponseToHTTP11Client() async throws {
        try await Self.withScriptedGateway({ head in
            head.contains("X-Step: 2") ? .ok("second") : ScriptedUpstream.Response(Self.chunkedPieces)
        }) { connection, upstream in
            try await connection.send(Self.introspect(headers: ["X-Step: 1"]))
            let first = try await connection.readResponse()
            #expect(first.status == 200)
            #expect(first.isChunked)
            #expect(first.values("Transfer-Encoding") == ["chunked"])
            #expect(first.values("Content-Length").isEmpty)
            #expect(first.body == Self.chunkedData)

            try await connection.send(Self.introspect(headers: ["X-Step: 2"]))
            let second = try await connection.readResponse()
            #expect(second.status == 200)
            #expect(second.body == "second")
            #expect(upstream.requests.count == 2)
        }
    }

    @Test("an HTTP/1.0 client gets a chunked upstream response de-chunked, then the connection is closed")
    func chunkedResponseToHTTP10Client() async throws {
        try await Self.withScriptedGateway({ _ in ScriptedUpstream.Response(Self.chunkedPieces) }) { connection, upstream in
            try await connection.send(Self.introspect(version: "1.0"))
            let response = try await connection.readResponse()
            #expect(response.status == 200)
            #expect(response.values("Transfer-Encoding").isEmpty)
            #expect(response.header("Connection")?.lowercased() != "keep-alive")
            // Without Content-Length, the body ends with the connection: readResponse
            // returned only because the gateway closed it.
            #expect(response.rawBody == Self.chunkedData)
            #expect(try await connection.isClosedByServer())
        }
    }

    @Test("an HTTP/1.0 client asking for keep-alive gets Connection: keep-alive and can send a second request")
    func http10KeepAlive() async throws {
        try await Self.withScriptedGateway({ head in .ok(head.contains("X-Step: 2") ? "second" : "first") }) { connection, upstream in
            try await connection.send(Self.introspect(version: "1.0", headers: ["Connection: keep-alive", "X-Step: 1"]))
            let first = try await connection.readResponse()
            #expect(first.status == 200)
            #expect(first.header("Connection")?.lowercased() == "keep-alive")
            #expect(first.header("Content-Length") == "5")
            #expect(first.body == "first")

            try await connection.send(Self.introspect(version: "1.0", headers: ["Connection: keep-alive", "X-Step: 2"]))
            let second = try await connection.readResponse()
            #expect(second.status == 200)
            #expect(second.header("Connection")?.lowercased() == "keep-alive")
            #expect(second.body == "second")
            #expect(try await connection.isClosed(within: .milliseconds(100)) == false)
        }
    }

    @Test("a close-delimited upstream response reaches the client in full, then the client's connection is closed")
    func closeDelimitedResponse() async throws {
        let response = ScriptedUpstream.Response(
            ["HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n", "part one,", " part two"], closeAfter: true)
        try await Self.withScriptedGateway({ _ in response }) { connection, upstream in
            try await connection.send(Self.introspect())
            let reply = try await connection.readResponse()
            #expect(reply.status == 200)
            #expect(reply.values("Content-Length").isEmpty)
            #expect(reply.values("Transfer-Encoding").isEmpty)
            #expect(reply.header("Connection")?.lowercased() == "close")
            #expect(reply.body == "part one, part two")
            #expect(try await connection.isClosedByServer())
        }
    }

    @Test("an interim 100 Continue from the upstream is not relayed: the client sees only the final response")
    func upstreamInterimResponseIsNotRelayed() async throws {
        let response = ScriptedUpstream.Response([
            "HTTP/1.1 100 Continue\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nfinal",
        ])
        try await Self.withScriptedGateway({ _ in response }) { connection, upstream in
            try await connection.send(Self.introspect())
            let reply = try await connection.readResponse()
            #expect(reply.status == 200)
            #expect(reply.body == "final")
            #expect(!connection.everything.contains("100 Continue"))
            #expect(try await connection.isClosed(within: .milliseconds(100)) == false)
            #expect(connection.unread.isEmpty)
        }
    }

    @Test("a HEAD request to a path that allows it is forwarded and its answer relayed without a body, and the connection stays usable")
    func headRequest() async throws {
        let configuration = testConfiguration { $0.allowedPaths = try! PathAllowlist(parsing: ["HEAD,POST /oauth/introspect"]) }
        try await Self.withScriptedGateway(configuration: configuration, { head in
            head.hasPrefix("HEAD ")
                ? ScriptedUpstream.Response(["HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 27\r\n\r\n"])
                : .ok("after head")
        }) { connection, upstream in
            try await connection.send("HEAD /oauth/introspect HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let head = try await connection.readResponse(method: "HEAD")
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "27")
            #expect(head.values("Transfer-Encoding").isEmpty)

            try await connection.send(Self.introspect())
            let next = try await connection.readResponse()
            #expect(next.status == 200)
            #expect(next.body == "after head")
            let received = upstream.requests
            try #require(received.count == 2)
            #expect(received[0].hasPrefix("HEAD /oauth/introspect HTTP/1.1\r\n"))
        }
    }

    // MARK: Headers

    @Test("the upstream's hop-by-hop and CORS headers are not relayed; ordinary ones and its X-Request-Id are")
    func responseHeaders() async throws {
        try await Self.withScriptedGateway({ head in
            var headers = [
                "Connection: keep-alive, X-Secret-Hop", "Keep-Alive: timeout=5", "X-Secret-Hop: 1",
                "Access-Control-Allow-Origin: *", "X-Upstream: yes",
            ]
            if head.contains("X-Step: 1") { headers.append("X-Request-Id: upstream-id-1") }
            return .ok("{}", headers: headers)
        }) { connection, upstream in
            let notRelayed = ["Connection", "Keep-Alive", "X-Secret-Hop", "Access-Control-Allow-Origin"]
            try await connection.send(Self.introspect(headers: ["X-Step: 1"]))
            let first = try await connection.readResponse()
            #expect(first.status == 200)
            for name in notRelayed {
                #expect(first.values(name).isEmpty, "\(name) was relayed: \(first.rawHead)")
            }
            #expect(first.values("X-Upstream") == ["yes"])
            #expect(first.values("X-Request-Id") == ["upstream-id-1"])
            #expect(first.body == "{}")

            // No X-Request-Id from the upstream: the gateway's own, the one it sent upstream.
            try await connection.send(Self.introspect(headers: ["X-Step: 2"]))
            let second = try await connection.readResponse()
            #expect(second.status == 200)
            for name in notRelayed {
                #expect(second.values(name).isEmpty, "\(name) was relayed: \(second.rawHead)")
            }
            #expect(second.values("X-Upstream") == ["yes"])
            let requestIDs = second.values("X-Request-Id")
            try #require(requestIDs.count == 1)
            #expect(!requestIDs[0].isEmpty)
            #expect(requestIDs[0] != "upstream-id-1")
            let received = upstream.requests
            try #require(received.count == 2)
            #expect(RecordedRequest(received[1]).values("X-Request-Id") == requestIDs)
        }
    }

    @Test("the upstream gets one Host (its own), the gateway's credentials, none of the client's, and a matching Content-Length")
    func upstreamRequestHeaders() async throws {
        try await Self.withScriptedGateway({ _ in .ok("{}") }) { connection, upstream in
            let request =
                "POST /oauth/introspect HTTP/1.1\r\nHost: client.example\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer client-token\r\nCookie: session=abc\r\nX-Forwarded-For: 10.0.0.1\r\n"
                + "PLAID-CLIENT-ID: client-own-id\r\nPLAID-SECRET: client-own-secret\r\nX-Custom: kept\r\n"
                + "Content-Length: \(Self.body.utf8.count)\r\n\r\n\(Self.body)"
            try await connection.send(request)
            #expect(try await connection.readResponse().status == 200)
            let received = upstream.requests
            try #require(received.count == 1)
            let forwarded = RecordedRequest(received[0])
            #expect(forwarded.requestLine == "POST /oauth/introspect HTTP/1.1")
            #expect(forwarded.values("Host") == [upstream.baseURL.replacingOccurrences(of: "http://", with: "")])
            #expect(forwarded.values("Authorization").isEmpty)
            #expect(forwarded.values("Cookie").isEmpty)
            #expect(forwarded.values("X-Forwarded-For").isEmpty)
            #expect(forwarded.values("Transfer-Encoding").isEmpty)
            #expect(forwarded.values("PLAID-CLIENT-ID") == [TestCredentials.clientID])
            #expect(forwarded.values("PLAID-SECRET") == [TestCredentials.secret])
            #expect(forwarded.values("X-Custom") == ["kept"])
            #expect(forwarded.values("Content-Length") == [String(forwarded.body.utf8.count)])
            #expect(forwarded.body == Self.body)
        }
    }

    @Test("a chunked client request body arrives upstream de-chunked, with Content-Length and no Transfer-Encoding")
    func chunkedRequestBodyIsDechunked() async throws {
        try await Self.withScriptedGateway({ _ in .ok("{}") }) { connection, upstream in
            try await connection.send(
                "POST /oauth/introspect HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n7\r\n{\"token\r\n6;x=y\r\n\":\"t\"}\r\n0\r\n\r\n")
            #expect(try await connection.readResponse().status == 200)
            let received = upstream.requests
            try #require(received.count == 1)
            let forwarded = RecordedRequest(received[0])
            #expect(forwarded.values("Transfer-Encoding").isEmpty)
            #expect(forwarded.values("Content-Length") == [String(Self.body.utf8.count)])
            #expect(forwarded.body == Self.body)
            #expect(forwarded.values("Host").count == 1)
        }
    }

    // MARK: Malformed requests

    struct MalformedRequest: Sendable, CustomTestStringConvertible {
        let name: String
        let request: String
        let status: Int
        var testDescription: String { name }
    }

    static let malformedRequests: [MalformedRequest] = [
        .init(
            name: "a header line ending in a bare LF",
            request: "POST /oauth/introspect HTTP/1.1\r\nHost: 127.0.0.1\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n\(body)",
            status: 400),
        .init(
            name: "obsolete line folding",
            request: "POST /oauth/introspect HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Folded: a\r\n b\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n\(body)",
            status: 400),
        .init(
            name: "Content-Length with Transfer-Encoding: chunked",
            request:
                "POST /oauth/introspect HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 13\r\nTransfer-Encoding: chunked\r\n\r\nd\r\n\(body)\r\n0\r\n\r\n",
            status: 400),
        .init(
            name: "two different Content-Length values",
            request: "POST /oauth/introspect HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 13\r\nContent-Length: 14\r\n\r\n\(body)",
            status: 400),
        .init(
            name: "a request head over 32 KiB",
            request: introspect(headers: ["X-Big: " + String(repeating: "a", count: 33 * 1024)]),
            status: 431),
        .init(
            name: "HTTP/2.0 in the request line",
            request: "POST /oauth/introspect HTTP/2.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n\(body)",
            status: 505),
    ]

    @Test("a malformed request is refused in the OAuth error shape, the connection closed, the upstream untouched", arguments: malformedRequests)
    func malformedRequestIsRefused(_ malformed: MalformedRequest) async throws {
        try await Self.withScriptedGateway({ _ in .ok("{}") }) { connection, upstream in
            try await connection.send(malformed.request)
            let reply = try await connection.readResponse()
            #expect(reply.status == malformed.status)
            let error = try GatewayErrorBody(reply)
            #expect(error.error == "invalid_request")
            #expect(!error.requestID.isEmpty)
            #expect(reply.values("X-Request-Id") == [error.requestID])
            #expect(try await connection.isClosedByServer())
            try await Task.sleep(for: .milliseconds(50))
            #expect(upstream.requests.isEmpty)
            #expect(upstream.connectionCount == 0)
        }
    }

    // MARK: Broken upstream responses

    @Test("an upstream answer that is not HTTP is a 502 in the OAuth error shape, not a hang")
    func upstreamNotHTTP() async throws {
        try await Self.withScriptedGateway({ _ in ScriptedUpstream.Response(["NOT HTTP AT ALL\r\n\r\n"]) }) { connection, upstream in
            try await connection.send(Self.introspect())
            let reply = try await connection.readResponse()
            #expect(reply.status == 502)
            let error = try GatewayErrorBody(reply)
            #expect(error.error == "upstream_unavailable")
            #expect(!error.requestID.isEmpty)
            #expect(upstream.requests.count == 1)
        }
    }

    @Test("a malformed chunked upstream body after the head was relayed closes the client's connection, not a hang")
    func upstreamMalformedChunkAfterHead() async throws {
        // The upstream keeps its connection open: only the gateway can end the client's wait.
        let response = ScriptedUpstream.Response([
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
            "zz\r\nnot a chunk\r\n",
        ])
        try await Self.withScriptedGateway({ _ in response }) { connection, upstream in
            try await connection.send(Self.introspect())
            let everything = try await connection.readUntilClose()
            #expect(everything.hasPrefix("HTTP/1.1 200 "))
            #expect(!everything.contains("0\r\n\r\n"), "the client was told the body was complete")
            #expect(!everything.contains("not a chunk"))
        }
    }
}

// MARK: - Test support

/// The OAuth error body of a refusal: `{"error", "error_description", "request_id"}`.
struct GatewayErrorBody {
    let error: String
    let requestID: String

    init(_ reply: ByteLevelClient.Reply) throws {
        let object = try #require(JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any], "not JSON: \(reply.body)")
        error = try #require(object["error"] as? String)
        requestID = try #require(object["request_id"] as? String)
    }
}

/// A request as the scripted upstream received it.
struct RecordedRequest {
    let requestLine: String
    let headers: [(name: String, value: String)]
    let body: String

    init(_ raw: String) {
        let parts = raw.components(separatedBy: "\r\n\r\n")
        var lines = parts[0].components(separatedBy: "\r\n")
        requestLine = lines.removeFirst()
        headers = lines.compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        body = parts.dropFirst().joined(separator: "\r\n\r\n")
    }

    func values(_ name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }
}

enum ByteLevelClientError: Error, CustomStringConvertible {
    case timeout(String)
    case closed(String)
    case malformed(String)

    var description: String {
        switch self {
        case .timeout(let detail): "timed out; received so far: \(detail.debugDescription)"
        case .closed(let detail): "the connection closed before a whole response; received: \(detail.debugDescription)"
        case .malformed(let detail): "malformed response: \(detail.debugDescription)"
        }
    }
}

/// A TCP client that keeps every byte it receives, for reading responses
/// ``RawHTTPConnection`` does not understand: chunked with extensions and trailers,
/// close-delimited, a HEAD response's head. Every wait has a short deadline, so that a gateway
/// that hangs fails the test instead of stalling it.
struct ByteLevelClient {
    /// A response as it arrived.
    struct Reply {
        let status: Int
        let rawHead: String
        let headers: [(name: String, value: String)]
        /// The body's data (chunk framing removed).
        let body: String
        /// The body as it arrived, framing included.
        let rawBody: String
        let isChunked: Bool

        func values(_ name: String) -> [String] {
            headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
        }

        func header(_ name: String) -> String? { values(name).first }
    }

    /// Bytes and end of the connection, shared with the channel's handler.
    final class Inbox: @unchecked Sendable {
        private let lock = NSLock()
        private var bytes: [UInt8] = []
        private var closed = false

        func append(_ buffer: ByteBuffer) { lock.withLock { bytes.append(contentsOf: buffer.readableBytesView) } }
        func close() { lock.withLock { closed = true } }
        var snapshot: (bytes: [UInt8], closed: Bool) { lock.withLock { (bytes, closed) } }
    }

    private final class Collector: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let inbox: Inbox
        init(inbox: Inbox) { self.inbox = inbox }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) { inbox.append(unwrapInboundIn(data)) }

        func channelInactive(context: ChannelHandlerContext) {
            inbox.close()
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            inbox.close()
            context.close(promise: nil)
        }
    }

    let channel: any Channel
    let inbox: Inbox
    /// How many received bytes earlier responses took.
    private(set) var consumed = 0
    static let timeout: Duration = .seconds(10)

    /// Connects to `127.0.0.1:port`; the caller closes ``channel``.
    static func open(port: Int) async throws -> ByteLevelClient {
        let inbox = Inbox()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Collector(inbox: inbox)) }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
        return ByteLevelClient(channel: channel, inbox: inbox)
    }

    static func with<Value>(port: Int, _ body: (inout ByteLevelClient) async throws -> Value) async throws -> Value {
        var client = try await open(port: port)
        let channel = client.channel
        do {
            let value = try await body(&client)
            try? await channel.close()
            return value
        } catch {
            try? await channel.close()
            throw error
        }
    }

    func send(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text))
    }

    /// Everything received so far, as text.
    var everything: String { String(decoding: inbox.snapshot.bytes, as: UTF8.self) }
    /// What no response read so far took.
    var unread: [UInt8] { Array(inbox.snapshot.bytes.dropFirst(consumed)) }

    /// Reads the next response to a `method` request.
    mutating func readResponse(method: String = "POST", timeout: Duration = Self.timeout) async throws -> Reply {
        let deadline = ContinuousClock.now + timeout
        while true {
            let (bytes, closed) = inbox.snapshot
            let rest = Array(bytes[consumed...])
            if let (reply, length) = try Self.parse(rest, closed: closed, method: method) {
                consumed += length
                return reply
            }
            if closed { throw ByteLevelClientError.closed(String(decoding: rest, as: UTF8.self)) }
            if ContinuousClock.now >= deadline { throw ByteLevelClientError.timeout(String(decoding: rest, as: UTF8.self)) }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Waits for the server to close the connection; returns what no response read took.
    mutating func readUntilClose(timeout: Duration = Self.timeout) async throws -> String {
        guard try await isClosed(within: timeout) else { throw ByteLevelClientError.timeout(everything) }
        let rest = unread
        consumed += rest.count
        return String(decoding: rest, as: UTF8.self)
    }

    /// Whether the server closes the connection, with nothing more sent, within `timeout`.
    func isClosedByServer(timeout: Duration = Self.timeout) async throws -> Bool {
        try await isClosed(within: timeout) && unread.isEmpty
    }

    /// Whether the connection is closed within `timeout`.
    func isClosed(within timeout: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !inbox.snapshot.closed {
            if ContinuousClock.now >= deadline { return false }
            try await Task.sleep(for: .milliseconds(5))
        }
        return true
    }

    /// The response at the start of `bytes` and its length, or `nil` while it is incomplete.
    static func parse(_ bytes: [UInt8], closed: Bool, method: String) throws -> (Reply, Int)? {
        guard let headEnd = find("\r\n\r\n", in: bytes, from: 0) else { return nil }
        let rawHead = String(decoding: bytes[..<headEnd], as: UTF8.self)
        var lines = rawHead.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/1."), let status = Int(statusLine[1]) else {
            throw ByteLevelClientError.malformed(rawHead)
        }
        let headers = lines.compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let bodyStart = headEnd + 4
        func reply(_ data: [UInt8], raw: ArraySlice<UInt8>, chunked: Bool = false) -> Reply {
            Reply(
                status: status, rawHead: rawHead, headers: headers, body: String(decoding: data, as: UTF8.self),
                rawBody: String(decoding: raw, as: UTF8.self), isChunked: chunked)
        }
        func values(_ name: String) -> [String] { headers.filter { $0.name.lowercased() == name }.map(\.value) }

        if method == "HEAD" || status < 200 || status == 204 || status == 304 {
            return (reply([], raw: []), bodyStart)
        }
        if values("transfer-encoding").contains(where: { $0.lowercased().contains("chunked") }) {
            var index = bodyStart
            var data: [UInt8] = []
            while true {
                guard let lineEnd = find("\r\n", in: bytes, from: index) else { return nil }
                let sizeText = String(decoding: bytes[index..<lineEnd], as: UTF8.self).prefix { $0 != ";" }
                guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                    throw ByteLevelClientError.malformed(String(decoding: bytes[index...], as: UTF8.self))
                }
                index = lineEnd + 2
                if size == 0 {
                    // Trailer fields, then the empty line.
                    while true {
                        guard let end = find("\r\n", in: bytes, from: index) else { return nil }
                        let empty = end == index
                        index = end + 2
                        if empty { return (reply(data, raw: bytes[bodyStart..<index], chunked: true), index) }
                    }
                }
                guard bytes.count >= index + size + 2 else { return nil }
                data.append(contentsOf: bytes[index..<(index + size)])
                guard bytes[index + size] == UInt8(ascii: "\r"), bytes[index + size + 1] == UInt8(ascii: "\n") else {
                    throw ByteLevelClientError.malformed(String(decoding: bytes[index...], as: UTF8.self))
                }
                index += size + 2
            }
        }
        if let lengthText = values("content-length").first {
            guard let length = Int(lengthText) else { throw ByteLevelClientError.malformed(rawHead) }
            guard bytes.count >= bodyStart + length else { return nil }
            let raw = bytes[bodyStart..<(bodyStart + length)]
            return (reply(Array(raw), raw: raw), bodyStart + length)
        }
        // Delimited by the connection's end.
        guard closed else { return nil }
        let raw = bytes[bodyStart...]
        return (reply(Array(raw), raw: raw), bytes.count)
    }

    private static func find(_ marker: String, in bytes: [UInt8], from start: Int) -> Int? {
        let marker = Array(marker.utf8)
        guard bytes.count >= start + marker.count else { return nil }
        for index in start...(bytes.count - marker.count) where bytes[index..<(index + marker.count)].elementsEqual(marker) {
            return index
        }
        return nil
    }
}

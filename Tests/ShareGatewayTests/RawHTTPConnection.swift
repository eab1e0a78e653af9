import NIOCore
import NIOPosix

/// One TCP connection that sends bytes exactly as written and reads whole responses back — for
/// what an HTTP client would refuse or rewrite: malformed paths, a custom `Connection` header,
/// pipelined requests.
struct RawHTTPConnection {
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var pending = ByteBuffer()

    /// A response as read off the wire.
    struct Response {
        let status: Int
        let headers: [(name: String, value: String)]
        let body: String

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    /// Connects to `127.0.0.1:port`, runs `body`, then closes.
    static func with<Value: Sendable>(port: Int, _ body: (inout RawHTTPConnection) async throws -> Value) async throws -> Value {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var connection = RawHTTPConnection(inbound: inbound.makeAsyncIterator(), outbound: outbound)
            return try await body(&connection)
        }
    }

    /// Sends `text` as it is (write `\r\n` line ends yourself).
    func send(_ text: String) async throws {
        try await outbound.write(ByteBuffer(string: text))
    }

    /// Sends a request with `Content-Length` framing and reads its response.
    mutating func request(_ method: String = "POST", _ target: String, headers: [String] = [], body: String = "") async throws -> Response {
        try await send(Self.format(method, target, headers: headers, body: body))
        return try await response()
    }

    static func format(_ method: String, _ target: String, headers: [String] = [], body: String = "") -> String {
        var text = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for header in headers { text += header + "\r\n" }
        if !body.isEmpty || method == "POST" { text += "Content-Length: \(body.utf8.count)\r\n" }
        return text + "\r\n" + body
    }

    /// Reads the next response (`Content-Length`, chunked, or no body for 1xx/204/304); `toHEAD`
    /// reads it as the answer to a `HEAD` request, whose framing announces a body that never follows.
    mutating func response(toHEAD: Bool = false) async throws -> Response {
        let headEnd = try await readUntil("\r\n\r\n")
        let headText = pending.readString(length: headEnd)!
        pending.moveReaderIndex(forwardBy: 4)
        var lines = headText.split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw RawHTTPError.malformed(String(headText.prefix(80))) }
        let headers = lines.compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingSpaces())
        }
        let response = { (body: String) in Response(status: status, headers: headers, body: body) }
        if toHEAD || status < 200 || status == 204 || status == 304 { return response("") }
        if let length = headers.first(where: { $0.name.lowercased() == "content-length" }).flatMap({ Int($0.value) }) {
            try await readAtLeast(length)
            return response(pending.readString(length: length)!)
        }
        guard headers.contains(where: { $0.name.lowercased() == "transfer-encoding" && $0.value.lowercased() == "chunked" }) else {
            throw RawHTTPError.malformed("a response without framing")
        }
        var body = ""
        while true {
            let lineEnd = try await readUntil("\r\n")
            let size = Int(pending.readString(length: lineEnd)!.prefix(while: { $0 != ";" }), radix: 16) ?? 0
            pending.moveReaderIndex(forwardBy: 2)
            try await readAtLeast(size + 2)
            body += pending.readString(length: size)!
            pending.moveReaderIndex(forwardBy: 2)
            if size == 0 { return response(body) }
        }
    }

    /// Whether the server closed the connection (reads until it does, failing on more data).
    mutating func isClosedByServer() async throws -> Bool {
        while true {
            guard let chunk = try await inbound.next() else { return true }
            if chunk.readableBytes > 0 { return false }
        }
    }

    private mutating func readUntil(_ marker: String) async throws -> Int {
        let bytes = Array(marker.utf8)
        while true {
            let view = pending.readableBytesView
            if view.count >= bytes.count {
                var index = view.startIndex
                while index + bytes.count <= view.endIndex {
                    if view[index..<(index + bytes.count)].elementsEqual(bytes) { return index - view.startIndex }
                    index += 1
                }
            }
            try await readMore()
        }
    }

    private mutating func readAtLeast(_ count: Int) async throws {
        while pending.readableBytes < count { try await readMore() }
    }

    private mutating func readMore() async throws {
        guard var chunk = try await inbound.next() else { throw RawHTTPError.closed }
        pending.discardReadBytes()
        pending.writeBuffer(&chunk)
    }
}

enum RawHTTPError: Error {
    case closed
    case malformed(String)
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
